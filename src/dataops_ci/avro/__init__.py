"""The Avro schema-compatibility rules engine: pure functions over schema texts (no I/O, no git).

parse_revision() parses all .avsc texts of one revision (names resolved per file, or shared); compare()
explains every change between two versions under a compatibility mode (Apache Avro's schema-resolution
rules, plus warnings beyond them); lint() checks one schema on its own. RULES documents every rule id.

An engine package, and pure: imports only the standard library and its own modules (not even the
foundations), so it can be tested and reused on its own.
"""

from __future__ import annotations

from dataops_ci.avro.compare import MODES, compare, directions, is_compatible
from dataops_ci.avro.history import readded_fields
from dataops_ci.avro.issues import ParseProblem, SchemaIssue
from dataops_ci.avro.lint import lint
from dataops_ci.avro.parse import (
    REFERENCES,
    Divergence,
    ParsedSchema,
    References,
    Revision,
    parse_one,
    parse_revision,
)
from dataops_ci.avro.revision import gc_paused
from dataops_ci.avro.rules import RULES, RuleDoc, rules_markdown

__all__ = [
    "MODES",
    "REFERENCES",
    "RULES",
    "Divergence",
    "ParseProblem",
    "ParsedSchema",
    "References",
    "Revision",
    "RuleDoc",
    "SchemaIssue",
    "compare",
    "directions",
    "gc_paused",
    "is_compatible",
    "lint",
    "parse_one",
    "parse_revision",
    "readded_fields",
    "rules_markdown",
]
