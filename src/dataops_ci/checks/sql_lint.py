"""sql-lint: sqlfluff on the SQL files a change touched, reporting on the lines it added or changed.

Honours the repository's own sqlfluff config (.sqlfluff, setup.cfg, tox.ini, pyproject.toml,
.sqlfluffignore) with the repository root as sqlfluff's working directory. Files are linted in a process
pool and results kept in a content+config keyed cache, so unchanged files cost nothing on the next run.
Top-level imports are stdlib + core only: sqlfluff is imported by the workers, and not at all when every
file is cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dataops_ci.context import CheckContext
from dataops_ci.limits import Cap
from dataops_ci.report import CheckResult, Finding, Severity, status_from_findings
from dataops_ci.sqllint.cache import (
    LintCache,
    cache_key,
    cache_root,
    clear_fingerprint_memo,
    config_fingerprint,
)
from dataops_ci.sqllint.dbt_files import DbtFiles
from dataops_ci.words import noun, plural

NAME = "sql-lint"
# A dbt project is linted as it is (its dialect, macros and packages; dataops_ci.dbt): no discovery notice.
COVERS = ("dbt-project",)
DEFAULT_DIALECT = "ansi"
CONFIG_HINT = (
    "install the sqlfluff templater plugin the config names (dbt also needs a profile), or set "
    "`sql: {templater_fallback: jinja}` in dataops-ci.yml to lint with the Jinja templater instead"
)
DIALECT_HINT = (
    "if this SQL is valid in your database, set its dialect: `dialect = postgres` under [sqlfluff] "
    "in .sqlfluff, or `sql: {dialect: postgres}` in dataops-ci.yml"
)


def applies(ctx: CheckContext) -> bool:
    return bool(ctx.selected(ctx.config.sql.paths))


def looked_for(ctx: CheckContext) -> str:
    return ctx.none_matched("sql.paths", ctx.config.sql.paths)


def run(ctx: CheckContext) -> CheckResult:
    cfg = ctx.config.sql
    paths = ctx.selected(cfg.paths)
    if not paths:
        return CheckResult(NAME, "skipped", looked_for(ctx))
    refused = oversized(ctx, paths)
    results, cached = lint_paths(ctx, [p for p in paths if p not in refused])
    report_all = cfg.report == "all" or ctx.all_files
    findings = list(refused.values()) + setup_findings(results.values(), cfg.dialect is None)
    findings += skip_findings(results) + unreadable_findings(results)
    reported = 0
    total = 0
    # A renamed file is diffed against its old path: only the lines the PR touched are its changes.
    old_paths = {c.path: c.old_path for c in ctx.changed}
    for path, result in results.items():
        violations = result.get("violations", [])
        total += len(violations)
        lines = None if report_all else ctx.repo.changed_lines(ctx.base, ctx.head, path, old_paths.get(path))
        for violation in violations:
            if lines is None or violation["kind"] != "lint" or violation["line"] in lines:
                findings.append(violation_finding(path, violation))
                reported += violation["kind"] == "lint"
    status = status_from_findings(findings, cfg.fail_on)
    summary = lint_summary(results, cached, reported, report_all) + (
        f"; {plural(len(refused), 'file')} over sql.max_file_bytes not read" if refused else ""
    )
    metrics = {
        "files": len(results),
        "files_cached": cached,
        "files_ignored": sum(1 for r in results.values() if r.get("ignored")),
        "violations_total": total,
        "violations_reported": reported,
    }
    data = {"report": "all" if report_all else "changed-lines", "files": file_entries(results)}
    return CheckResult(NAME, status, summary, metrics=metrics, data=data, findings=tuple(findings))


NOT_LINTED = ("from_cache", "config_error", "skipped", "dbt_support_file", "unreadable")  # result flags


def lint_summary(
    results: Mapping[str, Mapping[str, Any]], cached: int, reported: int, report_all: bool
) -> str:
    """The counts; says so when nothing was linted (every file's sqlfluff config failed to load)."""
    failed = sum(1 for r in results.values() if r.get("config_error"))
    skipped = sum(1 for r in results.values() if r.get("skipped"))
    support = sum(1 for r in results.values() if r.get("dbt_support_file"))
    unreadable = sum(1 for r in results.values() if r.get("unreadable"))
    if results and failed == len(results):
        return (
            "nothing was linted: sqlfluff's config could not be loaded for any of "
            f"{plural(len(results), 'SQL file')}"
        )
    scope = "in the linted files" if report_all else "on changed lines"
    linted = sum(1 for r in results.values() if not any(r.get(flag) for flag in NOT_LINTED))
    support_files = f"dbt macro/package {noun(support, 'file')}"
    others = (
        (failed, "not linted (config)"),
        (skipped, "skipped"),
        (support, support_files),
        (unreadable, "not text"),
    )
    extra = "".join(f", {count} {what}" for count, what in others if count)
    return (
        f"{plural(reported, 'violation')} {scope} of {plural(len(results), 'SQL file')} "
        f"({linted} linted, {cached} from cache{extra})"
    )


def _text(content: bytes) -> str | None:
    """The file as text; None for NUL bytes (binary, or UTF-16/32: decoded as UTF-8 it would be linted as
    noise, and git diffs it as binary, so no line would count as changed). Other bytes that are not UTF-8
    (a latin-1 accent) are replaced: the lines and the SQL around them are intact."""
    if b"\0" in content:
        return None
    return content.decode("utf-8-sig", errors="replace")


def unreadable_findings(results: Mapping[str, Mapping[str, Any]]) -> list[Finding]:
    return [
        Finding(
            "error",
            "cannot-read-sql",
            f"{path} is not text in UTF-8 (it holds NUL bytes: binary, or UTF-16/32): not linted",
            path,
            hint="save the file as UTF-8",
        )
        for path, r in results.items()
        if r.get("unreadable")
    ]


def skip_findings(results: Mapping[str, Mapping[str, Any]]) -> list[Finding]:
    """A notice per file sqlfluff's large_file_skip_byte_limit skips (plain sqlfluff skips it too)."""
    return [
        Finding("notice", "sql-file-skipped", str(r["skipped"]), path)
        for path, r in results.items()
        if r.get("skipped")
    ]


def oversized(ctx: CheckContext, paths: list[str]) -> dict[str, Finding]:
    """Files over `sql.max_file_bytes`, refused before reading, each with its finding."""
    cap = Cap("sql.max_file_bytes", ctx.config.sql.max_file_bytes)
    refused = cap.over(ctx.repo.sizes(ctx.head, paths))
    return {p: over.finding("cannot-read-sql", p) for p, over in refused.items()}


def lint_paths(ctx: CheckContext, paths: list[str]) -> tuple[dict[str, dict[str, Any]], int]:
    """Results per path (cache hits, then fresh lints); and how many came from the cache."""
    from dataops_ci.sqllint.jobs import LintJob
    from dataops_ci.sqllint.pool import lint_jobs

    cfg = ctx.config.sql
    root = ctx.repo.root.resolve()
    dbt = DbtFiles(root)
    cache = LintCache(cache_root() if cfg.cache else None)
    clear_fingerprint_memo()
    results: dict[str, dict[str, Any]] = {}
    jobs: list[LintJob] = []
    keys: dict[str, str] = {}
    for path, content in ctx.repo.read_files(ctx.head, paths).items():
        if content is None:
            continue
        project = dbt.project(path)
        if dbt.not_a_model(path):
            results[path] = {"path": path, "ignored": True, "violations": [], "dbt_support_file": True}
            continue
        dialect = cfg.dialect or (project and dbt.dialect(project)) or DEFAULT_DIALECT
        settings = {"default_dialect": dialect, "templater_fallback": cfg.templater_fallback}
        if project is not None:
            settings["dbt"] = dbt.digest(project)
        keys[path] = cache_key(path, content, config_fingerprint(root / path, root), settings)
        hit = cache.get(keys[path])
        if hit is not None:
            results[path] = {**hit, "from_cache": True}
            continue
        text = _text(content)
        if text is None:
            results[path] = {"path": path, "violations": [], "unreadable": True}
            continue
        dbt_root = str(project.root) if project is not None else None
        jobs.append(LintJob(path, str(root / path), text, dialect, cfg.templater_fallback, dbt_root))
    cached = sum(1 for r in results.values() if not r.get("dbt_support_file"))
    for result in lint_jobs(jobs, root, cfg.processes, ctx.config.tests.scrub_env):
        project = dbt.project(result["path"])
        if project is not None and result.get("dialect_assumed") and not cfg.dialect:
            result["dialect_source"] = "dbt profile" if dbt.dialect(project) else "no dbt profile"
        results[result["path"]] = result
        if not result.get("config_error"):  # plugins are not in the key: never cache a load failure
            cache.put(keys[result["path"]], result)
    return dict(sorted(results.items())), cached


def setup_findings(results: Iterable[Mapping[str, Any]], dialect_unset: bool) -> list[Finding]:
    """One finding per distinct config problem, templater fallback, or assumed dialect."""
    results = list(results)
    findings: list[Finding] = []
    errors: dict[str, list[str]] = {}
    for result in results:
        if result.get("config_error"):
            errors.setdefault(result["config_error"], []).append(result["path"])
    for message, files in errors.items():
        data = {"files": files}
        findings.append(Finding("error", "cannot-load-sqlfluff-config", message, hint=CONFIG_HINT, data=data))
    notes = sorted({r["fallback_note"] for r in results if r.get("fallback_note")})
    findings += [Finding("notice", "sql-templater-fallback", note) for note in notes]
    profiled = sorted({r["dialect_assumed"] for r in results if r.get("dialect_source") == "dbt profile"})
    if dialect_unset and profiled:
        message = (
            f"no SQL dialect in the sqlfluff config; `{', '.join(profiled)}` from the dbt profile's adapter"
        )
        findings.append(Finding("notice", "sql-dialect-from-dbt-profile", message))
    rest = [r for r in results if r.get("dialect_source") != "dbt profile"]
    assumed = sorted({r["dialect_assumed"] for r in rest if r.get("dialect_assumed")})
    if dialect_unset and assumed:
        message = f"no SQL dialect configured; assumed `{', '.join(assumed)}`"
        if any(r.get("dialect_source") == "no dbt profile" for r in rest):
            message += " (the dbt project's profile, and so its adapter type, cannot be read)"
        findings.append(Finding("notice", "sql-dialect-assumed", message, hint=DIALECT_HINT))
    return findings


TEMPLATE_HINT = (
    "define the variables and macros the template needs under [sqlfluff:templater:jinja] in .sqlfluff"
)
CRASH_HINT = (
    "a bug in sqlfluff, not in this SQL: the rest of the file was linted; `-- noqa: <rule>` silences it"
)
# kind of sqlfluff violation that stops a file being linted -> (rule id, message prefix, hint)
BLOCKING_KINDS: dict[str, tuple[str, str, str | None]] = {
    "parse": ("sql-parse-error", "SQL cannot be parsed", DIALECT_HINT),
    "template": ("sql-template-error", "SQL template cannot be rendered", TEMPLATE_HINT),
    "lex": ("sql-lex-error", "SQL cannot be tokenised", DIALECT_HINT),
    "other": ("sql-lex-error", "SQL cannot be read", None),
    "crash": ("sqlfluff-rule-crashed", "a sqlfluff rule crashed on this file", CRASH_HINT),
}


def violation_finding(path: str, violation: Mapping[str, Any]) -> Finding:
    kind, code, description = violation["kind"], violation["code"], violation["description"]
    severity: Severity = "warning" if violation.get("warning") or kind == "crash" else "error"
    line, column = violation.get("line") or None, violation.get("column") or None
    data: dict[str, Any] = {"code": code, "name": violation.get("name", "")}
    if kind in BLOCKING_KINDS:
        rule, prefix, hint = BLOCKING_KINDS[kind]
        message = f"{prefix}: {description}"
        if kind == "crash":
            first = description.split(";")[0].strip()
            message = f"sqlfluff rule {code} ({violation.get('name')}) crashed on this file: {first}"
        return Finding(severity, rule, message, path, line, hint=hint, column=column, data=data)
    fix = violation.get("fix")
    if fix:
        data["fix"] = fix
    message = f"{code} ({violation.get('name')}): {description}"
    rule = f"sqlfluff-{code.lower()}"
    return Finding(severity, rule, message, path, line, hint=fix_hint(path, fix), column=column, data=data)


def fix_hint(path: str, fix: Mapping[str, Any] | None) -> str | None:
    if not fix:
        return None
    if "fixed" in fix and "\n" not in fix["fixed"].rstrip("\n"):
        return f"sqlfluff would rewrite line {fix['start_line']} as: {fix['fixed'].rstrip()}"
    return f"`sqlfluff fix {path}` can fix this"


def file_entries(results: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "file": path,
            "violations": len(result.get("violations", [])),
            "ignored": bool(result.get("ignored")),
            "error": result.get("config_error"),
        }
        for path, result in results.items()
    ]
