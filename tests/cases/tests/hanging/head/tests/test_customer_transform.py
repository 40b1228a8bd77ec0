from transformations.customer_transform import normalise_email, segment_for


def test_normalise_email_strips_and_lowercases() -> None:
    assert normalise_email("  Ada@Example.COM ") == "ada@example.com"


def test_segments_by_lifetime_value() -> None:
    assert [segment_for(v) for v in (5, 150, 5000)] == ["bronze", "silver", "gold"]
