"""The PR summary comment (`--format markdown`), also written to $GITHUB_STEP_SUMMARY.

Layout, top to bottom: hidden marker and head-SHA comments (when a marker key is given), the verdict line,
who should look, the table of checks, one collapsible `<details>` section per check with findings, and a
footer naming the head SHA, the workflow run and the tool version. Everything taken from the Report is
escaped (render/escape.py); mentions come only from the `teams` mapping of the config. The result never
exceeds `max_chars` characters and `max_bytes` UTF-8 bytes: details are trimmed longest-first. A comment is
kept to 65,536 of both: GitHub says "characters" but has been measured refusing by other units (see
docs/security.md), and UTF-8 bytes are never fewer than code points or UTF-16 units, so the byte limit is the
strictest reading of all three.

The GitHub side uses `marker(key)` to find our comment and `parse_head_sha(body)` to avoid overwriting a
comment that describes a newer head.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dataops_ci.render.escape import code, md_text
from dataops_ci.render.md_head import table, verdict, who_should_look
from dataops_ci.render.md_sections import section_for
from dataops_ci.render.trend import trend_block
from dataops_ci.render.trim import Limit, Section, fit
from dataops_ci.report import WORKTREE, Report

COMMENT_MAX_CHARS = 65_536  # GitHub rejects longer issue comments with 422
COMMENT_MAX_BYTES = 65_536  # ... and may count them in UTF-8 bytes, the strictest unit
STEP_SUMMARY_MAX_BYTES = 1_048_576  # GitHub ignores a larger $GITHUB_STEP_SUMMARY upload

MARKER_PREFIX = "<!-- dataops-ci:summary key="
HEAD_SHA_PREFIX = "<!-- dataops-ci:head-sha="
_HEAD_SHA = re.compile(r"^<!-- dataops-ci:head-sha=([0-9a-fA-F]{7,64}|WORKTREE) -->$", re.MULTILINE)
_SHA = re.compile(r"[0-9a-f]{7,64}")
_SAFE_KEY = re.compile(r"[^A-Za-z0-9_.:/@+ -]")
_SAFE_URL = re.compile(r"https?://[^\s<>()\[\]`\"'\\]+")


def marker(key: str) -> str:
    """The hidden first line that identifies our comment: `<!-- dataops-ci:summary key=<key> -->`."""
    # The key comes from workflow and job names; nothing in it may end the HTML comment early.
    safe = _SAFE_KEY.sub("_", key).replace("--", "-_")
    return f"{MARKER_PREFIX}{safe} -->"


def head_sha_marker(sha: str) -> str:
    return f"{HEAD_SHA_PREFIX}{sha if _SHA.fullmatch(sha) or sha == WORKTREE else 'unknown'} -->"


def is_ours(body: str, key: str) -> bool:
    """A body we wrote for `key`: its first line is our marker and its second our head-SHA line. A marker
    anywhere else (another bot quoting ours) does not count."""
    first, _, rest = (body or "").partition("\n")
    second = rest.partition("\n")[0]
    return first == marker(key) and second.startswith(HEAD_SHA_PREFIX) and second.endswith(" -->")


def parse_head_sha(body: str) -> str | None:
    """The head SHA a comment body we wrote describes (its own line, not inside text), or None."""
    match = _HEAD_SHA.search(body or "")
    return match.group(1) if match else None


def _run_link(run_url: str | None, report: Report) -> str | None:
    url = run_url or (report.context.get("run_url") if isinstance(report.context, Mapping) else None)
    return url if isinstance(url, str) and _SAFE_URL.fullmatch(url) else None


def described_head(report: Report, head_sha: str | None = None) -> str:
    """The commit the comment describes: given, else the trusted context's `head_sha` (the PR head, as the
    GitHub side sets it: a PR checkout is a merge commit), else the report's head."""
    context = report.context if isinstance(report.context, Mapping) else {}
    for candidate in (head_sha, context.get("head_sha")):
        if isinstance(candidate, str) and _SHA.fullmatch(candidate):
            return candidate
    if report.head == WORKTREE and report.head_commit and _SHA.fullmatch(report.head_commit):
        return report.head_commit
    return report.head


def _revision(rev: str) -> str:
    if rev == WORKTREE:
        return "the working tree"
    # A bare SHA is linked to the commit by GitHub; anything else is shown as code.
    return rev if _SHA.fullmatch(rev) else code(rev, 64)


def footer(report: Report, run_url: str | None, head_sha: str | None = None) -> str:
    described = described_head(report, head_sha)
    on_worktree = report.head == WORKTREE and described == report.head_commit and not head_sha
    parts = [f"Results for {'the working tree at ' if on_worktree else ''}{_revision(described)}"]
    if report.base:
        parts[0] += f" against base {_revision(report.base)}"
    link = _run_link(run_url, report)
    if link:
        parts.append(f"[workflow run]({link})")
    parts.append(f"dataops-ci {md_text(report.tool_version, 40)}")
    parts.append(f"{report.duration_s:.1f} s")
    return "---\n<sub>" + " · ".join(parts) + "</sub>"


def _where(run_url: str | None, report: Report, in_summary: bool) -> str:
    """Where the findings a trimmed comment left out can be read."""
    places = "the report artifact" if in_summary else "the job summary and the report artifact"
    link = _run_link(run_url, report)
    return f"{places} of [the workflow run]({link})" if link else f"{places} of the workflow run"


def head(
    report: Report, marker_key: str | None, teams: Mapping[str, str], head_sha: str | None = None
) -> str:
    lines: list[str] = []
    if marker_key is not None:
        lines += [marker(marker_key), head_sha_marker(described_head(report, head_sha))]
    lines.append(verdict(report))
    who = who_should_look(report, teams)
    blocks = ["\n".join(lines)] + ([who] if who else []) + [table(report)]
    trend = trend_block(report)  # the base branch's quality history, when the run found one
    blocks += [trend] if trend else []
    return "\n\n".join(blocks)


def sections(report: Report, limit: Limit) -> list[Section]:
    # A character takes at least one byte, so a byte limit bounds the characters too.
    limits = [n for n in (limit.max_chars, limit.max_bytes) if n is not None]
    budget = min(limits) if limits else None
    found = (section_for(check, budget) for check in report.checks)
    return [s for s in found if s is not None]


def render(
    report: Report,
    *,
    marker_key: str | None = None,
    max_chars: int | None = COMMENT_MAX_CHARS,
    max_bytes: int | None = COMMENT_MAX_BYTES,
    run_url: str | None = None,
    head_sha: str | None = None,
    **_: Any,
) -> str:
    """The comment body. Owners, reviewers and notify lists are mentioned through the report's `teams`
    (the config's mapping, recorded by the run); `head_sha` is the commit described (default: context
    "head_sha", else report.head, else the commit the working tree was on)."""
    # Without a character limit this is the job summary itself: only the artifact has more.
    where = _where(run_url, report, in_summary=max_chars is None)
    trimmed_note = f"> [!NOTE]\n> Some details were left out to stay under the size limit; see {where}."
    limit = Limit(max_chars, max_bytes)
    return fit(
        head(report, marker_key, report.teams, head_sha),
        sections(report, limit),
        footer(report, run_url, head_sha),
        limit,
        where,
        trimmed_note,
    )


def render_step_summary(report: Report, **options: Any) -> str:
    """The same Markdown for $GITHUB_STEP_SUMMARY: its limit is 1 MiB of UTF-8, not 65,536 characters."""
    options = {**options, "max_chars": None, "max_bytes": STEP_SUMMARY_MAX_BYTES}
    return render(report, **options)
