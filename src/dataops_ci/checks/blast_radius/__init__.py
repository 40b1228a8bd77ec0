"""blast-radius: for each breaking schema change and each changed SQL model, who uses it downstream.

Builds the lineage graph at base and head (lineage/, cached by content), lists the consumers of every
breaking Avro change (found as schema-compat finds them) and classifies every changed model's output
columns: a removed or retyped column that a model, suite or pipeline still uses is an error at the
consumer's location, approvable like a schema break (`lineage.allow`, or the approval label).
Module level is stdlib + core: sqlglot is imported when the graph is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from dataops_ci.checks.blast_radius.common import BREAKING_COLUMN_CHANGES
from dataops_ci.checks.blast_radius.models import model_targets
from dataops_ci.checks.blast_radius.schemas import schema_targets
from dataops_ci.checks.schema_compat.allow import apply_approvals, useless_approvals
from dataops_ci.context import CheckContext
from dataops_ci.report import CheckResult, Finding, status_from_findings
from dataops_ci.words import plural

NAME = "blast-radius"
DBT_PACKAGE_FILES = frozenset({"packages.yml", "package-lock.yml", "dependencies.yml"})


def applies(ctx: CheckContext) -> bool:
    patterns = [*ctx.config.schemas.paths, *ctx.config.sql.paths]
    return ctx.all_files or bool(ctx.changed_matching(patterns)) or bool(package_changes(ctx))


def package_changes(ctx: CheckContext) -> list[str]:
    """Changed dbt package lists: packages.yml, package-lock.yml or dependencies.yml of a dbt project."""
    candidates = [c.path for c in ctx.changed if PurePosixPath(c.path).name in DBT_PACKAGE_FILES]
    if not candidates:
        return []
    head = set(ctx.repo.list_files(ctx.head))
    return sorted(p for p in candidates if str(PurePosixPath(p).parent / "dbt_project.yml") in head)


def _package_finding(path: str) -> Finding:
    message = (
        f"{path} changed: both revisions are rendered with the dbt packages installed in this checkout, so "
        "what the new package versions change in the models is not traced"
    )
    hint = "review the models that call the package's macros; dataops-ci cannot install the base's packages"
    return Finding("warning", "dbt-packages-changed", message, path, hint=hint)


def looked_for(ctx: CheckContext) -> str:
    schemas = ctx.none_matched("schemas.paths", ctx.config.schemas.paths)
    return f"{schemas} nor sql.paths {list(ctx.config.sql.paths)!r}"


def run(ctx: CheckContext) -> CheckResult:
    from dataops_ci.lineage.build import build_graph
    from dataops_ci.lineage.cache import ParseCache, cache_root

    cache = ParseCache(cache_root() if ctx.config.lineage.cache else None)
    head = build_graph(ctx.repo, ctx.head, ctx.config, cache)
    base = build_graph(ctx.repo, ctx.base, ctx.config, cache)
    targets: list[dict[str, Any]] = []
    findings: list[Finding] = []
    for target, found in schema_targets(ctx, head, base):
        targets.append(target)
        findings += found
    for target, found in model_targets(ctx, head, base):
        targets.append(target)
        findings += found
    findings += [_note_finding(n) for n in head.notes]
    findings += [_package_finding(p) for p in package_changes(ctx)]
    findings = apply_approvals(findings, ctx.config.lineage.allow, ctx.clock().date(), "lineage.allow")
    findings += useless_approvals(ctx.config.lineage.allow, "lineage.allow")
    metrics = {
        "targets": len(targets),
        "consumers": sum(len(t["consumers"]) for t in targets),
        "nodes": len(head.nodes),
        "uses": len(head.uses),
        "models": head.stats.get("models", 0),
        "parsed": cache.misses,
        "from_cache": cache.hits,
        "breaking_uses": sum(1 for f in findings if f.rule in BREAKING_COLUMN_CHANGES.values()),
    }
    return CheckResult(
        NAME,
        status_from_findings(findings),
        summarize(targets, findings),
        metrics=metrics,
        data={"targets": targets},
        findings=tuple(findings),
    )


def _note_finding(note: dict[str, Any]) -> Finding:
    return Finding("notice", note["rule"], note["message"], note.get("file"), hint=note.get("hint"))


def summarize(targets: Sequence[dict[str, Any]], findings: Sequence[Finding]) -> str:
    schemas = [t for t in targets if t["kind"] == "schema"]
    models = [t for t in targets if t["kind"] == "model"]
    breaks = sum(1 for f in findings if f.data.get("breaks") == "downstream" and f.severity == "error")
    parts = []
    if schemas:
        used = sum(1 for t in schemas if t["consumers"])
        parts.append(
            f"{plural(len(schemas), 'breaking schema change')}, {used} with consumers in this repository"
        )
    if models:
        parts.append(f"{plural(len(models), 'changed SQL model')}")
    if breaks:
        parts.append(f"{plural(breaks, 'downstream use')} of removed or retyped columns")
    return "; ".join(parts) if parts else "no breaking schema change or changed SQL model to trace"
