def to_cents(amount: float) -> int:
    """Amount in currency units -> whole cents."""
    return int(round(amount * 100))
