"""Schema pages: the named types and fields of every .avsc file, and its history in git with the verdict of
each version under the file's compatibility mode (the same engine and mode rules as `schema-compat`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from dataops_ci.avro import compare, is_compatible, parse_revision
from dataops_ci.avro.parse import ParsedSchema
from dataops_ci.checks.schema_compat.files import Version, read_history
from dataops_ci.checks.schema_compat.plan import mode_for, split_mode
from dataops_ci.config import Config
from dataops_ci.git import GitError, GitRepo
from dataops_ci.publish.site.model import FieldRow, SchemaPage, TypeDef, VersionRow
from dataops_ci.publish.site.slugs import slug_for

_NAMED = ("record", "error", "enum", "fixed")
MAX_VERSIONS = 50  # the newest ones; a schema with a longer history says how many were left out
MAX_DETAILS = 10


def type_label(avro_type: Any, namespace: str = "") -> str:
    """An Avro type as people write it: `string | null`, `array<Address>`, `long (timestamp-millis)`."""
    if isinstance(avro_type, list):
        return " | ".join(type_label(t, namespace) for t in avro_type)
    if not isinstance(avro_type, dict):
        return str(avro_type)
    kind = avro_type.get("type")
    if kind in _NAMED:
        return str(avro_type.get("name", kind))
    if kind == "array":
        return f"array<{type_label(avro_type.get('items'), namespace)}>"
    if kind == "map":
        return f"map<{type_label(avro_type.get('values'), namespace)}>"
    logical = avro_type.get("logicalType")
    return f"{type_label(kind, namespace)} ({logical})" if logical else type_label(kind, namespace)


def _full_name(node: dict[str, Any], namespace: str) -> tuple[str, str]:
    name = str(node.get("name", ""))
    if "." in name:
        return name, name.rsplit(".", 1)[0]
    space = str(node.get("namespace", namespace) or "")
    return (f"{space}.{name}" if space else name), space


def named_types(raw: Any, namespace: str = "") -> list[TypeDef]:
    """Every named type defined in a schema document, outermost first."""
    found: list[TypeDef] = []
    _walk(raw, namespace, found, depth=0)
    return found


def _walk(node: Any, namespace: str, found: list[TypeDef], depth: int) -> None:
    if depth > 64:  # parse_revision already refused deeper documents; this only keeps recursion bounded
        return
    if isinstance(node, list):
        for item in node:
            _walk(item, namespace, found, depth + 1)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind in ("array", "map"):
        _walk(node.get("items" if kind == "array" else "values"), namespace, found, depth + 1)
        return
    if kind not in _NAMED:
        if isinstance(kind, dict | list):
            _walk(kind, namespace, found, depth + 1)
        return
    full, space = _full_name(node, namespace)
    listed = node.get("fields")
    fields: list[Any] = listed if isinstance(listed, list) else []
    rows = tuple(_field_row(f, space) for f in fields if isinstance(f, dict))
    listed_symbols = node.get("symbols")
    symbols = tuple(str(s) for s in listed_symbols) if isinstance(listed_symbols, list) else ()
    size = node.get("size") if isinstance(node.get("size"), int) else None
    found.append(TypeDef(full, str(kind), str(node.get("doc", "")), rows, symbols, size))
    for item in fields:
        if isinstance(item, dict):
            _walk(item.get("type"), space, found, depth + 1)


def _field_row(node: dict[str, Any], namespace: str) -> FieldRow:
    avro_type = node.get("type")
    logical = avro_type.get("logicalType", "") if isinstance(avro_type, dict) else ""
    default = json.dumps(node["default"], ensure_ascii=False) if "default" in node else None
    listed = node.get("aliases")
    aliases: list[Any] = listed if isinstance(listed, list) else []
    return FieldRow(
        str(node.get("name", "")), type_label(avro_type, namespace), default, str(node.get("doc", "")),
        str(logical), tuple(str(a) for a in aliases),
    )  # fmt: skip


def schema_pages(repo: GitRepo, config: Config, texts: Mapping[str, str], rev: str) -> list[SchemaPage]:
    """One page per schema text (path -> text, the revision the site documents; `rev` is its commit)."""
    head = parse_revision(texts)
    pages = []
    for path in sorted(texts):
        mode = mode_for(path, config.schemas.compatibility, config.schemas.overrides, None)
        try:
            raw = json.loads(texts[path])
        except ValueError as exc:
            pages.append(SchemaPage(path, slug_for(path), path, mode, (), (), f"not valid JSON: {exc}"))
            continue
        types = tuple(named_types(raw))
        problems = head.problems.get(path) or []
        problem = problems[0].message if problems else ""
        versions = _versions(repo, rev, path, mode, texts, config.schemas.max_file_bytes)
        name = types[0].name if types else path
        pages.append(SchemaPage(path, slug_for(path), name, mode, types, versions, problem))
    return pages


def _versions(
    repo: GitRepo, rev: str, path: str, mode: str, texts: Mapping[str, str], max_bytes: int
) -> tuple[VersionRow, ...]:
    try:
        history = list(reversed(read_history(repo, rev, path, max_bytes)))[-MAX_VERSIONS:]
        meta = _commit_meta(repo, [v.commit for v in history])
    except GitError:
        return ()
    pairwise, transitive = split_mode(mode)
    parsed = [_parse_version(v, texts) for v in history]
    rows = []
    for index, version in enumerate(history):
        date, subject = meta.get(version.commit, ("", ""))
        verdict, details = _verdict(parsed[index], parsed[:index], pairwise, transitive)
        rows.append(VersionRow(version.commit, date, subject, verdict, details))
    return tuple(rows)


def _parse_version(version: Version, texts: Mapping[str, str]) -> ParsedSchema | None:
    # Names the version uses but does not define come from the documented revision's other files.
    others = {p: t for p, t in texts.items() if p != version.path}
    return parse_revision({**others, version.path: version.text}).schemas.get(version.path)


def _verdict(
    new: ParsedSchema | None, earlier: Sequence[ParsedSchema | None], mode: str, transitive: bool
) -> tuple[str, tuple[str, ...]]:
    if new is None:
        return "cannot parse", ()
    if not earlier:
        return "first version", ()
    if mode == "NONE":
        return "not checked", ()
    against = [e for e in (earlier if transitive else earlier[-1:]) if e is not None]
    if not against:
        return "not checked", ()
    broken = [old for old in against if not is_compatible(old, new, mode)]
    if not broken:
        return "compatible", ()
    issues = [i for i in compare(broken[-1], new, mode) if i.severity == "error"]
    return "breaking", tuple(f"{i.path}: {i.message}" for i in issues[:MAX_DETAILS])


def _commit_meta(repo: GitRepo, commits: Sequence[str]) -> dict[str, tuple[str, str]]:
    if not commits:
        return {}
    out = repo.git("show", "-s", "--no-color", "--format=%H%x1f%cs%x1f%s", "--end-of-options", *commits)
    meta = {}
    for line in out.splitlines():
        parts = line.split("\x1f")
        if len(parts) == 3:
            meta[parts[0]] = (parts[1], parts[2])
    return meta
