"""How to fix each kind of change: the hint texts of the engine's findings."""

from __future__ import annotations

ADD_DEFAULT = (
    'add a default to the new field (e.g. make it ["null", ...] with "default": null); '
    "if it renames an old field, add the old name to its aliases"
)
REMOVE_FIELD = (
    "keep the field, or first publish a version that gives it a default, so readers on the old schema "
    "can fill it in; otherwise publish as a new subject"
)
RENAME_FORWARD = (
    "aliases only help readers of the new schema: keep the old field name, or add the new field with a "
    "default next to the old one and stop writing the old one later"
)
TYPE_CHANGED = (
    "keep the old type, use a promotion the reader can do (int -> long -> float -> double, "
    "string <-> bytes), or add a new field with the new type and a default"
)
FIXED_SIZE = "a fixed size cannot change: add a new field with a new fixed type, or publish as a new subject"
ENUM_REMOVED = 'keep the symbol, or give the enum a "default" symbol so unknown symbols read as that'
ENUM_ADDED = (
    'readers on the old schema fail on the new symbol: give the enum a "default" in a version readers '
    "already use, or publish as a new subject"
)
UNION_REMOVED = "keep the branch in the union (old data may hold values of that type)"
UNION_ADDED = (
    "readers on the old schema cannot read values of the new branch: upgrade readers first "
    "(use BACKWARD), or publish as a new subject"
)
DECIMAL = "decimal precision and scale cannot change on the wire: add a new field with the new decimal type"
LOGICAL = (
    "readers interpret the same stored values differently: add a new field with the new logical type "
    "instead of changing this one"
)
NAMESPACE = (
    "code generated from the schema moves to another package and the full name changes: keep the "
    'namespace, or add the old full name to "aliases"'
)
DEFAULT_TYPE = (
    "a default must match the field's type (for a union, its FIRST branch): fix the value, or move the "
    "branch that matches it to the front of the union"
)
READDED = (
    "data written while the field had its old type still exists: use a new field name instead of "
    "reusing this one"
)
NONE = ""


def alias_for(old_fullname: str) -> str:
    return f'add "aliases": ["{old_fullname}"] to the renamed type, or keep its old name'
