"""A generated dbt-shaped project of N models, for the lineage benchmark (seeded: same N, same project).

    python benchmarks/lineage/generate.py OUT_DIR [--models 500]

A tenth of the models are staging models over dbt sources (each source table linked to an Avro schema in
`dataops-ci.yml`), the rest read one to three earlier models through `ref()`, with CTEs, joins, aliases,
a macro call and, every twentieth, a `SELECT *` of an upstream model. Every tenth mart has a pipeline on it
and every twentieth a GX suite.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

COLUMNS = 10
URL = "postgresql://db/x"


def _source_schema(i: int) -> str:
    fields = [{"name": "id", "type": "long"}] + [
        {"name": f"c{j}", "type": "double" if j % 3 else "string"} for j in range(1, COLUMNS)
    ]
    return json.dumps({"type": "record", "name": f"Raw{i}", "namespace": "bench", "fields": fields}, indent=1)


def _staging(i: int) -> str:
    cols = ",\n".join(f"    c{j} as s{j}" for j in range(1, COLUMNS))
    return (
        f"{{{{ config(materialized='view') }}}}\nselect\n    id,\n{cols},\n"
        f"    {{{{ cents('c1') }}}} as euros\nfrom {{{{ source('raw', 't{i}') }}}}\n"
    )


def _model(i: int, upstream: list[str], rng: random.Random) -> str:
    """Every model outputs `id, s1 .. s9`, so that downstream references are valid."""
    first, *others = upstream
    if i % 20 == 0:
        return f"select * from {{{{ ref('{first}') }}}}\n"
    joins = "".join(
        f"\n    left join {{{{ ref('{u}') }}}} as u{k} on u{k}.id = base.id" for k, u in enumerate(others)
    )
    inner = ["base.id", *(f"base.s{j}" for j in range(1, COLUMNS))]
    inner += [f"u{k}.s{rng.randrange(1, COLUMNS)} as x{k}" for k in range(len(others))]
    outer = ["id"] + [
        f"s{j} + x{j - 1} as s{j}" if j - 1 < len(others) else f"s{j}" for j in range(1, COLUMNS)
    ]
    body = ",\n        ".join(inner)
    return (
        f"with base as (\n    select * from {{{{ ref('{first}') }}}}\n),\n\njoined as (\n    select\n"
        f"        {body}\n    from base{joins}\n)\n\nselect\n    "
        + ",\n    ".join(outer)
        + "\nfrom joined\nwhere id is not null\n"
    )


def generate(out: Path, models: int, seed: int = 13) -> list[str]:
    """Write the project; returns the model paths (upstream first)."""
    rng = random.Random(seed)
    sources = max(models // 10, 1)
    paths: list[str] = []
    names: list[str] = []
    files: dict[str, str] = {"macros/cents.sql": "{% macro cents(c) %}({{ c }} / 100.0){% endmacro %}\n"}
    links = {}
    for i in range(sources):
        files[f"schemas/raw{i}.avsc"] = _source_schema(i)
        links[f"schemas/raw{i}.avsc"] = f"raw.t{i}"
        name = f"stg_t{i}"
        files[f"models/staging/{name}.sql"] = _staging(i)
        names.append(name)
    for i in range(sources, models):
        k = rng.randint(1, 3)
        upstream = rng.sample(names[max(0, len(names) - 60) :], min(k, len(names)))
        layer = "intermediate" if i < models * 0.7 else "marts"
        name = f"{'int' if layer == 'intermediate' else 'mart'}_{i}"
        files[f"models/{layer}/{name}.sql"] = _model(i, upstream, rng)
        names.append(name)
    suites, pipelines = [], 0
    for name in names[int(models * 0.7) :]:
        index = int(name.rsplit("_", 1)[1])
        if index % 10 == 0:
            files[f"pipelines/{name}.yml"] = (
                f"name: {name}\nowner: team_{index % 7}\ndataset: {{data: {{engine: sql, url: 'postgresql://db/x',"
                f" table: marts.{name}}}}}\nquality_checks:\n  - {{type: completeness, columns: [id]}}\n"
            )
            pipelines += 1
        if index % 20 == 0:
            suite = {"name": name, "expectations": [
                {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}},
                {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
            ]}  # fmt: skip
            files[f"expectations/{name}.json"] = json.dumps(suite, indent=2)
            suites.append(name)
    tables = "".join(f"      - name: t{i}\n" for i in range(sources))
    files["models/sources.yml"] = f"version: 2\nsources:\n  - name: raw\n    tables:\n{tables}"
    suite_cfg = "".join(
        f"    - {{suite: expectations/{s}.json, data: {{engine: sql, url: '{URL}', table: marts.{s}}}}}\n"
        for s in suites
    )
    link_cfg = "".join(f"  {k}: {v}\n" for k, v in links.items())
    files["dataops-ci.yml"] = (
        'schemas: {paths: ["schemas/*.avsc"]}\n'
        'sql: {paths: ["models/**/*.sql", "macros/*.sql"], dialect: postgres}\n'
        f'pipelines: {{paths: ["pipelines/*.yml"]}}\nlineage:\n{link_cfg}'
        f"expectations:\n  suites:\n{suite_cfg}"
    )
    for path, text in files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if path.startswith("models/") and path.endswith(".sql"):
            paths.append(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--models", type=int, default=500)
    args = parser.parse_args()
    print(len(generate(args.out, args.models)), "models written to", args.out)
