"""Runs the selected checks and builds the Report. A check that crashes or cannot import becomes an
`error` result with a finding that says why; every other check still runs."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from dataops_ci import checks
from dataops_ci.config import load_config
from dataops_ci.context import CheckContext
from dataops_ci.git import (
    OUTSIDE_REPO_HINT,
    GitError,
    GitRepo,
    checked_revision,
    event_base_sha,
    outside_repo_message,
)
from dataops_ci.report import WORKTREE, CheckResult, Finding, Report
from dataops_ci.words import plural


def run_one(name: str, ctx: CheckContext, explicit: bool) -> CheckResult:
    started = time.perf_counter()
    spec = checks.CHECKS[name]
    ctx = replace(ctx, repo=ctx.repo.fresh())  # its own log of paths refused for leaving the repository
    try:
        module = checks.load(name)
        applies = getattr(module, "applies", None)
        if not explicit and applies is not None and not applies(ctx):
            return CheckResult(name, "skipped", looked_for(module, ctx))
        result: CheckResult = module.run(ctx)
    except ImportError as exc:
        extras = ",".join(spec.extras) or "all"
        result = _error_result(
            name,
            f"{name} needs a package that is not installed: {exc.name or exc}",
            "cannot-import",
            f"install the extra: pip install 'dataops-ci[{extras}]'",
        )
    except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
        result = _error_result(
            name,
            f"{name} crashed: {type(exc).__name__}: {exc}",
            "cannot-run-check",
            "this is a bug in dataops-ci; please report it with the report JSON",
        )
    result = with_refusals(result, ctx.repo.refused)
    if not result.duration_s:
        result = replace(result, duration_s=time.perf_counter() - started)
    return result


def looked_for(module: Any, ctx: CheckContext) -> str:
    """A skipped check's summary: what it looked for (its patterns and their config key)."""
    describe = getattr(module, "looked_for", None)
    return str(describe(ctx)) if describe is not None else "nothing to check in this change"


def with_refusals(result: CheckResult, refused: Iterable[str]) -> CheckResult:
    """The check's result plus one could-not-check finding per path it was refused (it leads outside the
    repository): never read, and never silently skipped."""
    extra = tuple(
        Finding("error", "cannot-read-outside-repo", outside_repo_message(p), p, hint=OUTSIDE_REPO_HINT)
        for p in refused
    )
    if not extra:
        return result
    status = result.status if result.status in ("failed", "error") else "error"
    summary = f"{result.summary}; {plural(len(extra), 'file')} refused: outside the repository"
    return replace(result, status=status, summary=summary, findings=result.findings + extra)


def _error_result(name: str, message: str, rule: str, hint: str) -> CheckResult:
    finding = Finding(severity="error", rule=rule, message=message, hint=hint)
    return CheckResult(name, "error", message, findings=(finding,))


def quality_score(results: Sequence[CheckResult]) -> float | None:
    """Passed over evaluated expectations, across every check that evaluates expectations."""
    passed = sum(int(r.metrics.get("expectations_passed", 0)) for r in results)
    evaluated = sum(int(r.metrics.get("expectations_evaluated", 0)) for r in results)
    return round(passed / evaluated, 4) if evaluated else None


def base_quality_score(results: Sequence[CheckResult]) -> float | None:
    """The same score on the base revision, only when every scored check measured its base too:
    comparing a base subset with the whole head would report a change that did not happen."""
    scored = [r for r in results if int(r.metrics.get("expectations_evaluated", 0))]
    if any(not int(r.metrics.get("base_expectations_evaluated", 0)) for r in scored):
        return None
    passed = sum(int(r.metrics.get("base_expectations_passed", 0)) for r in results)
    evaluated = sum(int(r.metrics.get("base_expectations_evaluated", 0)) for r in results)
    return round(passed / evaluated, 4) if evaluated else None


def with_discoveries(results: list[CheckResult], ctx: CheckContext) -> list[CheckResult]:
    """Each result plus the notices about what its check does not cover (not for explicit FILES: a
    pre-commit hook is about the files it was given)."""
    if ctx.files is not None:
        return results
    from dataops_ci.checks.discovery import discover

    found = discover(replace(ctx, repo=ctx.repo.fresh()), [r.name for r in results])
    return [replace(r, findings=r.findings + tuple(found[r.name])) if r.name in found else r for r in results]


def run_checks(names: Sequence[str], ctx: CheckContext, explicit: bool = False) -> Report:
    started = time.perf_counter()
    results = with_discoveries([run_one(name, ctx, explicit) for name in names], ctx)
    context: dict[str, object] = {}
    base_score = base_quality_score(results)
    if base_score is not None:
        context["base_quality_score"] = base_score
    return Report(
        base=ctx.base,
        head=ctx.head or WORKTREE,
        checks=tuple(results),
        duration_s=time.perf_counter() - started,
        quality_score=quality_score(results),
        context=context,
        head_commit=None if ctx.head else _checked_out(ctx.repo),
        teams=dict(ctx.config.teams),
    )


def _checked_out(repo: GitRepo) -> str | None:
    try:
        return repo.resolve("HEAD")
    except GitError:  # no commit yet
        return None


def resolve_base(repo: GitRepo, base: str | None, env: Mapping[str, str]) -> str:
    """--base, else the PR base in GitHub Actions (event payload), else HEAD (what pre-commit needs)."""
    if base is None and env.get("GITHUB_ACTIONS") == "true":
        sha = event_base_sha(env.get("GITHUB_EVENT_PATH"))
        if sha:
            repo.ensure_commit(sha)
            return sha
    ref = checked_revision(base or "HEAD")
    try:
        return repo.resolve(ref)
    except GitError:
        if len(ref) >= 7 and all(ch in "0123456789abcdef" for ch in ref.lower()):
            repo.ensure_commit(ref)
            return repo.resolve(ref)
        raise GitError(
            f"cannot resolve base revision '{ref}': fetch it first (git fetch origin), "
            "or in GitHub Actions check out with `fetch-depth: 0`"
        ) from None


def build_context(
    *,
    cwd: Path,
    base: str | None,
    head: str | None,
    config_file: str | None,
    all_files: bool = False,
    files: Sequence[str] | None = None,
    options: dict[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> CheckContext:
    env = os.environ if env is None else env
    repo = GitRepo.discover(cwd, pinned=True)  # one run: each revision resolved, the worktree listed, once
    config = load_config(repo.root, config_file)
    base_sha = resolve_base(repo, base, env)
    head_sha = repo.resolve(head) if head else None
    rel_files = None
    if files is not None:
        rel_files = tuple(repo_relative(repo.root, cwd, f) for f in files)
    return CheckContext(
        repo=repo,
        config=config,
        base=base_sha,
        head=head_sha,
        changed=tuple(repo.changed_files(base_sha, head_sha)),
        all_files=all_files,
        files=rel_files,
        options=dict(options or {}),
    )


def repo_relative(root: Path, cwd: Path, path: str) -> str:
    """A command-line path (relative to where dataops-ci was started) as a path in the repository."""
    absolute = (cwd / path).absolute()
    try:
        return absolute.relative_to(root.absolute()).as_posix()
    except ValueError:
        return Path(path).as_posix()


# "dataops-ci.yml:12: unknown key ..." (how config errors say where): the file and line, for annotations
_AT_LINE = re.compile(r"^(?P<file>[^\s:][^:\n]*):(?P<line>\d+): (?P<message>.+)$")
# what stopped the run, by its type's name (UsageError is the CLI's own, a layer above) -> the result's
# name, the finding's rule, what to do
_STOPPED_BY = {
    "ConfigError": (
        "config",
        "cannot-load-config",
        "correct the configuration: nothing is checked until it loads",
    ),
    "GitError": (
        "git",
        "cannot-read-repository",
        "check the revisions and the clone (fetch-depth: 0 in Actions)",
    ),
    "UsageError": ("usage", "cannot-parse-command-line", "see `dataops-ci --help`"),
}


def could_not_start(error: Exception, base: str | None, head: str | None) -> Report:
    """The report of a run stopped before any check (bad config, unreadable repository, bad arguments):
    written all the same, so the comment and the annotations say why nothing was checked."""
    name, rule, hint = _STOPPED_BY.get(type(error).__name__, ("dataops-ci", "cannot-start", ""))
    findings = []
    for text in str(error).splitlines() or [type(error).__name__]:
        at = _AT_LINE.match(text)
        file, line, text = (at["file"], int(at["line"]), at["message"]) if at else (None, None, text)
        findings.append(Finding("error", rule, text, file, line, hint=hint or None))
    result = CheckResult(
        name, "error", f"nothing was checked: {findings[0].message}", findings=tuple(findings)
    )
    return Report(base=base or "unknown", head=head or WORKTREE, checks=(result,))
