"""schema-compat: every changed Avro schema (.avsc) compared from base to head under its compatibility mode.

Module level stays light (stdlib + dataops_ci core): the CLI imports it to build its parser. The Avro
engine is imported when the check runs.
"""

from __future__ import annotations

import argparse
import gc
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from dataops_ci.checks.schema_compat.allow import apply_approvals, useless_approvals
from dataops_ci.checks.schema_compat.dependents import dependents
from dataops_ci.checks.schema_compat.files import BlobCache, Snapshot, Version, read_history, read_snapshot
from dataops_ci.checks.schema_compat.plan import Target, Verdict, mode_for, plan_targets
from dataops_ci.config import COMPATIBILITY_MODES
from dataops_ci.context import CheckContext
from dataops_ci.report import CheckResult, Finding, status_from_findings
from dataops_ci.words import plural

NAME = "schema-compat"
FREEZE_AFTER_OBJECTS = 200_000  # objects allocated during the run (about 100 schemas of 50 fields)


def add_arguments(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument(
        "--mode",
        type=str.upper,
        choices=COMPATIBILITY_MODES,
        default=None,
        help="compatibility mode for this run instead of schemas.compatibility "
        "(schemas.overrides still apply to the files they match)",
    )


def applies(ctx: CheckContext) -> bool:
    patterns = ctx.config.schemas.paths
    if ctx.files is not None:
        return any(ctx.selected(patterns))
    return ctx.all_files or bool(ctx.changed_matching(patterns))


def looked_for(ctx: CheckContext) -> str:
    return ctx.none_matched("schemas.paths", ctx.config.schemas.paths)


def run(ctx: CheckContext) -> CheckResult:
    # The parsed schemas are hundreds of thousands of small objects: the cyclic collector would walk them
    # again and again (a third of the time for 2,000 schemas) and free nothing. Pause it. After a big run,
    # freeze what is left so that re-enabling it does not walk it all once more (0.7 s for 2,000 schemas);
    # the price is that those revision graphs (cyclic) stay in memory until the process ends, as a CLI run
    # does anyway. After a small run the collector simply resumes.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(ctx)
    finally:
        if collecting:
            if gc.get_count()[0] > FREEZE_AFTER_OBJECTS:
                gc.freeze()
            gc.enable()


def _run(ctx: CheckContext) -> CheckResult:
    # the engine: only when running
    from dataops_ci.checks.schema_compat.verdict import Judge, divergence_notices, parse_side

    settings = ctx.config.schemas
    blobs: BlobCache = {}
    head_snapshot = read_snapshot(ctx.repo, ctx.head, settings.paths, settings.max_file_bytes, blobs)
    head_schemas = sorted({*head_snapshot.texts, *head_snapshot.refused})
    targets = plan_targets(ctx, head_schemas)
    if not targets:
        return CheckResult(NAME, "skipped", looked_for(ctx), metrics=_metrics([], [], 0))

    def read_base() -> Snapshot:
        return read_snapshot(ctx.repo, ctx.base, settings.paths, settings.max_file_bytes, blobs)

    base_snapshot = read_base() if any(t.old_path for t in targets) else None
    reached = (
        {}
        if ctx.all_files
        else dependents(targets, head_snapshot.texts, base_snapshot.texts if base_snapshot else {})
    )
    if reached:  # unchanged schemas using a changed file's types: judged too
        targets = sorted([*targets, *(Target(p, p, "unchanged") for p in reached)], key=lambda t: t.file)
        if base_snapshot is None:
            base_snapshot = read_base()

    def history(target: Target) -> list[Version]:
        return read_history(ctx.repo, ctx.base, target.old_path or "", settings.max_file_bytes)

    references = settings.references
    judge = Judge(
        head=parse_side(head_snapshot, references),
        base=parse_side(base_snapshot, references) if base_snapshot else None,
        history=history,
        deleted_severity=settings.deleted_severity,
        base_texts=base_snapshot.texts if base_snapshot else {},
        references=references,
    )
    cli_mode = ctx.options.get("mode")
    entries: list[dict[str, Any]] = []
    findings: list[Finding] = []
    for target in targets:
        mode = mode_for(target.file, settings.compatibility, settings.overrides, cli_mode)
        try:
            verdict = judge.judge(target, mode)
        except Exception as exc:  # noqa: BLE001 - one schema the engine chokes on must not hide the others
            verdict = _crashed(target, mode, exc)
        if target.file in reached:
            verdict = _reached(verdict, reached[target.file])
        entries.append(verdict.entry)
        findings += verdict.findings
    findings += _shallow_warning(ctx, entries)
    if ctx.all_files and references == "per-file":
        findings += divergence_notices(judge.head)
    findings = apply_approvals(findings, settings.allow, ctx.clock().date())
    findings += useless_approvals(settings.allow)
    return CheckResult(
        NAME,
        status_from_findings(findings),
        summarize(entries, findings),
        metrics=_metrics(entries, findings, len(head_schemas)),
        data={"files": entries},
        findings=tuple(findings),
    )


def _reached(verdict: Verdict, via: list[str]) -> Verdict:
    """An unchanged schema judged for the types it uses from changed files: its entry and findings say so."""
    through = f" (through a type it uses from {', '.join(via)})"
    findings = [
        replace(f, message=f.message + through, data={**f.data, "via": via}) for f in verdict.findings
    ]
    entry = {**verdict.entry, "via": via}
    if entry["status"] == "unchanged":  # its effective schema was compared, and nothing broke
        entry["status"] = "compatible"
    return Verdict(entry, findings)


def _crashed(target: Target, mode: str, exc: Exception) -> Verdict:
    entry = {"file": target.file, "old_file": target.old_path, "mode": mode, "status": "invalid"}
    finding = Finding(
        "error",
        "cannot-check-schema",
        f"comparing {target.file} failed: {type(exc).__name__}: {exc}",
        file=target.file,
        hint="this is a bug in dataops-ci; please report it with the two versions of the schema",
    )
    return Verdict(entry, [finding])


def _shallow_warning(ctx: CheckContext, entries: Sequence[dict[str, Any]]) -> list[Finding]:
    transitive = [e["file"] for e in entries if e["mode"].endswith("_TRANSITIVE") and e["old_file"]]
    if not transitive or not ctx.repo.is_shallow():
        return []
    return [
        Finding(
            "warning",
            "shallow-history",
            f"this is a shallow clone: the transitive check of {plural(len(transitive), 'schema')} saw only "
            "the versions present in it",
            hint="check out with `fetch-depth: 0` for *_TRANSITIVE modes",
        )
    ]


def is_breaking(finding: Finding) -> bool:
    """An error that breaks readers or writers (a wire incompatibility, or a deleted schema)."""
    return finding.severity == "error" and bool(finding.data.get("breaks"))


def _metrics(entries: Sequence[dict[str, Any]], findings: Sequence[Finding], total: int) -> dict[str, int]:
    statuses = [e["status"] for e in entries]
    return {
        "schemas_total": total,
        "schemas_checked": len(entries),
        "schemas_changed": sum(1 for e in entries if e["status"] != "unchanged" and "via" not in e),
        "schemas_reached": sum(1 for e in entries if "via" in e),  # unchanged, using a changed file's types
        "schemas_incompatible": statuses.count("incompatible"),
        "schemas_invalid": statuses.count("invalid"),
        "breaking_changes": sum(1 for f in findings if is_breaking(f)),
        "approved_breaks": sum(1 for f in findings if "approved" in f.data),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
    }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _entries_with(entries: Sequence[dict[str, Any]], findings: Sequence[Finding]) -> int:
    files = {f.file for f in findings}
    return sum(1 for e in entries if e["file"] in files or e["old_file"] in files)


def summarize(entries: Sequence[dict[str, Any]], findings: Sequence[Finding]) -> str:
    """One line, e.g. "2 breaking changes in 1 of 3 changed schemas"."""
    all_changed = all(e["status"] != "unchanged" and "via" not in e for e in entries)
    scope = _plural(len(entries), "changed schema" if all_changed else "schema")
    breaking = [f for f in findings if is_breaking(f)]
    invalid = sum(1 for e in entries if e["status"] == "invalid")
    parts = []
    if breaking:
        parts.append(
            f"{_plural(len(breaking), 'breaking change')} in {_entries_with(entries, breaking)} of {scope}"
        )
    if invalid:
        parts.append(f"{invalid} of {scope} could not be compared (invalid)")
    if not parts:
        parts.append(f"no breaking changes in {scope}")
    invalid_files = {e["file"] for e in entries if e["status"] == "invalid"}
    others = [
        f for f in findings if f.severity == "error" and not is_breaking(f) and f.file not in invalid_files
    ]
    if others:
        parts.append(f"{_plural(len(others), 'other error')} ({', '.join(sorted({f.rule for f in others}))})")
    approved = sum(1 for f in findings if "approved" in f.data)
    if approved:
        parts.append(_plural(approved, "approved break"))
    return "; ".join(parts)
