"""A pipeline whose dataset is a PostgreSQL table (DATAOPS_CI_TEST_PG_URL): quality checks run in SQL,
freshness on both `timestamp` and `timestamptz` columns."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Iterator

import pytest

from dataops_ci import runner
from dataops_ci.checks import pipelines
from tests.conftest import Repo

SCHEMA = "dataops_ci_pipelines"
PG_URL = os.environ.get("DATAOPS_CI_TEST_PG_URL", "")
CLOCK = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not PG_URL, reason="DATAOPS_CI_TEST_PG_URL is not set (start one with scripts/postgres)"
    ),
]

PIPELINE = """\
name: warehouse_events
owner: data_engineering
schedule: "*/30 * * * *"
dataset:
  data: {engine: sql, url: "${DATAOPS_CI_TEST_PG_URL}", table: dataops_ci_pipelines.events}
  schema: schemas/event.avsc
quality_checks:
  - {type: completeness, columns: [id, kind]}
  - {type: freshness, column: seen_at, max_delay_hours: 3}
  - {type: freshness, column: seen_at_tz, max_delay_hours: 3}
  - {type: freshness, column: seen_at, max_delay_hours: 1, notify: [oncall]}
  - {type: accepted_values, column: kind, values: [click, view]}
  - {type: row_count, min: 3}
"""


@pytest.fixture(scope="module")
def events_table() -> Iterator[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(PG_URL)
    statements = [
        f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE",
        f"CREATE SCHEMA {SCHEMA}",
        f"CREATE TABLE {SCHEMA}.events (id int, kind text, seen_at timestamp, seen_at_tz timestamptz)",
        f"INSERT INTO {SCHEMA}.events VALUES (1, 'click', '2026-11-24 09:30', '2026-11-24 09:30+00'),"
        " (2, 'view', '2026-11-24 07:00', '2026-11-24 10:30+01'), (3, 'click', '2026-11-23 22:00', NULL)",
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    yield f"{SCHEMA}.events"
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


CONTRACT = {
    "type": "record",
    "name": "Event",
    "fields": [
        {"name": "id", "type": "int"},
        {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["click", "view"]}},
        {"name": "seen_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "seen_at_tz", "type": "long"},
        {"name": "region", "type": "string"},
    ],
}


def test_pipeline_on_a_postgres_table(events_table: str, repo: Repo) -> None:
    repo.commit("base", {"pipelines/events.yml": PIPELINE, "schemas/event.avsc": json.dumps(CONTRACT)})
    ctx = runner.build_context(cwd=repo.root, base=None, head=None, config_file=None, all_files=True, env={})

    result = pipelines.run(dataclasses.replace(ctx, clock=lambda: CLOCK))

    found = sorted((f.rule, f.path, f.file, f.line) for f in result.findings)
    assert found == [
        ("contract-missing-column", "region", "pipelines/events.yml", 6),
        ("contract-null-in-required-field", "seen_at_tz", "pipelines/events.yml", 6),
        ("contract-type-mismatch", "seen_at_tz", "pipelines/events.yml", 6),
        ("pipeline-freshness-failed", None, "pipelines/events.yml", 11),
    ], result.findings
    stale = next(f for f in result.findings if f.rule == "pipeline-freshness-failed")
    assert stale.data["notify"] == ["oncall"]
    assert "2.5 h old" in stale.message  # 09:30 (zone-less, read as UTC) at a 12:00 UTC clock
    assert (result.metrics["expectations_evaluated"], result.metrics["expectations_passed"]) == (7, 6)
    assert "dataops:dataops@" not in str(result.to_dict())


def test_unreachable_database_is_could_not_check(repo: Repo) -> None:
    text = PIPELINE.replace("${DATAOPS_CI_TEST_PG_URL}", "postgresql+psycopg2://u:secret@127.0.0.1:1/none")
    repo.commit("base", {"pipelines/events.yml": text, "schemas/event.avsc": json.dumps(CONTRACT)})
    ctx = runner.build_context(cwd=repo.root, base=None, head=None, config_file=None, all_files=True, env={})

    result = pipelines.run(dataclasses.replace(ctx, clock=lambda: CLOCK))

    assert result.status == "error"
    assert {f.rule for f in result.findings} == {"cannot-connect"}
    assert "secret" not in str(result.to_dict())
