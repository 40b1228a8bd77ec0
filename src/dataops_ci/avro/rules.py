"""Every rule id the engine emits, with a one-line description and a bad and a good example.

docs/avro-rules.md and the README's rule list are generated from RULES (see ``rules_markdown``).
Examples read "old -> new" for changes between versions, and show one schema for single-schema rules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleDoc:
    summary: str
    bad: str
    good: str
    kind: str  # "wire" (verdict), "warning" (beyond wire), "notice", "lint", "parse"


_F = '{"name": "email", "type": "string"}'
_OPT = '{"name": "email", "type": ["null", "string"], "default": null}'

RULES: dict[str, RuleDoc] = {
    "field-added-without-default": RuleDoc(
        "a new field has no default, so the new schema cannot read old data (breaks BACKWARD)",
        f"add {_F}",
        f"add {_OPT}",
        "wire",
    ),
    "field-removed": RuleDoc(
        "a field was removed; if the old schema has no default for it, old readers fail (breaks FORWARD)",
        f"remove {_F}",
        f"remove {_OPT} (it had a default)",
        "wire",
    ),
    "field-renamed": RuleDoc(
        "a field was renamed with an alias: new readers follow the alias, old readers fail (breaks FORWARD)",
        'rename "email" to "mail" with "aliases": ["email"] under FULL',
        'keep "email"; add "mail" with a default',
        "wire",
    ),
    "type-changed": RuleDoc(
        "a type changed in a way the reader cannot resolve (promotions: int->long->float->double, "
        "string<->bytes)",
        '"type": "int" -> "type": "string"',
        '"type": "int" -> "type": "long" (BACKWARD)',
        "wire",
    ),
    "name-changed": RuleDoc(
        "a record, enum or fixed was renamed without the old name among the new type's aliases",
        '"name": "Address" -> "name": "PostalAddress"',
        '"name": "PostalAddress", "aliases": ["com.acme.Address"]',
        "wire",
    ),
    "fixed-size-changed": RuleDoc(
        "a fixed type changed size; fixed sizes must match exactly",
        '{"type": "fixed", "name": "Hash", "size": 16} -> "size": 32',
        'keep size 16; add a field with a new fixed "Hash32"',
        "wire",
    ),
    "enum-symbol-removed": RuleDoc(
        "an enum lost symbols and has no default, so old data holding them cannot be read (breaks BACKWARD)",
        '"symbols": ["A", "B", "C"] -> ["A", "B"]',
        '"symbols": ["A", "B"], "default": "A"',
        "wire",
    ),
    "enum-symbol-added": RuleDoc(
        "an enum gained symbols that readers on the old schema (without an enum default) fail on "
        "(breaks FORWARD)",
        '"symbols": ["A", "B"] -> ["A", "B", "C"] (old enum has no default)',
        'old enum already had "default": "A", then add "C"',
        "wire",
    ),
    "union-branch-removed": RuleDoc(
        "a union lost a branch (or became a plain type) that old data may hold (breaks BACKWARD)",
        '["null", "string"] -> "string"',
        '"string" -> ["null", "string"]',
        "wire",
    ),
    "union-branch-added": RuleDoc(
        "a union gained a branch that readers on the old schema cannot read (breaks FORWARD)",
        '"string" -> ["null", "string"] under FORWARD',
        '"string" -> ["null", "string"] under BACKWARD (readers upgrade first)',
        "wire",
    ),
    "logical-type-changed": RuleDoc(
        "a logical type changed: same bytes, other meaning "
        "(decimal precision/scale changes also break the wire)",
        '{"type": "long", "logicalType": "timestamp-millis"} -> "timestamp-micros"',
        'add a new field "created_at_us" with timestamp-micros',
        "warning",
    ),
    "namespace-moved": RuleDoc(
        "a named type moved to another namespace: wire-compatible, but its full name and generated "
        "code change",
        '"namespace": "com.acme" -> "com.acme.crm"',
        '"namespace": "com.acme.crm", "aliases": ["com.acme.Customer"]',
        "warning",
    ),
    "default-type-mismatch": RuleDoc(
        "a default does not match the field's type (for a union: its first branch)",
        '{"name": "n", "type": ["null", "int"], "default": 0}',
        '{"name": "n", "type": ["int", "null"], "default": 0}',
        "warning",
    ),
    "field-readded-with-other-type": RuleDoc(
        "a field removed in an earlier version came back with a different type; data of the old "
        "type still exists",
        'v1 "age": int, v2 removed, v3 "age": string',
        'v3 adds "age_label": string instead',
        "warning",
    ),
    "field-added": RuleDoc("a field was added with a default (safe)", f"add {_F}", f"add {_OPT}", "notice"),
    "doc-changed": RuleDoc(
        "only a doc string changed (never a failure)",
        "-",
        '"doc": "Email" -> "doc": "Primary email"',
        "notice",
    ),
    "field-order-changed": RuleDoc(
        "fields, enum symbols or union branches were reordered (no wire effect; sort order may change)",
        "-",
        '"fields": [a, b] -> [b, a]',
        "notice",
    ),
    "sort-order-changed": RuleDoc(
        'a field\'s "order" attribute changed (affects sorting of binary data, not reading)',
        "-",
        '"order": "ascending" -> "descending"',
        "notice",
    ),
    "default-changed": RuleDoc(
        "a field's default or an enum's default symbol was added, removed or changed",
        "-",
        '"default": null -> "default": "n/a"',
        "notice",
    ),
    "invalid-name": RuleDoc(
        "a name, namespace, field name or enum symbol is not a valid Avro name",
        '{"name": "first-name", "type": "string"}',
        '{"name": "first_name", "type": "string"}',
        "lint",
    ),
    "doc-missing": RuleDoc(
        "a record or field has no doc",
        '{"name": "ltv", "type": "double"}',
        '{"name": "ltv", "type": "double", "doc": "Lifetime value, EUR"}',
        "lint",
    ),
    "logical-type-invalid": RuleDoc(
        "a logicalType is unknown to this engine or invalid for its type and will be ignored by readers",
        '{"type": "int", "logicalType": "timestamp-millis"}',
        '{"type": "long", "logicalType": "timestamp-millis"}',
        "lint",
    ),
    "invalid-json": RuleDoc(
        "the file is not valid JSON", '{"type": "record",}', '{"type": "record", ...}', "parse"
    ),
    "unknown-type": RuleDoc(
        "a type name is neither primitive nor defined in the file or in any other .avsc file of the revision",
        '"type": "com.acme.Adress"',
        '"type": "com.acme.Address" (defined in address.avsc)',
        "parse",
    ),
    "duplicate-name": RuleDoc(
        "a named type (or a record's field) is defined twice in one file, or (with "
        "`schemas.references: shared`) in two files of the revision",
        "Address defined in both address.avsc and customer.avsc, under references: shared",
        'define it once; reference it by "com.acme.Address"',
        "parse",
    ),
    "ambiguous-type": RuleDoc(
        "a file uses a named type it does not define, and two other files define that name differently",
        '"type": "com.acme.Money" in order.avsc; Money with 2 fields in a.avsc, with 3 in b.avsc',
        "define Money in order.avsc too, or make the definitions in a.avsc and b.avsc identical",
        "parse",
    ),
    "invalid-schema": RuleDoc(
        "the JSON is not a valid Avro schema (missing name/fields/symbols/size, nested union, "
        "bad enum default ...)",
        '{"type": "enum", "name": "S", "symbols": ["A"], "default": "B"}',
        '{"type": "enum", "name": "S", "symbols": ["A", "B"], "default": "B"}',
        "parse",
    ),
}


def rules_markdown() -> str:
    """The rule list as Markdown: one line per rule with a bad and a good example."""
    titles = {
        "wire": "Wire compatibility (error in the asked direction, notice otherwise)",
        "warning": "Beyond the wire (warnings)",
        "notice": "Harmless changes (notices)",
        "lint": "Single-schema lint (avro-schema-lint)",
        "parse": "Files that cannot be parsed",
    }
    lines: list[str] = []
    for kind, title in titles.items():
        lines += ["", f"### {title}", ""]
        for rule, doc in RULES.items():
            if doc.kind == kind:
                lines.append(f"- `{rule}`: {doc.summary}. Bad: `{doc.bad}`. Good: `{doc.good}`.")
    return "\n".join(lines).lstrip("\n") + "\n"


DOC_HEADER = """# Avro rules (schema-compat, avro-schema-lint)

Generated from `dataops_ci.avro.RULES` by `dataops_ci.avro.rules.rules_document()`; a test keeps this
file in sync. Each line: the rule id, what it means, a bad example and a good one.
Changes read "old -> new".

Wire rules follow Apache Avro's schema-resolution rules. Under BACKWARD the new schema must read data
written with the old one (a break has `breaks: readers`: consumers that adopt the new schema fail);
under FORWARD the old schema must read data written with the new one (`breaks: writers`: producers that
adopt the new schema break consumers still on the old one); FULL needs both. A wire break is an error in
the directions the mode asks for and a notice otherwise (so NONE reports every break as a notice).
"""


def rules_document() -> str:
    """The whole of docs/avro-rules.md."""
    return DOC_HEADER + "\n" + rules_markdown()
