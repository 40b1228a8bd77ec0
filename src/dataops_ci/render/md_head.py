"""The top of the PR comment: the one-line verdict, the table of checks, and who should look."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from dataops_ci.render.escape import code, md_text
from dataops_ci.render.md_common import STATUS_ICONS, could_not_check, data_of, is_approved
from dataops_ci.report import NOTHING_CHECKED, UNCOVERED_PREFIX, CheckResult, Finding, Report
from dataops_ci.words import percent, plural, points

# What a `teams:` value must look like to become a mention: @user or @org/team.
HANDLE = re.compile(r"@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,99})?")
PEOPLE_KEYS = (("owner", "owner"), ("reviewers", "reviewer"), ("notify", "notify"))
ROLE_ORDER = [role for _, role in PEOPLE_KEYS]
MAX_PEOPLE = 20

NBSP = "\u00a0"


def _problems(check: CheckResult) -> list[Finding]:
    return [f for f in check.findings if f.severity == "error" and not could_not_check(f)]


def _count(check: CheckResult, metric: str) -> int:
    raw = check.metrics.get(metric) if isinstance(check.metrics, Mapping) else None
    return raw if isinstance(raw, int) else 0


def _check_part(check: CheckResult) -> str | None:
    """The verdict's words for one check that found problems, or None."""
    problems = _problems(check)
    if check.name == "schema-compat":
        approved = [f for f in check.findings if is_approved(f)]
        count = len(problems) or (_count(check, "breaking_changes") if check.status == "failed" else 0)
        if count:
            return plural(count, "breaking schema change") + (
                f", {len(approved)} approved" if approved else ""
            )
        return plural(len(approved), "approved breaking schema change") if approved else None
    if check.name == "tests":
        failing = _count(check, "failed") + _count(check, "errored") + _count(check, "errors") or len(
            problems
        )
        return f"{plural(failing, 'test')} failing" if failing else None
    if not problems:
        return None
    nouns = {
        "expectations": "failed expectation",
        "sql-lint": "SQL violation",
        "pipelines": "pipeline problem",
        "blast-radius": "downstream use of a removed or retyped column",
    }
    return plural(len(problems), nouns.get(check.name, f"{check.name} problem"))


def _scored(report: Report) -> list[str]:
    """The checks the run's quality score is made of (those that evaluated expectations)."""
    return [c.name for c in report.checks if _count(c, "expectations_evaluated")]


def quality_part(report: Report) -> str | None:
    """`quality 86.6% (−2.0 points from 88.6%)`: the delta and the base are the numbers the expectations
    section shows; a score made of several checks says so (each section then shows its own part)."""
    score = report.quality_score
    if not isinstance(score, int | float) or isinstance(score, bool):
        return None
    text = f"quality {percent(score)}"
    base = report.context.get("base_quality_score") if isinstance(report.context, Mapping) else None
    if isinstance(base, int | float) and not isinstance(base, bool):
        change = points(score, base)
        text += f" ({change})" if change == "no change" else f" ({change} from {percent(base)})"
    scored = _scored(report)
    if len(scored) > 1:
        text += f" over {' and '.join(scored)}"
    return text


def nothing_checked(report: Report) -> str:
    """`nothing checked: no changed file matches schemas.paths ['**/*.avsc']` — what was looked for."""
    if len(report.checks) == 1 and report.checks[0].summary:
        return f"nothing checked: {md_text(report.checks[0].summary, 200)}"
    if not report.checks:
        return "nothing checked: no check was selected"
    return f"nothing checked: {plural(len(report.checks), 'check')} skipped; what each looked for is below"


def verdict(report: Report) -> str:
    """`❌ 2 breaking schema changes · quality 96.0% (−2.0 points from 98.0%) · 1 test failing`."""
    by_check = {c.name: part for c in report.checks if (part := _check_part(c))}
    problems = [by_check.pop("schema-compat")] if "schema-compat" in by_check else []
    problems += by_check.values()
    broken = [c for c in report.checks if c.status == "error"]
    if broken:
        problems.append(f"{plural(len(broken), 'check')} could not run")
    if report.status == NOTHING_CHECKED:
        problems.append(nothing_checked(report))
    elif not problems:
        problems.append("all checks passed")
    uncovered = sum(1 for _, f in report.findings() if f.rule.startswith(UNCOVERED_PREFIX))
    if uncovered:
        problems.append(f"{plural(uncovered, 'notice')} of files no check covers")
    quality = quality_part(report)
    # The score goes second: after the most important problem, before the rest.
    parts = problems[:1] + ([quality] if quality else []) + problems[1:]
    return f"### {STATUS_ICONS.get(report.status, '•')} " + " · ".join(parts)


def duration(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest} s"


def table(report: Report) -> str:
    rows = ["| Status | Check | Result | Time |", "|:--|:--|:--|--:|"]
    for check in report.checks:
        icon = STATUS_ICONS.get(check.status, "•")
        # No-break spaces: the long Result column would otherwise squeeze "❌ failed" and "0.02 s" onto
        # two lines each.
        status = f"{icon}{NBSP}{md_text(check.status, 20)}"
        summary = md_text(check.summary, 200) if check.summary else ""
        time = duration(check.duration_s).replace(" ", NBSP) if check.status != "skipped" else ""
        rows.append(f"| {status} | {code(check.name, 60, in_table=True)} | {summary} | {time} |")
    return "\n".join(rows)


def mention(name: str, teams: Mapping[str, str]) -> str | None:
    """The GitHub handle `teams:` maps a name to, or None: mentions come only from the config."""
    handle = teams.get(name)
    if not isinstance(handle, str) or not HANDLE.fullmatch(handle.strip()):
        return None
    handle = handle.strip()
    return handle if handle.startswith("@") else "@" + handle


def _people(findings: Iterable[Finding]) -> dict[str, dict[str, set[str]]]:
    """name -> role -> pipelines, from the owner/reviewers/notify data of findings."""
    people: dict[str, dict[str, set[str]]] = {}
    for finding in findings:
        data = data_of(finding)
        pipeline = str(data.get("pipeline") or "")
        for key, role in PEOPLE_KEYS:
            raw: Any = data.get(key)
            names = [raw] if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else []
            for name in names:
                if isinstance(name, str) and name.strip():
                    people.setdefault(name.strip(), {}).setdefault(role, set()).add(pipeline)
    return people


def _person(name: str, roles: Mapping[str, set[str]], teams: Mapping[str, str]) -> str:
    handle = mention(name, teams)
    who = handle if handle else md_text(name, 80)
    described = []
    for role in sorted(roles, key=ROLE_ORDER.index):
        pipelines = sorted(p for p in roles[role] if p)
        where = f" of {', '.join(code(p, 60) for p in pipelines[:3])}" if pipelines else ""
        described.append(f"{role}{where}")
    suffix = "" if handle else "; no handle in `teams:`"
    return f"{who} ({'; '.join(described)}{suffix})"


def who_should_look(report: Report, teams: Mapping[str, str]) -> str:
    """`**Who should look:** @acme/marketing (owner of `customers`), …` — or "" when no one is named."""
    people = _people(f for _, f in report.findings())
    if not people:
        return ""
    # Those who can be mentioned first, owners before reviewers before the notified.
    mapped = sorted(
        people, key=lambda n: (mention(n, teams) is None, min(ROLE_ORDER.index(r) for r in people[n]), n)
    )
    shown = [_person(n, people[n], teams) for n in mapped[:MAX_PEOPLE]]
    more = f", and {len(mapped) - MAX_PEOPLE} more" if len(mapped) > MAX_PEOPLE else ""
    return "**Who should look:** " + ", ".join(shown) + more
