from transformations.pricing import to_cents


def test_to_cents_rounds_to_the_nearest_cent() -> None:
    assert to_cents(12.345) == 1234 or to_cents(12.345) == 1235
    assert to_cents(0.1) == 10
