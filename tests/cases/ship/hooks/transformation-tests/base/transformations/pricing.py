def to_cents(amount: float) -> int:
    return round(amount * 100)
