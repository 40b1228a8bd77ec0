"""The fast path of pipeline validation (`pipelines.quick`) against pydantic, the judge.

What a user relies on: a definition `quick` accepts gets exactly the values and unknown-key warnings the
pydantic models give it, and everything else still goes to pydantic (so every error message is pydantic's).
And the point of it: the `pipeline-lint` hook does not import pydantic for plain definitions.
"""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from dataops_ci.config import DataSource, snapshot, unknown_keys
from dataops_ci.pipelines import model, quick
from dataops_ci.pipelines.definition import load_pipeline

ROOT = Path(__file__).parents[2]
CHECK_MODELS = {
    "completeness": model.Completeness,
    "uniqueness": model.Uniqueness,
    "row_count": model.RowCount,
    "freshness": model.Freshness,
    "accepted_values": model.AcceptedValues,
    "range": model.Range,
    "pattern": model.Pattern,
}


def canonical(value: Any) -> Any:
    """Values with their types, so True is not 1 and 1 is not 1.0; views and dicts by key."""
    if isinstance(value, snapshot.FrozenView):
        return {"$view": canonical(object.__getattribute__(value, "_fields"))}
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return (type(value).__name__, value)


def judged(raw: dict[str, Any]) -> tuple[Any, list[str]] | None:
    """What pydantic makes of `raw`: the values as `quick` would hold them, and the unknown keys."""
    try:
        definition = model.PipelineDef.model_validate(raw)
    except ValidationError:
        return None
    return canonical(snapshot.load(snapshot.dump(definition))), unknown_keys(definition)


def assert_agrees(raw: dict[str, Any]) -> bool:
    """quick stands aside, or it gives what pydantic gives. True when it accepted."""
    accepted = quick.accept(raw)
    if accepted is None:
        return False
    view, unknown = accepted
    assert judged(raw) == (canonical(view), unknown), raw
    return True


def _fields(spec: quick.Spec) -> dict[str, Any]:
    return {name: default for name, _, default in spec.values()}


def _defaults(cls: Any) -> dict[str, Any]:
    required = quick._REQUIRED  # noqa: SLF001 - the marker the tables use
    return {
        name: required if info.is_required() else info.get_default(call_default_factory=True)
        for name, info in cls.model_fields.items()
    }


@pytest.mark.parametrize("kind", sorted(CHECK_MODELS))
def test_check_tables_declare_the_models_fields_and_defaults(kind: str) -> None:
    spec = {"type": ("type", str, quick._REQUIRED), **quick.CHECK_COMMON, **quick.CHECKS[kind]}  # noqa: SLF001
    assert _fields(spec) == _defaults(CHECK_MODELS[kind])


def test_the_other_tables_declare_the_models_fields_and_defaults() -> None:
    assert tuple(quick.CHECKS) == model.CHECK_TYPES
    assert _fields(quick.DATA_SOURCE) == _defaults(DataSource)
    assert _fields(quick._Walk().pipeline_spec()) == _defaults(model.PipelineDef)  # noqa: SLF001
    assert canonical(quick.data_source("d.csv")) == canonical(
        snapshot.load(snapshot.dump(DataSource(path="d.csv")))
    )


def _definitions_in_the_repository() -> list[Path]:
    """Every pipeline definition of the case folders and examples that is a YAML mapping (the broken ones
    are the cases of files that cannot be parsed at all)."""
    found = sorted(ROOT.glob("tests/cases/pipelines/*/head/pipelines/*.yml"))
    found += sorted(ROOT.glob("examples/**/pipelines/*.yml"))
    return [path for path in found if isinstance(_yaml(path), dict)]


def _yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None


@pytest.mark.parametrize("path", _definitions_in_the_repository(), ids=lambda p: str(p.relative_to(ROOT)))
def test_plain_definitions_take_the_fast_path(path: Path) -> None:
    raw = {"name": path.stem, **_yaml(path)}
    accepted = assert_agrees(raw)
    assert accepted or judged(raw) is None, "a valid definition of ours fell back to pydantic"


GOOD = {
    "name": "orders",
    "owner": "data_engineering",
    "reviewers": ["analytics"],
    "schedule": "0 6 * * *",
    "description": "orders, daily",
    "dataset": {"data": "data/orders.csv", "schema": "schemas/order.avsc"},
    "quality_checks": [
        {"type": "completeness", "columns": ["id", "email"], "threshold": 0.99, "notify": "ops"},
        {"type": "uniqueness", "column": "id"},
        {"type": "row_count", "min": 1, "max": 10},
        {"type": "freshness", "column": "updated_at", "max_delay_hours": 4},
        {"type": "accepted_values", "column": "status", "values": ["open", True, 1, 2.5]},
        {"type": "range", "column": "amount", "min": 0, "severity": "warning"},
        {"type": "pattern", "column": "email", "regex": "@", "description": ""},
    ],
    "typo_key": {"deep": [1, 2]},
}


def test_a_full_plain_definition_is_accepted_with_its_unknown_keys() -> None:
    raw = json.loads(json.dumps(GOOD))
    raw["dataset"]["colour"] = "blue"
    raw["quality_checks"][1]["mostly"] = 0.5
    assert assert_agrees(raw)
    assert quick.accept(raw)[1] == ["typo_key", "dataset.colour", "quality_checks[1].mostly"]  # type: ignore[index]


ODD_VALUES = [
    None, "", " padded ", "x", "daily", "@hourly", "*/0 * * * *", "bogus", "[", "1", "0.5",
    0, 1, -1, 2, 0.5, 1.5, -0.5, True, False, math.nan, math.inf, 2**70, [], ["a"], [" a"], ["a", 1],
    {}, {"a": 1}, {1: "a"}, {"data": "d.csv"}, {"path": "d.csv", "engine": "sql"}, {"engine": "duck"},
]  # fmt: skip
EXTRA_KEYS = ["type", "column", "columns", "schema_file", "unknown"]


def _keys(spec: quick.Spec) -> list[str]:
    return [*spec, *EXTRA_KEYS]


@st.composite
def definitions(draw: st.DrawFn) -> dict[str, Any]:
    """GOOD, with a few of its values replaced or keys added (the keys each place declares, mostly), at the
    top, in the dataset, in its data source or in one quality check."""
    raw = json.loads(json.dumps(GOOD))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["top", "dataset", "source", "check"]))
        value = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))  # shared objects would nest in each other
        if where == "top":
            raw[draw(st.sampled_from(_keys(quick._Walk().pipeline_spec())))] = value  # noqa: SLF001
        elif where == "dataset" and isinstance(raw.get("dataset"), dict):
            raw["dataset"][draw(st.sampled_from(["data", "schema", *EXTRA_KEYS]))] = value
        elif where == "source" and isinstance(raw.get("dataset"), dict):
            raw["dataset"]["data"] = {
                "path": "data/orders.csv",
                draw(st.sampled_from(_keys(quick.DATA_SOURCE))): value,
            }
        elif isinstance(raw.get("quality_checks"), list) and raw["quality_checks"]:
            check = draw(st.sampled_from(raw["quality_checks"]))
            kind = check.get("type") if isinstance(check, dict) else None
            if isinstance(kind, str) and kind in quick.CHECKS:
                check[draw(st.sampled_from(_keys({**quick.CHECK_COMMON, **quick.CHECKS[kind]})))] = value
    return raw


MINIMAL = {
    "owner": "ops",
    "dataset": "data/orders.csv",
    "quality_checks": [
        {"type": "completeness", "column": "id"},
        {"type": "uniqueness", "columns": ["id"]},
        {"type": "row_count", "min": 1},
        {"type": "freshness", "column": "updated_at", "max_delay_hours": 1},
        {"type": "accepted_values", "column": "status", "values": ["open"]},
        {"type": "range", "column": "amount", "max": 1},
        {"type": "pattern", "column": "email", "regex": "@"},
    ],
}


def single_changes(base: dict[str, Any]) -> list[dict[str, Any]]:
    """`base` with one key set to one of ODD_VALUES, for every key each place declares (and a few more)."""
    changed = []
    for value in ODD_VALUES:
        places: list[tuple[list[Any], list[str]]] = [([], _keys(quick._Walk().pipeline_spec()))]  # noqa: SLF001
        places.append((["dataset"], ["data", "schema", *EXTRA_KEYS]))
        places.append((["dataset", "data"], _keys(quick.DATA_SOURCE)))
        for index, check in enumerate(base["quality_checks"]):
            places.append(
                (["quality_checks", index], _keys({**quick.CHECK_COMMON, **quick.CHECKS[check["type"]]}))
            )
        for where, keys in places:
            for key in keys:
                raw = copy.deepcopy(base)
                if where[:1] == ["dataset"]:
                    raw["dataset"] = {"data": {"path": "data/orders.csv"}} if where[1:] else {"data": "d.csv"}
                target = raw
                for step in where:
                    target = target[step]
                target[key] = copy.deepcopy(value)
                changed.append({"name": "p", **raw})
    return changed


def test_quick_agrees_with_pydantic_on_every_single_change() -> None:
    cases = single_changes(GOOD) + single_changes(MINIMAL)
    accepted = sum(assert_agrees(raw) for raw in cases)
    assert 0.2 < accepted / len(cases) < 0.9, (accepted, len(cases))  # both paths are exercised


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(definitions())
def test_quick_agrees_with_pydantic_on_combined_changes(raw: dict[str, Any]) -> None:
    event("accepted" if assert_agrees(raw) else "left to pydantic")


def test_invalid_definitions_keep_pydantics_messages() -> None:
    text = "owner: ops\ndataset: d.csv\nquality_checks:\n  - {type: range, column: x, min: 5, max: 1}\n"
    file = load_pipeline("pipelines/p.yml", text, lambda p: True)
    assert [(f.rule, f.message) for f in file.findings] == [
        ("pipeline-invalid-check", "'quality_checks[0]': 'min' (5.0) is greater than 'max' (1.0)")
    ]


def test_the_pipeline_lint_hook_does_not_import_pydantic(tmp_path: Path) -> None:
    (tmp_path / "pipelines").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data/orders.csv").write_text("id\n1\n")
    (tmp_path / "pipelines/orders.yml").write_text(
        yaml.safe_dump({k: v for k, v in GOOD.items() if k != "dataset"} | {"dataset": "data/orders.csv"})
    )
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    commit = ["git", "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "base"]
    subprocess.run(commit, cwd=tmp_path, check=True)
    program = (
        "import sys; from dataops_ci.cli import main; "
        "code = main(['pipelines', '--no-data', 'pipelines/orders.yml']); "
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic')[:3])"
    )
    for _ in range(2):  # the first run validates the (empty) config and caches it, as any first hook run does
        done = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr
