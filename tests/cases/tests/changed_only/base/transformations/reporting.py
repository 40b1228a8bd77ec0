"""Reporting builds on the order transformations."""

from transformations.orders import order_total


def revenue_line(quantities: list[int], unit_price: float) -> str:
    return f"revenue: {order_total(quantities, unit_price):.2f}"
