"""A dbt-shaped data project in a real git repository: sources -> staging -> marts -> a suite, a pipeline
and an exposure; with ref, source, CTEs, SELECT *, aliases, a renamed column, sub-folders and a macro."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

CONFIG = """\
schemas: {paths: ["schemas/*.avsc"]}
sql: {paths: ["models/**/*.sql", "macros/**/*.sql"], dialect: postgres}
lineage: {schemas/customer.avsc: raw.customers}
pipelines: {paths: ["pipelines/*.yml"]}
expectations:
  suites:
    - suite: expectations/segments.json
      data: {engine: sql, url: "postgresql://db/x", table: marts.customer_segments}
teams: {marketing_team: "@acme/marketing", data_science_team: "@acme/data-science"}
"""

CUSTOMER_AVSC = """\
{"type": "record", "name": "Customer", "namespace": "com.acme", "fields": [
  {"name": "customer_id", "type": "long"},
  {"name": "email", "type": "string"},
  {"name": "segment", "type": "string"},
  {"name": "lifetime_value_cents", "type": "long"}
]}
"""

ORDER_AVSC = """\
{"type": "record", "name": "Order", "namespace": "com.acme", "fields": [
  {"name": "order_id", "type": "long"}, {"name": "customer_id", "type": "long"}
]}
"""

MACRO = """\
{% macro cents_to_euros(column) -%}
    ({{ column }} / 100.0)
{%- endmacro %}
"""

STG_CUSTOMERS = """\
{{ config(materialized='view') }}

select
    customer_id,
    lower(email) as email_address,
    segment,
    {{ cents_to_euros('lifetime_value_cents') }} as lifetime_value
from {{ source('raw', 'customers') }}
"""

STG_ORDERS = """\
select * from {{ source('raw', 'orders') }}
"""

SEGMENTS = """\
with customers as (
    select * from {{ ref('stg_customers') }}
),

ranked as (
    select
        c.customer_id,
        c.segment,
        c.lifetime_value as ltv
    from customers as c
)

select
    segment,
    count(*) as customers,
    sum(ltv) as total_lifetime_value,
    max(customer_id) as top_customer_id
from ranked
group by segment
"""

ORDER_SUMMARY = """\
select
    o.customer_id,
    count(*) as orders
from {{ ref('stg_orders') }} as o
group by o.customer_id
"""

SEGMENT_REPORT = """\
select
    s.segment,
    s.top_customer_id,
    s.total_lifetime_value / nullif(s.customers, 0) as average_value
from {{ ref('customer_segments') }} as s
"""

SCHEMA_YML = """\
version: 2
sources:
  - name: raw
    meta: {owner: data_engineering}
    tables:
      - name: customers
      - name: orders
models:
  - name: customer_segments
    meta: {owner: marketing_team}
    columns:
      - name: segment
        tests: [not_null]
exposures:
  - name: segment_dashboard
    type: dashboard
    owner: {name: bi_team, email: bi@example.com}
    depends_on: ["ref('segment_report')"]
"""

SUITE = """\
{
  "name": "segments",
  "expectations": [
    {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
    {
      "type": "expect_column_values_to_not_be_null",
      "kwargs": {"column": "total_lifetime_value"}
    }
  ]
}
"""

PIPELINE = """\
name: segments
owner: data_science_team
dataset: {data: {engine: sql, url: "postgresql://db/x", table: marts.customer_segments}}
quality_checks:
  - {type: completeness, columns: [top_customer_id], notify: [marketing_team]}
"""

FILES = {
    "dataops-ci.yml": CONFIG,
    "schemas/customer.avsc": CUSTOMER_AVSC,
    "schemas/order.avsc": ORDER_AVSC,
    "macros/money.sql": MACRO,
    "models/staging/stg_customers.sql": STG_CUSTOMERS,
    "models/staging/stg_orders.sql": STG_ORDERS,
    "models/marts/customer_segments.sql": SEGMENTS,
    "models/marts/order_summary.sql": ORDER_SUMMARY,
    "models/marts/reporting/segment_report.sql": SEGMENT_REPORT,
    "models/schema.yml": SCHEMA_YML,
    "expectations/segments.json": SUITE,
    "pipelines/segments.yml": PIPELINE,
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def write(repo: Path, files: Mapping[str, str | None]) -> None:
    for path, text in files.items():
        target = repo / path
        if text is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def make_project(root: Path) -> tuple[Path, str]:
    """The project committed on `main`; returns the repo and the commit."""
    repo = root / "project"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write(repo, FILES)
    return repo, commit(repo, "base")
