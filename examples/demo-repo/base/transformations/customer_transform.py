"""Customer transformations over data/customers.csv
(customer_id, email, segment, signup_date, updated_at, lifetime_value)."""

from __future__ import annotations

import pandas as pd

GOLD_FROM = 1000.0
SILVER_FROM = 100.0


def segment_for(lifetime_value: float) -> str:
    if lifetime_value >= GOLD_FROM:
        return "gold"
    if lifetime_value >= SILVER_FROM:
        return "silver"
    return "bronze"


def clean_customers(raw: pd.DataFrame) -> pd.DataFrame:
    """Normalised emails, parsed dates, and the segment recomputed from lifetime value."""
    out = raw.copy()
    out["email"] = out["email"].str.strip().str.lower()
    out["signup_date"] = pd.to_datetime(out["signup_date"])
    out["updated_at"] = pd.to_datetime(out["updated_at"])
    out["segment"] = out["lifetime_value"].map(segment_for)
    return out
