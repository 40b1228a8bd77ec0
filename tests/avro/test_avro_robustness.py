"""Bad input never raises: randomly damaged schemas give ParseProblems, or parse and compare cleanly."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

from dataops_ci.avro import compare, lint, parse_revision
from tests.avro.generate import schema_pairs

JUNK: list[Any] = [
    None,
    0,
    -1,
    2.5,
    True,
    "",
    "nope",
    "com.acme.Missing",
    [],
    {},
    ["int", "int"],
    {"type": 7},
    {"type": "record"},
    {"type": "enum", "name": "E", "symbols": "A"},
    {"type": "fixed", "name": "F"},
    {"type": "array"},
    {"name": "x"},
    [["int"]],
    {"type": "record", "name": "R", "fields": [7]},
]


def damage(doc: Any, rng: random.Random) -> Any:
    """Replace one random value somewhere in the document with junk."""
    doc = copy.deepcopy(doc)
    spots: list[tuple[Any, Any]] = []

    def walk(value: Any) -> None:
        children = (
            value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
        )
        for key, child in list(children):
            spots.append((value, key))
            walk(child)

    walk(doc)
    container, key = rng.choice(spots)
    container[key] = copy.deepcopy(rng.choice(JUNK))
    return doc


def test_damaged_schemas_never_raise() -> None:
    rng = random.Random(11)
    outcomes = {"parsed": 0, "problem": 0}
    for old_doc, new_doc in schema_pairs(150, seed=3):
        revision = parse_revision({"new.avsc": json.dumps(damage(new_doc, rng), indent=1)})
        if "new.avsc" in revision.problems:
            outcomes["problem"] += 1
            (problem,) = revision.problems["new.avsc"]
            assert problem.rule in {"invalid-schema", "unknown-type", "duplicate-name"}
            continue
        outcomes["parsed"] += 1
        new = revision.schemas["new.avsc"]
        old = parse_revision({"old.avsc": json.dumps(old_doc)}).schemas.get("old.avsc")
        lint(new)
        if old is not None:
            for issue in compare(old, new, "FULL"):
                assert (new if issue.side == "new" else old).line_of(issue.pointer) is not None
    assert outcomes["parsed"] > 10 and outcomes["problem"] > 50, outcomes


def test_truncated_and_binary_texts_are_problems() -> None:
    good = json.dumps(schema_pairs(1)[0][0], indent=2)
    texts = {f"cut{n}.avsc": good[:n] for n in range(0, len(good), max(1, len(good) // 40))}
    texts["binary.avsc"] = "\x00\x01\ufffd\x89PNG"
    revision = parse_revision(texts)
    assert set(revision.problems) == set(texts)
    assert all(p[0].rule == "invalid-json" and p[0].line is not None for p in revision.problems.values())
