"""Changes beyond wire compatibility: what changed and what it means, though Avro resolution allows it.

Logical types, namespaces, docs, defaults, field order, and the safe variants of added/removed parts
(notices: every change is explained, even the harmless ones).
"""

from __future__ import annotations

import json

from dataops_ci.avro import hints
from dataops_ci.avro.defaults import default_problem
from dataops_ci.avro.field_pairing import Pairings, by_alias
from dataops_ci.avro.issues import Pointer, SchemaIssue
from dataops_ci.avro.model import Array, Enum, Field, Map, Named, Node, Record, Union, type_label
from dataops_ci.avro.positions import Where
from dataops_ci.avro.resolve import PROMOTIONS, matches
from dataops_ci.words import noun


class Differ:
    def __init__(self, pairings: Pairings | None = None) -> None:
        self.pairings = pairings or Pairings()
        self.issues: list[SchemaIssue] = []
        self._seen: set[tuple[int, int]] = set()

    def diff(self, old: Node, new: Node, where: Where) -> None:
        if old is new:
            return  # a shared node (a primitive, a union of primitives): nothing changed
        if isinstance(old, Union) or isinstance(new, Union):
            self._unions(old, new, where)
            return
        if isinstance(old, Named) and isinstance(new, Named):
            key = (id(old), id(new))
            if key in self._seen:
                return
            self._seen.add(key)
            where = where.enter(old, new)
            self._named(old, new, where)
        self._logical(old, new, where)
        if isinstance(old, Record) and isinstance(new, Record):
            self._record(old, new, where)
        elif isinstance(old, Enum) and isinstance(new, Enum):
            self._enum(old, new, where)
        elif isinstance(old, Array) and isinstance(new, Array):
            self.diff(old.items, new.items, where.child("[]", ("items",), ("items",)))
        elif isinstance(old, Map) and isinstance(new, Map):
            self.diff(old.values, new.values, where.child("{}", ("values",), ("values",)))

    def _unions(self, old: Node, new: Node, where: Where) -> None:
        old_branches = old.branches if isinstance(old, Union) else [old]
        new_branches = new.branches if isinstance(new, Union) else [new]
        old_keys = [_key(b) for b in old_branches]
        paired: set[int] = set()
        for new_index, branch in enumerate(new_branches):
            old_index = _partner(branch, old_branches, old_keys)
            new_seg = (new_index,) if isinstance(new, Union) else ()
            if old_index is None:
                message = f"union branch {type_label(branch)} was added"
                self._add(
                    "union-branch-added", "notice", message, where, hints.NONE, "new", (*where.new, *new_seg)
                )
                continue
            paired.add(old_index)
            old_seg = (old_index,) if isinstance(old, Union) else ()
            self.diff(old_branches[old_index], branch, where.child("", old_seg, new_seg))
        for old_index, branch in enumerate(old_branches):
            if old_index not in paired:
                old_seg = (old_index,) if isinstance(old, Union) else ()
                message = f"union branch {type_label(branch)} was removed"
                self._add(
                    "union-branch-removed",
                    "notice",
                    message,
                    where,
                    hints.NONE,
                    "old",
                    (*where.old, *old_seg),
                )
        if isinstance(old, Union) and isinstance(new, Union):
            common_new = [_key(b) for b in new_branches if _key(b) in old_keys]
            common_old = [k for k in old_keys if k in common_new]
            if common_new != common_old:
                message = "union branches were reordered (a union's default must match its first branch)"
                self._add("field-order-changed", "notice", message, where, hints.NONE, "new", where.new)

    def _named(self, old: Named, new: Named, where: Where) -> None:
        if old.name == new.name and old.namespace != new.namespace:
            before, after = old.namespace or "(none)", new.namespace or "(none)"
            message = f"{new.kind} {new.name} moved from namespace {before} to {after}"
            severity = "notice" if old.fullname in new.aliases else "warning"
            self._add(
                "namespace-moved", severity, message, where, hints.NAMESPACE, "new", (*where.new, "name")
            )
        if old.doc != new.doc:
            self._add(
                "doc-changed", "notice", f"doc of {new.fullname} changed", where, hints.NONE, "new", where.new
            )

    def _logical(self, old: Node, new: Node, where: Where) -> None:
        if old.kind != new.kind and new.kind not in PROMOTIONS.get(old.kind, ()):
            return  # a type change, explained by the resolver
        before = (old.raw_logical, old.precision, old.scale)
        after = (new.raw_logical, new.precision, new.scale)
        if before != after:
            message = f"logical type changed from {old.describe()} to {new.describe()}"
            self._add("logical-type-changed", "warning", message, where, hints.LOGICAL, "new", where.new)

    def _record(self, old: Record, new: Record, where: Where) -> None:
        pairing = self.pairings.get(old, new)
        for old_field, new_field in pairing.changed:
            self._field(old_field, new_field, where)
        renamed: set[str] = set()
        for field in pairing.new_only:
            source = by_alias(field, old)
            if source is not None and source in pairing.old_only:
                renamed.add(source.name)
                self._field(source, field, where)
                continue
            inner = where.field(field.name, None, field.pointer)
            if field.has_default:
                message = f'field "{field.name}" was added with a default'
                self._add("field-added", "notice", message, inner, hints.NONE, "new", inner.new)
                self._check_default(field, inner)
        for field in pairing.old_only:
            if field.name not in renamed:
                inner = where.field(field.name, field.pointer, None)
                message = f'field "{field.name}" was removed'
                self._add("field-removed", "notice", message, inner, hints.NONE, "old", inner.old)
        if pairing.reordered:
            message = f"fields of {new.fullname} were reordered"
            self._add("field-order-changed", "notice", message, where, hints.NONE, "new", where.new)

    def _field(self, old: Field, new: Field, where: Where) -> None:
        inner = where.field(new.name, old.pointer, new.pointer)
        if old.name != new.name:
            message = f'field "{old.name}" was renamed to "{new.name}" (with an alias)'
            self._add("field-renamed", "notice", message, inner, hints.NONE, "new", inner.new)
        if old.doc != new.doc:
            self._add(
                "doc-changed",
                "notice",
                f'doc of field "{new.name}" changed',
                inner,
                hints.NONE,
                "new",
                (*inner.new, "doc"),
            )
        if old.order != new.order:
            message = f'sort order of "{new.name}" changed from {old.order} to {new.order}'
            self._add(
                "sort-order-changed", "notice", message, inner, hints.NONE, "new", (*inner.new, "order")
            )
        if old.default != new.default or type(old.default) is not type(new.default):
            message = f'default of "{new.name}" changed from {_default_text(old)} to {_default_text(new)}'
            self._add("default-changed", "notice", message, inner, hints.NONE, "new", (*inner.new, "default"))
        if new.has_default:
            self._check_default(new, inner)
        self.diff(old.type, new.type, where.field(new.name, (*old.pointer, "type"), (*new.pointer, "type")))

    def _check_default(self, field: Field, where: Where) -> None:
        problem = default_problem(field.type, field.default)
        if problem is not None:
            message = f'default of "{field.name}" does not match its type: {problem}'
            pointer = (*where.new, "default") if where.new_here else where.new
            self._add("default-type-mismatch", "warning", message, where, hints.DEFAULT_TYPE, "new", pointer)

    def _enum(self, old: Enum, new: Enum, where: Where) -> None:
        if old.symbols == new.symbols and old.default == new.default:
            return
        added = [s for s in new.symbols if s not in old.symbols]
        removed = [s for s in old.symbols if s not in new.symbols]
        if added:
            message = f"enum {new.fullname} gained {noun(len(added), 'symbol')} {', '.join(added)}"
            self._add(
                "enum-symbol-added", "notice", message, where, hints.NONE, "new", (*where.new, "symbols")
            )
        if removed:
            message = f"enum {new.fullname} lost {noun(len(removed), 'symbol')} {', '.join(removed)}"
            self._add(
                "enum-symbol-removed", "notice", message, where, hints.NONE, "old", (*where.old, "symbols")
            )
        old_symbols, new_symbols = set(old.symbols), set(new.symbols)
        if [s for s in old.symbols if s in new_symbols] != [s for s in new.symbols if s in old_symbols]:
            message = f"symbols of enum {new.fullname} were reordered (this changes their sort order)"
            self._add(
                "field-order-changed", "notice", message, where, hints.NONE, "new", (*where.new, "symbols")
            )
        if old.default != new.default:
            message = f"default symbol of enum {new.fullname} changed from {old.default} to {new.default}"
            self._add("default-changed", "notice", message, where, hints.NONE, "new", (*where.new, "default"))

    def _add(
        self, rule: str, severity: str, message: str, where: Where, hint: str, side: str, pointer: Pointer
    ) -> None:
        self.issues.append(SchemaIssue(rule, severity, message, where.path, hint, "", side, pointer))


def _key(node: Node) -> str:
    return node.fullname if isinstance(node, Named) else node.kind


def _partner(branch: Node, candidates: list[Node], keys: list[str]) -> int | None:
    """The old branch a new branch continues: same name or kind, else one it resolves against."""
    key = _key(branch)
    if key in keys:
        return keys.index(key)
    for index, candidate in enumerate(candidates):
        if matches(candidate, branch) or matches(branch, candidate):
            return index
    return None


def _default_text(field: Field) -> str:
    return json.dumps(field.default, sort_keys=True) if field.has_default else "(none)"


def diff(old: Node, new: Node, where: Where, pairings: Pairings | None = None) -> list[SchemaIssue]:
    differ = Differ(pairings)
    differ.diff(old, new, where)
    return differ.issues
