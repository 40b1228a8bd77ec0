"""Schemas a change reaches without touching them: the files that use a named type a changed file defines.

A subject that references `com.acme.Address` and does not define it borrows it from the file that does
(either `schemas.references` mode); when that file changes, the subject's effective schema changes with it,
so the subject is judged too, as an unchanged file whose base and head each resolve the name in their own
revision. Found by text, without parsing every schema: a file whose JSON strings name the type (by its full
or short name) and which does not define that name itself. A false match costs one comparison that finds
nothing; a file that inlines its own copy of the type is its own, and not reached.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from dataops_ci.avro.definitions import defined_names
from dataops_ci.checks.schema_compat.plan import Target

_STRING = re.compile(r'"([^"\\]*)"')  # JSON strings without escapes: Avro names never need any
FEW_NAMES = 64


def dependents(
    targets: Sequence[Target], head_texts: Mapping[str, str], base_texts: Mapping[str, str]
) -> dict[str, list[str]]:
    """Schema files at head that are not targets -> the changed files whose named types they use."""
    written_as: dict[str, set[str]] = {}  # a name as a file may write it (full or short) -> changed files
    for target in targets:
        if target.change == "unchanged":
            continue
        for path, texts in ((target.path, head_texts), (target.old_path, base_texts)):
            for fullname in _defined(path, texts.get(path or "")):
                for written in (fullname, fullname.rpartition(".")[2]):
                    written_as.setdefault(written, set()).add(target.file)
    if not written_as:
        return {}
    judged = {p for t in targets for p in (t.path, t.old_path) if p}
    # A few names: one regex of just them, scanned at C speed (a PR changing one schema of 2,000). Many: every
    # string of the file against the set (an alternation of thousands of names would be slower).
    few = len(written_as) <= FEW_NAMES
    strings = re.compile('"(' + "|".join(map(re.escape, sorted(written_as))) + ')"') if few else _STRING
    found: dict[str, list[str]] = {}
    for path, text in head_texts.items():
        if path in judged:
            continue
        named = written_as.keys() & set(strings.findall(text))
        if not named:
            continue
        own = _defined(path, text)
        own_short = {name.rpartition(".")[2] for name in own}
        via = {
            changed
            for name in named
            if name not in own and name not in own_short
            for changed in written_as[name]
        }
        if via:
            found[path] = sorted(via)
    return found


def _defined(path: str | None, text: str | None) -> set[str]:
    if not path or not text:
        return set()
    try:
        return defined_names(json.loads(text), path)
    except (ValueError, RecursionError):  # not JSON, or too deep: it defines nothing this scan can use
        return set()
