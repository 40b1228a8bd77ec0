"""Fixtures for the publish tests: a real git repository with a schema history, a pipeline and a suite,
and hostile text in the places a pull request controls."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from dataops_ci import cli
from tests.conftest import Repo

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> @acme/all \u202e"


def customer(*fields: dict[str, object], doc: str = "A customer.") -> str:
    base = [{"name": "id", "type": "long", "doc": "Primary key."}]
    record = {
        "type": "record",
        "name": "Customer",
        "namespace": "com.acme",
        "doc": doc,
        "fields": base + list(fields),
    }
    return json.dumps(record, indent=2)


EMAIL = {"name": "email", "type": ["null", "string"], "default": None, "doc": "Contact e-mail."}
SIGNUP = {"name": "signup", "type": {"type": "int", "logicalType": "date"}, "default": 0, "doc": HOSTILE}
TIER = {"name": "tier", "type": "string"}  # no default: a BACKWARD break
PIPELINE = f"""name: customers
owner: data_team
reviewers: [analytics]
schedule: "0 6 * * *"
description: "{HOSTILE.replace('"', "'")}"
dataset: {{data: data/customers.csv, schema: schemas/customer.avsc}}
quality_checks:
  - {{type: completeness, columns: [id, email], threshold: 0.9, notify: [data_team]}}
  - {{type: freshness, column: signup, max_delay_hours: 24}}
"""
SUITE = json.dumps({
    "name": "customers",
    "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "email", "mostly": 0.95}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "id", "min_value": 1},
         "severity": "warning"},
    ],
})  # fmt: skip


@pytest.fixture
def documented(make_repo: Callable[..., Repo]) -> Repo:
    repo: Repo = make_repo()
    repo.commit("first customer schema", {"schemas/customer.avsc": customer()})
    repo.commit("add email", {"schemas/customer.avsc": customer(EMAIL)})
    repo.commit("add signup", {"schemas/customer.avsc": customer(EMAIL, SIGNUP, doc=HOSTILE)})
    repo.commit(
        "add tier without a default",
        {
            "schemas/customer.avsc": customer(EMAIL, SIGNUP, TIER, doc=HOSTILE),
            "pipelines/customers.yml": PIPELINE,
            "data/customers.csv": "id,email,signup\n1,a@example.com,2026-01-01\n",
            "expectations/customers.json": SUITE,
            "dataops-ci.yml": "schemas: {paths: ['schemas/*.avsc'], compatibility: BACKWARD}\n",
        },
    )
    return repo


def build(repo: Repo, out: Path, *extra: str) -> int:
    return cli.main(["docs", "-C", str(repo.root), "--out", str(out), *extra])
