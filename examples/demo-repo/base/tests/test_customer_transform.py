from transformations.customer_transform import clean_customers, segment_for


def test_segments_by_lifetime_value() -> None:
    assert [segment_for(v) for v in (5.0, 150.0, 5000.0)] == ["bronze", "silver", "gold"]


def test_gold_starts_at_one_thousand() -> None:
    assert segment_for(1000.0) == "gold"


def test_clean_customers_normalises_the_sample(dataops) -> None:  # `dataops`: the dataops_ci.testing plugin
    cleaned = clean_customers(dataops.load_fixture("fixtures/customers_sample.csv"))
    assert cleaned["email"].tolist() == ["ada@example.com", "bob@example.com", "carol@example.com"]
    assert cleaned["segment"].tolist() == ["gold", "bronze", "silver"]
    assert str(cleaned["signup_date"].dtype).startswith("datetime64")
