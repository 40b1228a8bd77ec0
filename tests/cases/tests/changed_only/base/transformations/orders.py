"""Order transformations."""


def order_total(quantities: list[int], unit_price: float) -> float:
    return sum(quantities) * unit_price
