"""Generate dbt-style SQL models (CTEs, joins, window functions; 50-200 lines each), reproducibly.

    python benchmarks/sql/generate.py OUT_DIR --count 500 [--seed 7]

Writes OUT_DIR/models/model_0000.sql ... and OUT_DIR/models/.sqlfluff (dialect postgres). The models are
lint-clean except for a few deliberate layout slips, so the linter does its full work on every file.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SOURCES = ("customers", "orders", "payments", "sessions", "products", "refunds", "shipments", "events")
COLUMNS = ("amount", "quantity", "lifetime_value", "discount", "duration_s", "weight", "score", "tax")
SQLFLUFF_CONFIG = "[sqlfluff]\ndialect = postgres\nmax_line_length = 120\n"


def staging_cte(name: str, source: str, columns: list[str]) -> list[str]:
    lines = [f"{name} as (", "    select", f"        {source}_id,", "        customer_id,"]
    lines += [f"        {col}," for col in columns]
    lines += [
        "        updated_at",
        f"    from {{{{ source('raw', '{source}') }}}}",
        "    where updated_at is not null",
        "),",
        "",
    ]
    return lines


def window_cte(name: str, source: str, column: str) -> list[str]:
    return [
        f"{name} as (",
        "    select",
        "        customer_id,",
        f"        {column},",
        "        row_number() over (",
        "            partition by customer_id",
        "            order by updated_at desc",
        "        ) as recency_rank,",
        f"        sum({column}) over (",
        "            partition by customer_id",
        "            order by updated_at",
        "            rows between unbounded preceding and current row",
        f"        ) as running_{column},",
        f"        avg({column}) over (partition by customer_id) as avg_{column}",
        f"    from {source}",
        "),",
        "",
    ]


def join_cte(name: str, left: str, right: str, column: str, slip: bool) -> list[str]:
    select_line = (
        f"        {right}.{column}*2 as doubled_{column},"
        if slip
        else f"        {right}.{column} * 2 as doubled_{column},"
    )
    return [
        f"{name} as (",
        "    select",
        f"        {left}.customer_id,",
        f"        {left}.recency_rank,",
        select_line,
        f"        coalesce({right}.{column}, 0) as {column}_or_zero",
        f"    from {left}",
        f"    left join {right}",
        f"        on {left}.customer_id = {right}.customer_id",
        f"    where {left}.recency_rank <= 3",
        "),",
        "",
    ]


def model(rng: random.Random, target_lines: int) -> str:
    lines: list[str] = ["with"]
    ctes: list[str] = []
    index = 0
    while len(lines) < target_lines - 20:
        source = rng.choice(SOURCES)
        columns = rng.sample(COLUMNS, rng.randint(2, 5))
        staged, windowed, joined = f"stg_{source}_{index}", f"win_{source}_{index}", f"joined_{index}"
        lines += staging_cte(staged, source, columns)
        lines += window_cte(windowed, staged, columns[0])
        lines += join_cte(joined, windowed, staged, columns[1], slip=rng.random() < 0.15)
        ctes.append(joined)
        index += 1
    lines = lines[:-2] + [")"]  # the last CTE closes without a comma
    first = ctes[0]
    lines += ["", "select", f"    {first}.customer_id,", f"    count(*) as rows_in_{first},"]
    lines += [f"    max({cte}.recency_rank) as max_rank_{cte}," for cte in ctes[1:]]
    lines[-1] = lines[-1].rstrip(",")
    lines.append(f"from {first}")
    for cte in ctes[1:]:
        lines += [f"left join {cte}", f"    on {first}.customer_id = {cte}.customer_id"]
    lines.append(f"group by {first}.customer_id")
    return "\n".join(lines) + "\n"


def generate(out: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    models = out / "models"
    models.mkdir(parents=True, exist_ok=True)
    (models / ".sqlfluff").write_text(SQLFLUFF_CONFIG)
    paths = []
    for i in range(count):
        path = models / f"model_{i:04d}.sql"
        path.write_text(model(rng, rng.randint(50, 200)))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = generate(args.out, args.count, args.seed)
    print(f"wrote {len(paths)} models to {args.out / 'models'}")


if __name__ == "__main__":
    main()
