"""Writes a benchmark data repo: data/customers.csv with N rows, the customer pipeline and its schema.

python benchmarks/pipelines/generate.py DEST ROWS  (deterministic: seeded)
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

PIPELINE = """\
name: customer_segmentation
owner: data_science_team
reviewers: [marketing_analytics, data_engineering]
schedule: daily
dataset: {data: data/customers.csv, schema: schemas/customer.avsc}
quality_checks:
  - {type: completeness, columns: [customer_id, email], threshold: 0.99, notify: [data_engineers]}
  - {type: freshness, column: updated_at, max_delay_hours: 4, notify: [marketing_team]}
  - {type: uniqueness, columns: [customer_id]}
  - {type: row_count, min: 1000}
  - {type: accepted_values, column: segment, values: [gold, silver, bronze]}
  - {type: range, column: lifetime_value, min: 0, max: 100000}
  - {type: pattern, column: email, regex: "^[^@ ]+@[^@ ]+$"}
"""
SCHEMA = {
    "type": "record",
    "name": "Customer",
    "fields": [
        {"name": "customer_id", "type": "long"},
        {"name": "email", "type": ["null", "string"], "default": None},
        {
            "name": "segment",
            "type": {"type": "enum", "name": "Segment", "symbols": ["gold", "silver", "bronze"]},
        },
        {"name": "signup_date", "type": {"type": "int", "logicalType": "date"}},
        {"name": "updated_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "lifetime_value", "type": "double"},
    ],
}
CLOCK = "2026-11-24T12:00:00+00:00"  # the runner fixes the run's clock to this


def write(dest: Path, rows: int) -> None:
    rng = random.Random(rows)
    (dest / "pipelines").mkdir(parents=True, exist_ok=True)
    (dest / "schemas").mkdir(exist_ok=True)
    (dest / "data").mkdir(exist_ok=True)
    (dest / "pipelines/customer_pipeline.yml").write_text(PIPELINE)
    (dest / "schemas/customer.avsc").write_text(json.dumps(SCHEMA, indent=2))
    segments = ("gold", "silver", "bronze")
    with (dest / "data/customers.csv").open("w") as out:
        out.write("customer_id,email,segment,signup_date,updated_at,lifetime_value\n")
        for i in range(rows):
            email = "" if rng.random() < 0.001 else f"user{i}@example.com"
            hour = rng.randint(0, 11)
            out.write(
                f"{i},{email},{segments[i % 3]},2024-{1 + i % 12:02d}-{1 + i % 28:02d},"
                f"2026-11-24T{hour:02d}:{rng.randint(0, 59):02d}:00Z,{rng.random() * 5000:.2f}\n"
            )


if __name__ == "__main__":
    write(Path(sys.argv[1]), int(sys.argv[2]))
