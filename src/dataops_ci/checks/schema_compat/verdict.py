"""The verdict on one schema file: its `data.files` entry and its findings, from the Avro engine.

Findings name the file and line in the new file (or the old file for something removed), the JSON path of
the change, whether it breaks readers or writers, and a hint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dataops_ci.avro import (
    ParsedSchema,
    ParseProblem,
    References,
    Revision,
    SchemaIssue,
    compare,
    lint,
    parse_revision,
    readded_fields,
)
from dataops_ci.checks.schema_compat.files import Refusal, Snapshot, Version
from dataops_ci.checks.schema_compat.plan import Target, Verdict, split_mode
from dataops_ci.report import Finding, Severity

# Engine parse problems that mean "this file is not a usable schema" become one could-not-check rule.
UNPARSABLE = frozenset({"invalid-json", "invalid-schema", "unknown-type"})
PARSE_HINTS = {
    "invalid-json": "fix the JSON syntax at the line and column given",
    "invalid-schema": "make the schema valid Avro (see the Avro specification, 'Schema Declaration')",
    "unknown-type": "define the named type (in this file or another .avsc of the repository) or fix the name",
    "duplicate-name": "define each named type once; reference it by its full name everywhere else",
    "ambiguous-type": "define the type in this file too, or make the other files' definitions identical",
}
SEVERITIES: dict[str, Severity] = {"error": "error", "warning": "warning", "notice": "notice"}


@dataclass
class Side:
    """One revision's parsed schemas and the files that could not be read."""

    snapshot: Snapshot
    revision: Revision

    def problems_of(self, path: str) -> list[ParseProblem] | Refusal | None:
        if path in self.snapshot.refused:
            return self.snapshot.refused[path]
        return self.revision.problems.get(path)


def parse_side(snapshot: Snapshot, references: References = "per-file") -> Side:
    """The revision's schemas; the engine parses a file when it is first asked for (and whatever files
    define the names it uses), so judging a few files of a large repository parses only those."""
    return Side(snapshot, parse_revision(snapshot.texts, references))


def problem_finding(path: str, problem: ParseProblem, severity: Severity, base: bool) -> Finding:
    rule = "cannot-parse-schema" if problem.rule in UNPARSABLE else problem.rule
    message = problem.message
    if base:
        where = f"line {problem.line}: " if problem.line else ""
        message = f"the base version is not a valid schema ({where}{message}); comparison skipped"
    return Finding(
        severity,
        rule,
        message,
        file=path,
        line=None if base else problem.line,
        column=None if base else problem.column,
        hint=PARSE_HINTS.get(problem.rule, "fix the schema"),
        data={"problem": problem.rule},
    )


def refusal_finding(path: str, refusal: Refusal, severity: Severity, base: bool) -> Finding:
    message = f"base version: {refusal.message}; comparison skipped" if base else refusal.message
    return Finding(severity, refusal.rule, message, file=path, hint=refusal.hint)


def unusable_findings(path: str, problems: list[ParseProblem] | Refusal, base: bool) -> list[Finding]:
    severity: Severity = "warning" if base else "error"
    if isinstance(problems, Refusal):
        return [refusal_finding(path, problems, severity, base)]
    return [problem_finding(path, p, severity, base) for p in problems]


@dataclass(frozen=True)
class Comparison:
    """What one issue was found against: the old schema, its file, and (transitive) its commit."""

    old: ParsedSchema
    old_file: str
    version: Version | None = None


def issue_finding(
    issue: SchemaIssue, new: ParsedSchema, against: Comparison, target: Target, mode: str, locate: bool = True
) -> Finding:
    on_old = issue.side == "old"
    doc = against.old if on_old else new
    file = against.old_file if on_old else (target.path or "")
    message = issue.message
    if issue.breaks and issue.severity == "error":
        message += f" (breaks {issue.breaks})"
    elif issue.breaks:
        message += f" (would break {issue.breaks}; allowed under {mode})"
    data: dict[str, Any] = {"mode": mode}
    if issue.breaks:
        data["breaks"] = issue.breaks
    if target.old_path and target.old_path != file:
        data["old_file"] = target.old_path
    if against.version is not None:
        message += f" [against the version of commit {against.version.commit[:12]}]"
        data["version"] = against.version.commit
    return Finding(
        SEVERITIES.get(issue.severity, "error"),
        issue.rule,
        message,
        file=file,
        line=doc.line_of(issue.pointer) if locate else None,
        path=issue.path or None,
        hint=issue.hint or None,
        data=data,
    )


def issue_findings(
    issues: list[SchemaIssue], new: ParsedSchema, against: Comparison, target: Target, mode: str
) -> list[Finding]:
    """Findings for the issues of one comparison. Locating lines means tokenising the document, which
    dominated the time of 1,000 changed schemas; so a notice gets a line only when an error or warning
    needed that document located anyway."""
    located = {i.side for i in issues if i.severity != "notice"}
    return [
        issue_finding(i, new, against, target, mode, locate=i.severity != "notice" or i.side in located)
        for i in issues
    ]


def unique(findings: list[Finding]) -> list[Finding]:
    """Findings without repeats (a default checked by both compare() and lint() is reported once)."""
    seen: set[tuple[Any, ...]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.severity, f.rule, f.file, f.line, f.path, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


HistoryReader = Callable[[Target], list[Version]]


@dataclass
class Judge:
    """Judges targets of one run: head and base sides parsed once, history read on demand."""

    head: Side
    base: Side | None
    history: HistoryReader
    deleted_severity: Severity = "error"
    base_texts: dict[str, str] = field(default_factory=dict)
    references: References = "per-file"

    def judge(self, target: Target, mode: str) -> Verdict:
        entry = {"file": target.file, "old_file": target.old_path, "mode": mode, "status": target.change}
        verdict = Verdict(entry)
        if target.path is None:
            verdict.findings.append(self._deleted(target))
            return verdict
        head_problems = self.head.problems_of(target.path)
        new = self.head.revision.schemas.get(target.path)
        if head_problems or new is None:
            missing = Refusal("cannot-read-schema", f"{target.path} does not exist", "check the file name")
            verdict.findings += unusable_findings(target.path, head_problems or missing, base=False)
            entry["status"] = "invalid"
            return verdict
        old = self._old(target, verdict)
        if old is None:
            verdict.findings += self._lint(new, target, mode)
            if entry["status"] != "invalid":
                entry["status"] = "added"  # nothing at base to be compatible with
            return verdict
        verdict.findings = unique(verdict.findings + self._compare(old, new, target, mode))
        if any(f.data.get("breaks") and f.severity == "error" for f in verdict.findings):
            entry["status"] = "incompatible"
        elif target.change == "modified":
            entry["status"] = "compatible"
        return verdict

    @staticmethod
    def _lint(new: ParsedSchema, target: Target, mode: str) -> list[Finding]:
        """A schema with nothing to compare against is linted on its own (names, defaults, logical types).
        A compared schema is not: compare() already checks its defaults, the avro-schema-lint hook covers
        the rest, and linting 1,000 changed schemas cost a third of the check's time."""
        issues = [i for i in lint(new) if i.severity != "notice"]  # missing docs: the lint hook's business
        return [issue_finding(i, new, Comparison(new, target.path or ""), target, mode) for i in issues]

    def _deleted(self, target: Target) -> Finding:
        return Finding(
            self.deleted_severity,
            "schema-deleted",
            f"{target.old_path} was deleted: consumers of this subject lose their schema (breaks readers)",
            file=target.old_path,
            hint="keep the schema (deprecate it in its doc) until no consumer uses it, "
            "or approve the removal in schemas.allow",
            data={"breaks": "readers"},
        )

    def _old(self, target: Target, verdict: Verdict) -> ParsedSchema | None:
        if target.old_path is None or self.base is None:
            return None
        problems = self.base.problems_of(target.old_path)
        if problems:
            verdict.findings += unusable_findings(target.old_path, problems, base=True)
            verdict.entry["status"] = "invalid"
            return None
        return self.base.revision.schemas.get(target.old_path)

    def _compare(self, old: ParsedSchema, new: ParsedSchema, target: Target, mode: str) -> list[Finding]:
        pair_mode, transitive = split_mode(mode)
        latest = Comparison(old, target.old_path or "")
        findings = issue_findings(compare(old, new, pair_mode), new, latest, target, mode)
        if transitive and target.old_path is not None:
            seen = {(f.rule, f.path, f.data.get("breaks")) for f in findings if f.severity == "error"}
            findings += self._compare_earlier(old, new, target, mode, seen)
        return findings

    def _compare_earlier(
        self, old: ParsedSchema, new: ParsedSchema, target: Target, mode: str, seen: set[tuple[Any, ...]]
    ) -> list[Finding]:
        """*_TRANSITIVE: the breaks against every earlier version (newest first) that the comparison with
        the base did not already report, and fields re-added with a type they had long ago."""
        pair_mode, _ = split_mode(mode)
        findings: list[Finding] = []
        parsed = [old]
        for version in self.history(target):
            earlier = None if version.text == old.text else self._parse_version(version, target)
            if earlier is None:
                continue
            parsed.append(earlier)
            against = Comparison(earlier, version.path, version)
            for issue in compare(earlier, new, pair_mode):
                key = (issue.rule, issue.path or None, issue.breaks)
                if issue.severity == "error" and key not in seen:
                    seen.add(key)
                    findings.append(issue_finding(issue, new, against, target, mode))
        latest = Comparison(old, target.old_path or "")
        findings += [issue_finding(i, new, latest, target, mode) for i in readded_fields(parsed, new)]
        return findings

    def _parse_version(self, version: Version, target: Target) -> ParsedSchema | None:
        """An earlier version on its own; when it uses named types of other files, with the base's files
        (the types as they are now: the history of every other file is not replayed)."""
        alone = parse_revision({version.path: version.text}, self.references)
        if version.path in alone.schemas:
            return alone.schemas[version.path]
        others = {p: t for p, t in self.base_texts.items() if p != target.old_path}
        texts = {**others, version.path: version.text}
        with_base = parse_revision(texts, self.references)
        return with_base.schemas.get(version.path)


def divergence_notices(side: Side) -> list[Finding]:
    """--all-files, per-file references: names that files define in different ways. Each file uses its own
    definition, so nothing breaks; but a file that used the name without defining it would be ambiguous,
    and registering the subjects with shared references would clash."""
    return [
        Finding(
            "notice",
            "type-defined-differently",
            f"{divergence.describe()}; each file uses its own definition",
            file=divergence.file,
            line=divergence.line,
            path=divergence.fullname,
            hint="fine while every file defines what it uses; give the variants distinct names (or one "
            "definition) before a file uses the name without defining it",
            data={"variants": [list(files) for files in divergence.variants]},
        )
        for divergence in side.revision.divergences()
    ]
