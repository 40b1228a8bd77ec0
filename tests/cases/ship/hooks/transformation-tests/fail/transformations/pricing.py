def to_cents(amount: float) -> int:
    return int(amount * 10)
