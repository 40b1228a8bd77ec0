"""Discovery: what the repository holds that no check covers, as notices on the check that would cover it.

A check that finds nothing is not a pass (it says what it looked for); and files the config does not point
at are not silently ignored: `.avsc` files outside `schemas.paths`, a Great Expectations project (`gx/` or
`great_expectations/`), a `dbt_project.yml`, `.sql` files outside `sql.paths`, and GX suite files that no
`expectations.suites` entry names. One `git ls-files` (or `ls-tree` for a commit) for all of it, path
matching, and a read of the few JSON files under an `expectations/` folder: cheap enough for every run
(benchmarks/discovery/).

A check that learns to cover one of these kinds itself says so with a module-level `COVERS` tuple of kinds
(e.g. `COVERS = ("gx-project",)` in the expectations check once it runs GX projects as they are): its
kind is then never reported. Every rule id starts with `UNCOVERED_PREFIX`.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dataops_ci.checks import CHECKS, load
from dataops_ci.context import CheckContext
from dataops_ci.git import matches_any
from dataops_ci.report import UNCOVERED_PREFIX, Finding
from dataops_ci.words import noun, plural

SHOWN = 5  # paths named in one notice
MAX_SUITE_CANDIDATES = 500  # JSON files read to tell a GX suite from other JSON
GX_MARKERS = ("gx/great_expectations.yml", "great_expectations/great_expectations.yml")


@dataclass(frozen=True)
class Rule:
    kind: str  # also the rule id after the prefix, and what a check's COVERS names
    check: str  # the check that would cover it, and whose result carries the notice
    find: Callable[[CheckContext, list[str]], list[Finding]]


def _listed(paths: Sequence[str]) -> str:
    shown = ", ".join(paths[:SHOWN])
    return shown + (f" and {len(paths) - SHOWN} more" if len(paths) > SHOWN else "")


def _notice(kind: str, paths: Sequence[str], message: str, hint: str) -> Finding:
    return Finding(
        "notice", UNCOVERED_PREFIX + kind, message, paths[0], hint=hint, data={"files": list(paths)}
    )


def _outside(kind: str, suffix: str, key: str) -> Callable[[CheckContext, list[str]], list[Finding]]:
    """Files ending in `suffix` that the patterns of config key `key` (section.paths) do not match."""
    section, field = key.split(".")

    def find(ctx: CheckContext, files: list[str]) -> list[Finding]:
        patterns = list(getattr(getattr(ctx.config, section), field))
        outside = [p for p in files if p.endswith(suffix) and not matches_any(p, patterns)]
        if not outside:
            return []
        message = (
            f"{plural(len(outside), suffix + ' file')} outside {key} {patterns!r} "
            f"{noun(len(outside), 'is', 'are')} not checked: {_listed(outside)}"
        )
        return [_notice(kind, outside, message, f"add their folders to {key} in dataops-ci.yml")]

    return find


def gx_projects(files: list[str]) -> list[str]:
    """The directories holding a GX File Data Context (`…/gx/great_expectations.yml`)."""
    markers = [p for p in files if p in GX_MARKERS or p.endswith(tuple("/" + m for m in GX_MARKERS))]
    return sorted(posixpath.dirname(p) for p in markers)


def _gx_project(ctx: CheckContext, files: list[str]) -> list[Finding]:
    projects = gx_projects(files)
    if not projects:
        return []
    message = (
        f"a Great Expectations project at {_listed([p + '/' for p in projects])} is not run: the "
        "expectations check runs only the suites listed in expectations.suites"
    )
    hint = "list its suites with their data under expectations.suites"
    return [_notice("gx-project", [f"{p}/great_expectations.yml" for p in projects], message, hint)]


def _dbt_project(ctx: CheckContext, files: list[str]) -> list[Finding]:
    projects = [p for p in files if posixpath.basename(p) == "dbt_project.yml"]
    if not projects:
        return []
    message = (
        f"a dbt project ({_listed(projects)}): sql-lint lints its models as SQL files the way .sqlfluff "
        "configures sqlfluff, without dbt's own macros, packages or tests"
    )
    hint = "set `templater = jinja` (or dbt, with dbt and a profile installed) under [sqlfluff] in .sqlfluff"
    return [_notice("dbt-project", projects, message, hint)]


def _is_suite(raw: bytes | None) -> bool:
    try:
        value = json.loads(raw) if raw else None
    except (ValueError, RecursionError):
        return False
    return (
        isinstance(value, dict)
        and isinstance(value.get("expectations"), list)
        and ("name" in value or "expectation_suite_name" in value)
    )


def _suites(ctx: CheckContext, files: list[str]) -> list[Finding]:
    named = {entry.suite for entry in ctx.config.expectations.suites}
    inside_gx = tuple(p + "/" for p in gx_projects(files))
    candidates = [
        p
        for p in files
        if p.endswith(".json") and "expectations" in p.split("/")[:-1] and p not in named
        if not (inside_gx and p.startswith(inside_gx))  # part of a GX project: its own notice
    ][:MAX_SUITE_CANDIDATES]
    if not candidates:
        return []
    cap = ctx.config.expectations.max_suite_bytes
    sizes = ctx.repo.sizes(ctx.head, candidates)
    readable = [p for p in candidates if sizes.get(p, cap + 1) <= cap]
    contents = ctx.repo.read_files(ctx.head, readable)
    suites = [p for p in readable if _is_suite(contents.get(p))]
    if not suites:
        return []
    message = (
        f"{plural(len(suites), 'expectation suite')} that no expectations.suites entry names "
        f"{noun(len(suites), 'is', 'are')} not run: {_listed(suites)}"
    )
    return [_notice("suites", suites, message, "add each with its data under expectations.suites")]


RULES = (
    Rule("schema-files", "schema-compat", _outside("schema-files", ".avsc", "schemas.paths")),
    Rule("gx-project", "expectations", _gx_project),
    Rule("suites", "expectations", _suites),
    Rule("dbt-project", "sql-lint", _dbt_project),
    Rule("sql-files", "sql-lint", _outside("sql-files", ".sql", "sql.paths")),
)


def _covered(check: str) -> set[str]:
    return set(getattr(load(check), "COVERS", ()))


def discover(ctx: CheckContext, checks: Sequence[str]) -> dict[str, list[Finding]]:
    """Check name -> notices about what that check does not cover, for the checks of this run."""
    rules = [r for r in RULES if r.check in checks and r.check in CHECKS]
    rules = [r for r in rules if r.kind not in _covered(r.check)]
    if not rules:
        return {}
    files = ctx.repo.list_files(ctx.head)
    found: dict[str, list[Finding]] = {}
    for rule in rules:
        notices = rule.find(ctx, files)
        if notices:
            found.setdefault(rule.check, []).extend(notices)
    return found
