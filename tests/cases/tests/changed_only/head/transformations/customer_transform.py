"""Customer transformations: pure functions over rows (dicts) of data/customers.csv."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def segment_for(lifetime_value: float) -> str:
    if lifetime_value >= 1000:
        return "gold"
    if lifetime_value >= 100:
        return "silver"
    return "bronze"
