"""compare(): every change between two versions of a schema, with a verdict under a compatibility mode."""

from __future__ import annotations

from dataclasses import replace

from dataops_ci.avro import hints
from dataops_ci.avro.defaults import default_problem
from dataops_ci.avro.diff import diff
from dataops_ci.avro.field_pairing import Pairings
from dataops_ci.avro.issues import SchemaIssue
from dataops_ci.avro.model import Record
from dataops_ci.avro.parse import ParsedSchema
from dataops_ci.avro.positions import Where
from dataops_ci.avro.resolve import BACKWARD, FORWARD, resolve
from dataops_ci.avro.traversal import field_pointer, root_path, visit

MODES = ("NONE", "BACKWARD", "FORWARD", "FULL")
_DIRECTIONS = {"NONE": (), "BACKWARD": (BACKWARD,), "FORWARD": (FORWARD,), "FULL": (BACKWARD, FORWARD)}
SEVERITY_RANK = {"error": 0, "warning": 1, "notice": 2}


# Wire breaks that are also beyond-wire warnings: outside the asked directions they stay warnings.
_WARNING_FLOOR = frozenset({"logical-type-changed"})


def _unasked(rule: str) -> str:
    return "warning" if rule in _WARNING_FLOOR else "notice"


def directions(mode: str) -> tuple[str, ...]:
    """The resolution directions a mode requires; *_TRANSITIVE modes need the same per version."""
    base = mode.upper().removesuffix("_TRANSITIVE")
    if base not in _DIRECTIONS:
        raise ValueError(
            f"unknown compatibility mode {mode!r}: use one of {', '.join(MODES)} (or *_TRANSITIVE)"
        )
    return _DIRECTIONS[base]


def compare(old: ParsedSchema, new: ParsedSchema, mode: str) -> list[SchemaIssue]:
    """Issues between ``old`` and ``new``: wire breaks ("error" in the mode's directions, else "notice"),
    beyond-wire warnings, and notices for harmless changes, errors first.

    Defaults are checked on added and changed fields (lint() checks every default of a schema)."""
    asked = directions(mode)
    path = root_path(new.schema)
    issues: list[SchemaIssue] = []
    pairings = Pairings()
    for direction in (BACKWARD, FORWARD):
        where = Where.root(old.file, new.file, path)
        for issue in resolve(old.schema, new.schema, direction, where, pairings):
            issues.append(issue if direction in asked else replace(issue, severity=_unasked(issue.rule)))
    explained = {(issue.rule, issue.path) for issue in issues}
    changes = diff(old.schema, new.schema, Where.root(old.file, new.file, path), pairings)
    issues.extend(change for change in changes if (change.rule, change.path) not in explained)
    issues.sort(key=lambda issue: SEVERITY_RANK[issue.severity])
    return issues


def is_compatible(old: ParsedSchema, new: ParsedSchema, mode: str) -> bool:
    """The bare verdict: no wire break in the mode's directions."""
    asked = directions(mode)
    path = root_path(new.schema)
    return not any(
        resolve(old.schema, new.schema, direction, Where.root(old.file, new.file, path))
        for direction in asked
    )


def default_issues(schema: ParsedSchema, only_here: bool = False) -> list[SchemaIssue]:
    """Defaults that do not match their field's type (a union's default must match its first branch).

    ``only_here``: skip records defined in other files of the revision (their own file reports them)."""
    issues: list[SchemaIssue] = []
    for item in visit(schema.schema, schema.file):
        if not isinstance(item.node, Record) or (only_here and not item.here):
            continue
        for field in item.node.fields:
            if not field.has_default:
                continue
            problem = default_problem(field.type, field.default)
            if problem is not None:
                message = f'default of "{field.name}" does not match its type: {problem}'
                pointer = field_pointer(item, field, "default")
                path = f"{item.path}.{field.name}"
                issues.append(
                    SchemaIssue(
                        "default-type-mismatch",
                        "warning",
                        message,
                        path,
                        hints.DEFAULT_TYPE,
                        "",
                        "new",
                        pointer,
                    )
                )
    return issues
