"""The floor: the benchmark suite's 12 checks hand-written in plain pandas (same semantics as GX:
nulls are skipped by map checks and counted by not-null checks; `mostly` is a share of non-null rows)."""

from __future__ import annotations

import pandas as pd

EMAIL = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
SEGMENTS = ["bronze", "silver", "gold", "platinum"]
COUNTRIES = ["DE", "FR", "NL", "US", "GB", "ES", "IT", "PL"]


def _share_ok(bad: pd.Series, considered: pd.Series) -> float:
    n = int(considered.sum())
    return 1.0 if n == 0 else 1 - int(bad.sum()) / n


def check(frame: pd.DataFrame) -> list[bool]:
    email = frame["email"]
    email_present = email.notna()
    email_bad = ~email[email_present].astype(str).str.match(EMAIL)
    value = frame["lifetime_value"]
    return [
        bool(ok)
        for ok in (
            bool(frame["customer_id"].notna().all()),
            bool(not frame["customer_id"].duplicated().any()),
            email_present.mean() >= 0.95,
            _share_ok(email_bad, email_present) >= 0.99,
            bool(frame["segment"].dropna().isin(SEGMENTS).all()),
            bool(frame["signup_date"].dropna().astype(str).str.match(r"^\d{4}-\d{2}-\d{2}$").all()),
            bool(frame["updated_at"].notna().all()),
            bool(value.dropna().between(0, 1_000_000).all()),
            100 <= value.mean() <= 5000,
            bool(frame["age"].dropna().between(18, 120).all()),
            bool(frame["country"].dropna().isin(COUNTRIES).all()),
            1 <= len(frame) <= 10_000_000,
        )
    ]
