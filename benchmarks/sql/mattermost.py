"""Generate a dbt project shaped like mattermost's data-warehouse models, reproducibly.

    python benchmarks/sql/mattermost.py OUT_DIR [--count 36] [--seed 11]

OUT_DIR/dbt_project.yml, .sqlfluff (postgres, as mattermost's: `templater = dbt`, which without dbt falls
back as sql-lint does), macros/, and models/{staging,intermediate,marts}/*.sql: `config()` blocks,
incremental models with `is_incremental()` / `this`, `ref()`/`source()`, `var()`, long select lists with
CASE expressions and casts, CTE chains and window functions. Sizes spread like mattermost's: mostly
3-15 KB, a few larger, and two over sqlfluff's 20 KB large_file_skip_byte_limit (25 KB, 43 KB), which
both linters skip. A few deliberate slips, so there are violations to compare.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PROJECT = """\
name: mattermost_analytics
version: "1.0.0"
config-version: 2
profile: snowflake
model-paths: ["models"]
macro-paths: ["macros"]
vars:
  telemetry_start: "2021-01-01"
"""
SQLFLUFF = """\
[sqlfluff]
dialect = postgres
templater = dbt
max_line_length = 120
exclude_rules = ST06

[sqlfluff:templater:jinja]
apply_dbt_builtins = True
"""
SOURCES = ("rudder_stack", "segment", "stripe", "salesforce", "hubspot", "zendesk", "github", "blapi")
TABLES = ("tracks", "identifies", "pages", "subscriptions", "accounts", "tickets", "events", "licenses")
COLUMNS = (
    "user_id", "server_id", "installation_id", "license_id", "plan_name", "seats", "amount", "currency",
    "event_name", "category", "platform", "os", "browser", "version", "edition", "country", "status",
    "created_at", "updated_at", "received_at", "timestamp", "sku", "quantity", "discount", "is_trial",
)  # fmt: skip
LAYERS = ("staging", "intermediate", "marts")
# Target sizes in KB for 36 models (mattermost's spread), two over the 20 KB skip limit.
SIZES_KB = [3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14]
SIZES_KB += [14, 15, 16, 17, 18, 19, 25, 43]


def select_list(rng: random.Random, alias: str, n: int, slip: bool) -> list[str]:
    lines = []
    for i in range(n):
        col = rng.choice(COLUMNS)
        kind = rng.random()
        if kind < 0.3:
            lines.append(f"        cast({alias}.{col} as varchar) as {col}_{i},")
        elif kind < 0.5:
            lines.append(
                f"        case when {alias}.{col} is null then 'unknown' else {alias}.{col}::varchar end as {col}_label_{i},"  # noqa: E501
            )
        elif kind < 0.6:
            lines.append(f"        coalesce({alias}.{col}, 0) as {col}_or_zero_{i},")
        else:
            lines.append(f"        {alias}.{col} as {col}_{i},")
    if slip:
        lines[len(lines) // 2] = lines[len(lines) // 2].replace(" as ", " AS ", 1)
    lines[-1] = lines[-1].rstrip(",")
    return lines


def cte(rng: random.Random, name: str, upstream: str, i: int, slip: bool) -> list[str]:
    width = rng.randint(8, 22)
    out = [f"{name} as (", "    select", f"        {upstream}.user_id as key_{i},"]
    out += select_list(rng, upstream, width, slip)
    out[-1] += ","
    out += [
        f"        row_number() over (partition by {upstream}.user_id order by {upstream}.received_at desc) as rn_{i}",  # noqa: E501
        f"    from {upstream}",
        f"    where {upstream}.received_at >= '{{{{ var('telemetry_start') }}}}'",
        "),",
        "",
    ]
    return out


def model(rng: random.Random, layer: str, index: int, size_kb: int) -> str:
    incremental = layer != "staging" and rng.random() < 0.5
    materialized = "incremental" if incremental else ("view" if layer == "staging" else "table")
    lines = ["{{", "    config(", f"        materialized='{materialized}',"]
    if incremental:
        lines += ["        unique_key=['user_id'],", "        incremental_strategy='merge',"]
    lines += ["        tags=['nightly']", "    )", "}}", "", "with source_data as (", "    select *"]
    if layer == "staging":
        source, table = rng.choice(SOURCES), rng.choice(TABLES)
        lines.append(f"    from {{{{ source('{source}', '{table}') }}}}")
    else:
        upstream = (
            f"stg_model_{rng.randrange(12):02d}"
            if layer == "intermediate"
            else f"int_model_{rng.randrange(12):02d}"
        )
        lines.append(f"    from {{{{ ref('{upstream}') }}}}")
    if incremental:
        lines += [
            "    {% if is_incremental() %}",
            "        where received_at > (select max(received_at) from {{ this }})",
            "    {% endif %}",
        ]
    lines += ["),", ""]
    previous, i = "source_data", 0
    while sum(len(line) + 1 for line in lines) < size_kb * 1024 - 600:
        name = f"step_{i:02d}"
        lines += cte(rng, name, previous, i, slip=rng.random() < 0.2)
        previous, i = name, i + 1
    lines = lines[:-2] + [")", ""]
    lines += ["select", f"    {previous}.*", f"from {previous}", f"where {previous}.rn_{i - 1} = 1"]
    return "\n".join(lines) + "\n"


def generate(out: Path, count: int = 36, seed: int = 11) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "dbt_project.yml").write_text(PROJECT)
    (out / ".sqlfluff").write_text(SQLFLUFF)
    (out / "macros").mkdir(exist_ok=True)
    (out / "macros" / "to_cents.sql").write_text(
        "{% macro to_cents(col) %}({{ col }} * 100)::bigint{% endmacro %}\n"
    )
    sizes = [SIZES_KB[i % len(SIZES_KB)] for i in range(count)]
    rng.shuffle(sizes)
    paths = []
    for index, size in enumerate(sizes):
        layer = LAYERS[index % 3]
        prefix = {"staging": "stg", "intermediate": "int", "marts": "fct"}[layer]
        path = out / "models" / layer / f"{prefix}_model_{index:02d}.sql"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(model(rng, layer, index, size))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=36)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    paths = generate(args.out, args.count, args.seed)
    print(f"wrote {len(paths)} models to {args.out / 'models'}")


if __name__ == "__main__":
    main()
