"""Which fields of two versions of a record correspond, computed once per record pair and compare() call.

Fields pair by name (a reader always looks its own name up first, in either direction). Fields that are
provably identical are dropped here, so the walkers only visit what changed; fields present on one side
only are left for the walkers, which try aliases in the direction they resolve.
"""

from __future__ import annotations

from dataops_ci.avro.model import Field, Record


class Pairing:
    __slots__ = ("changed", "new_only", "old_only", "reordered")

    def __init__(self, old: Record, new: Record) -> None:
        old_by_name = old.by_name
        self.changed: list[tuple[Field, Field]] = []
        self.new_only: list[Field] = []
        positions: list[int] = []
        for field in new.fields:
            counterpart = old_by_name.get(field.name)
            if counterpart is None:
                self.new_only.append(field)
                continue
            positions.append(counterpart.index)
            if not (counterpart.closed and field.closed and counterpart.raw == field.raw):
                self.changed.append((counterpart, field))
        self.old_only: list[Field] = []
        if len(positions) != len(old.fields):
            self.old_only = [field for field in old.fields if field.name not in new.by_name]
        self.reordered = positions != sorted(positions)


class Pairings:
    """A cache of Pairing per (old record, new record), shared by the walkers of one compare() call."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, int], Pairing] = {}

    def get(self, old: Record, new: Record) -> Pairing:
        key = (id(old), id(new))
        pairing = self._cache.get(key)
        if pairing is None:
            pairing = self._cache[key] = Pairing(old, new)
        return pairing


def by_alias(field: Field, other: Record) -> Field | None:
    """The field of ``other`` that one of ``field``'s aliases names (the reader-side alias lookup)."""
    for alias in field.aliases:
        found = other.by_name.get(alias)
        if found is not None:
            return found
    return None
