from transformations import reporting


def test_revenue_line() -> None:
    assert reporting.revenue_line([1, 2], 2.5) == "revenue: 7.50"
