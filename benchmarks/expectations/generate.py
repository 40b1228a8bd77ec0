"""Generate the benchmark datasets: customers-like rows as CSV and Parquet (deterministic, seed 7).

python benchmarks/expectations/generate.py [--rows 10000 100000 1000000] [--out benchmarks/out/expectations]
About 2% of emails are null and 0.1% are malformed, so map expectations have unexpected values to report.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "out" / "expectations"
SEGMENTS = np.array(["bronze", "silver", "gold", "platinum"])
COUNTRIES = np.array(["DE", "FR", "NL", "US", "GB", "ES", "IT", "PL"])


def customers(rows: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = np.arange(1, rows + 1)
    emails = pd.Series([f"user{i}@example.com" for i in ids], dtype=object)
    emails[rng.random(rows) < 0.02] = None
    emails[rng.random(rows) < 0.001] = "not-an-email"
    signup = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 2000, rows), unit="D")
    updated = pd.Timestamp("2026-11-24") - pd.to_timedelta(rng.integers(0, 86_400, rows), unit="s")
    return pd.DataFrame(
        {
            "customer_id": ids,
            "email": emails,
            "segment": SEGMENTS[rng.integers(0, len(SEGMENTS), rows)],
            "signup_date": signup.strftime("%Y-%m-%d"),
            "updated_at": updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "lifetime_value": np.round(rng.lognormal(6, 1, rows), 2),
            "country": COUNTRIES[rng.integers(0, len(COUNTRIES), rows)],
            "age": rng.integers(18, 90, rows),
        }
    )


def generate(rows: int, out: Path = OUT) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    csv, parquet = out / f"customers_{rows}.csv", out / f"customers_{rows}.parquet"
    if not (csv.exists() and parquet.exists()):
        frame = customers(rows)
        frame.to_csv(csv, index=False)
        frame.to_parquet(parquet, index=False)
    return csv, parquet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    for rows in args.rows:
        print(*generate(rows, args.out))


if __name__ == "__main__":
    main()
