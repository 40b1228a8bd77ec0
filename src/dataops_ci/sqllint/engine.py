"""The sqlfluff side of sql-lint: load the repo's config, lint one file, return plain JSON-able dicts.

Runs in worker processes (or in-process for one file) with the repository root as the working
directory, because sqlfluff discovers config files between the working directory and the file.
Results are dicts (not sqlfluff objects) so they pickle cheaply and can be stored in the lint cache.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlfluff.core import FluffConfig, Linter
from sqlfluff.core.config import clear_config_caches, load_config_up_to_path
from sqlfluff.core.errors import SQLBaseError, SQLLintError, SQLParseError, SQLTemplaterError
from sqlfluff.core.linter.discovery import paths_from_path

from dataops_ci.sqllint import dbt_jinja
from dataops_ci.sqllint.jobs import LintJob

# sqlfluff logs warnings (e.g. "file ignored by .sqlfluffignore") that would otherwise reach stderr.
logging.getLogger("sqlfluff").addHandler(logging.NullHandler())
logging.getLogger("sqlfluff").propagate = False

BUILTIN_TEMPLATERS = ("raw", "jinja", "python", "placeholder")


@dataclass(frozen=True)
class LoadedConfig:
    config: FluffConfig | None
    dialect_assumed: str | None = None  # set when no config named a dialect
    fallback_note: str | None = None  # set when the templater fallback was used
    error: str | None = None  # set when the config cannot be loaded


_CONFIGS: dict[tuple[str, str, str | None, str | None, str | None], LoadedConfig] = {}


def reset() -> None:
    """Forget loaded configs (sqlfluff caches config files by name; they may have changed)."""
    _CONFIGS.clear()
    clear_config_caches()
    dbt_jinja.reset()


def init_worker(root: str) -> None:
    os.chdir(root)
    reset()


def _core(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    core = raw.get("core")
    return core if isinstance(core, Mapping) else {}


def _config_error(raw: Mapping[str, Any], exc: Exception) -> str:
    core = _core(raw)
    text = str(exc).strip() or type(exc).__name__
    if "templater" in text.lower():
        return (
            f"sqlfluff cannot load the templater set by `templater = {core.get('templater')}` "
            f"in the repository's sqlfluff config: {text}"
        )
    if "dialect" in text.lower():
        return f"sqlfluff cannot use `dialect = {core.get('dialect')}`: {text}"
    return f"sqlfluff cannot load the repository's sqlfluff config: {text}"


def load_config(
    directory: str,
    default_dialect: str,
    fallback: str | None,
    failed: str | None = None,
    dbt_root: str | None = None,
) -> LoadedConfig:
    """The config for files in `directory`. `failed`: the configured templater loaded but failed on a
    file with this error; go straight to the fallback. `dbt_root`: the files' dbt project."""
    key = (directory, default_dialect, fallback, failed, dbt_root)
    if key not in _CONFIGS:
        _CONFIGS[key] = _load_config(directory, default_dialect, fallback, failed, dbt_root)
    return _CONFIGS[key]


def _dbt_templater(raw: Mapping[str, Any], dbt_root: str | None) -> tuple[bool, str | None]:
    """(use dbt's context with the Jinja templater, the notice saying why dbt's own templater is not used)."""
    templater = _core(raw).get("templater")
    if dbt_root is None or templater not in (None, "jinja", "dbt"):
        return False, None
    if templater != "dbt":
        return True, None
    reason = dbt_jinja.dbt_templater_usable(dbt_root)
    if reason is None:
        return False, None
    note = (
        f"sqlfluff's dbt templater cannot run here ({reason}); linted with the Jinja templater and the dbt "
        "project's macros, packages and builtins instead"
    )
    return True, note


def _load_config(
    directory: str, default_dialect: str, fallback: str | None, failed: str | None, dbt_root: str | None
) -> LoadedConfig:
    try:
        raw = load_config_up_to_path(path=directory)
    except Exception as exc:  # noqa: BLE001 - any unreadable config becomes one finding
        return LoadedConfig(None, error=f"sqlfluff cannot read the repository's config files: {exc}")
    overrides: dict[str, Any] = {}
    assumed = None
    if not _core(raw).get("dialect"):
        overrides["dialect"] = assumed = default_dialect
    error = failed
    use_dbt_context, note = _dbt_templater(raw, dbt_root) if failed is None else (False, None)
    if use_dbt_context:
        dbt_jinja.register()
        overrides["templater"] = dbt_jinja.NAME
    if error is None:
        try:
            config = FluffConfig(configs=raw, overrides=overrides or None)
            return LoadedConfig(config, assumed, fallback_note=note)
        except Exception as exc:  # noqa: BLE001
            error = _config_error(raw, exc)
    templater = _core(raw).get("templater")
    if fallback and templater != fallback:
        try:
            config = FluffConfig(configs=raw, overrides={**overrides, "templater": fallback})
        except Exception as exc:  # noqa: BLE001
            return LoadedConfig(None, error=f"{error}; the fallback templater {fallback} failed too: {exc}")
        note = f"{error}; linted with the `{fallback}` templater instead (sql.templater_fallback)"
        return LoadedConfig(config, assumed, fallback_note=note)
    return LoadedConfig(None, error=error)


def is_ignored(abs_path: str, root: str) -> bool:
    """True when .sqlfluffignore (or core.ignore_paths) excludes the file, as plain sqlfluff would."""
    ext = os.path.splitext(abs_path)[1] or ".sql"
    found = paths_from_path(
        abs_path, working_path=root, target_file_exts=(ext,), check_non_existent_file=True
    )
    return not found


def lint_job(job: LintJob) -> dict[str, Any]:
    """Lint one file; never raises. The result dict is what the cache stores."""
    root = os.getcwd()
    try:
        if is_ignored(job.abs_path, root):
            return {"path": job.rel_path, "ignored": True, "violations": []}
    except Exception:  # noqa: BLE001, S110 - a broken ignore file must not stop linting
        pass
    directory = os.path.dirname(job.abs_path)
    loaded = load_config(directory, job.default_dialect, job.templater_fallback, dbt_root=job.dbt_root)
    return _lint_with(job, loaded)


def _lint_with(job: LintJob, loaded: LoadedConfig) -> dict[str, Any]:
    result: dict[str, Any] = {
        "path": job.rel_path,
        "dialect_assumed": loaded.dialect_assumed,
        "fallback_note": loaded.fallback_note,
        "violations": [],
    }
    if loaded.config is None:
        return {**result, "config_error": loaded.error}
    skipped = over_skip_limit(loaded.config, job)
    if skipped:
        return {**result, "skipped": skipped}
    try:
        linted = Linter(config=loaded.config).lint_string(job.text, fname=job.abs_path)
    except Exception as exc:  # noqa: BLE001 - e.g. the dbt templater without a profile
        templater = loaded.config.get("templater")
        message = f"sqlfluff failed with `templater = {templater}`: {type(exc).__name__}: {exc}"
        if loaded.fallback_note is None and job.templater_fallback not in (None, templater):
            directory = os.path.dirname(job.abs_path)
            return _lint_with(
                job, load_config(directory, job.default_dialect, job.templater_fallback, message)
            )
        return {**result, "config_error": message}
    violations = [violation_dict(v, job.text) for v in linted.get_violations(filter_warning=False)]
    result["violations"] = one_template_error(violations) if job.dbt_root else violations
    return result


def over_skip_limit(config: FluffConfig, job: LintJob) -> str | None:
    """sqlfluff's `large_file_skip_byte_limit` (0 disables it): why the file is skipped, as plain
    `sqlfluff lint` skips it."""
    try:
        limit = int(config.get("large_file_skip_byte_limit") or 0)
    except (TypeError, ValueError):
        return None
    size = len(job.text.encode("utf-8"))
    if limit <= 0 or size <= limit:
        return None
    return (
        f"{size} bytes, over sqlfluff's large_file_skip_byte_limit of {limit}: not linted, as plain sqlfluff "
        "skips it (raise or disable the limit under [sqlfluff] in .sqlfluff to lint it)"
    )


_UNDEFINED = re.compile(r"Undefined jinja template variable: '([^']+)'")


def one_template_error(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A dbt model that does not render: one template error naming the macros it could not find, and no
    parse errors (they are only the consequence); lint violations are kept."""
    template = [v for v in violations if v["kind"] == "template"]
    if not template:
        return violations
    names = list(dict.fromkeys(m for v in template for m in _UNDEFINED.findall(v["description"])))
    if names:
        listed = ", ".join(f"`{n}`" for n in names)
        description = (
            f"{listed} is not a dbt builtin, a macro of this project or of an installed package "
            "(dbt_packages/; run `dbt deps`)"
        )
    else:
        description = template[0]["description"]
    merged = {**template[0], "description": capped_description(description, False), "macros": names}
    return [merged, *(v for v in violations if v["kind"] not in ("template", "parse"))]


def _kind(violation: SQLBaseError) -> str:
    if isinstance(violation, SQLLintError):
        return "crash" if violation.desc().startswith("Unexpected exception") else "lint"
    if isinstance(violation, SQLParseError):
        return "parse"
    if isinstance(violation, SQLTemplaterError):
        return "template"
    return "lex" if violation.rule_code() == "LXR" else "other"


# sqlfluff quotes the file in the messages of parse, lex and template errors ("Found unparsable section:
# '<the rest of the file>'"): there the quote is cut to a few dozen characters, and every message to a few
# hundred, so no message carries a whole file into the report (or a secret a symlink pointed at).
QUOTE_MAX = 40
DESCRIPTION_MAX = 300
_QUOTE_ONWARDS = re.compile("(['\"`])(.{" + str(QUOTE_MAX) + "}).+", re.DOTALL)


def capped_description(text: str, quotes_content: bool) -> str:
    if quotes_content:
        text = _QUOTE_ONWARDS.sub(lambda m: f"{m.group(1)}{m.group(2)}…{m.group(1)}", text, count=1)
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1] + "…"


def violation_dict(violation: SQLBaseError, source: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": _kind(violation),
        "code": violation.rule_code(),
        "name": violation.rule_name() if isinstance(violation, SQLLintError) else "",
        "description": capped_description(violation.desc(), not isinstance(violation, SQLLintError)),
        "line": violation.line_no,
        "column": violation.line_pos,
        "warning": bool(violation.warning),
    }
    if isinstance(violation, SQLLintError) and violation.fixes:
        edits = []
        for fix in violation.fixes:
            try:
                edits.append(fix.to_dict())
            except Exception:  # noqa: BLE001, S112 - a fix without a source anchor has no location
                continue
        out["fix"] = {"edits": edits, **(suggestion(edits, source) or {})}
    return out


def suggestion(edits: list[dict[str, Any]], source: str) -> dict[str, Any] | None:
    """The source lines the edits touch, rewritten: what a review suggestion would replace them with."""
    try:
        first = min(int(e["start_line_no"]) for e in edits)
        last = max(int(e["end_line_no"]) for e in edits)
        spans = sorted((int(e["start_file_pos"]), int(e["end_file_pos"]), str(e["edit"])) for e in edits)
    except (KeyError, TypeError, ValueError):
        return None
    lines = source.splitlines(keepends=True)
    if not edits or first < 1 or last > len(lines) + 1:
        return None
    region_start = sum(len(line) for line in lines[: first - 1])
    region_end = sum(len(line) for line in lines[:last])
    if any(s < region_start or e > region_end or s > e for s, e, _ in spans):
        return None
    for (_, end, _), (start, _, _) in zip(spans, spans[1:], strict=False):
        if start < end:
            return None  # overlapping edits: no single clear rewrite
    text = source[region_start:region_end]
    for start, end, edit in reversed(spans):
        text = text[: start - region_start] + edit + text[end - region_start :]
    return {"start_line": first, "end_line": last, "original": source[region_start:region_end], "fixed": text}
