"""Benchmark of the Avro rules engine: parse + compare of N pairs of F-field schemas, vs avro.compatibility.

    python benchmarks/schema/bench_engine.py [--pairs 1000] [--fields 50] [--avro-pairs 200]

Each pair is a realistic change: the new version widens a few types, adds an optional field, drops one
with a default and touches a doc; every pair is a separate revision (two parses + one compare).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from typing import Any

from dataops_ci.avro import compare, gc_paused, parse_revision

TYPES = [
    "string",
    "long",
    "int",
    "double",
    "boolean",
    "bytes",
    ["null", "string"],
    {"type": "array", "items": "string"},
]


def schema_pair(index: int, fields: int) -> tuple[str, str]:
    """Old and new version of a record with ``fields`` fields (deterministic per index)."""
    old_fields: list[dict[str, Any]] = []
    for n in range(fields):
        kind = TYPES[(index + n) % len(TYPES)]
        field: dict[str, Any] = {"name": f"field_{n}", "type": kind, "doc": f"field number {n}"}
        if kind == ["null", "string"]:
            field["default"] = None
        old_fields.append(field)
    old_fields.append(
        {
            "name": "status",
            "type": {"type": "enum", "name": f"Status{index}", "symbols": ["A", "B", "C"]},
            "default": "A",
        }
    )
    new_fields = json.loads(json.dumps(old_fields))
    for field in new_fields[:: max(1, fields // 5)]:
        if field["type"] == "int":
            field["type"] = "long"  # a promotion: backward-compatible
    new_fields[1]["doc"] = "changed"
    new_fields = [f for f in new_fields if f.get("default", 0) is not None or f["name"] != "field_6"]
    new_fields.append({"name": "added", "type": ["null", "string"], "default": None})
    return _record(index, old_fields), _record(index, new_fields)


def _record(index: int, fields: list[dict[str, Any]]) -> str:
    return json.dumps(
        {"type": "record", "name": f"Rec{index}", "namespace": "com.acme.bench", "fields": fields}, indent=2
    )


def time_engine(pairs: list[tuple[str, str]], paused: bool) -> tuple[float, float, int]:
    """(wall s, CPU s, issues found) for parse+compare of all pairs, as a check does it: parse both
    revisions (lazily), then look each file up and compare. ``paused``: inside gc_paused()."""
    paths = [f"s{i}.avsc" for i in range(len(pairs))]
    wall, cpu = time.perf_counter(), time.process_time()
    with gc_paused() if paused else contextlib.nullcontext():
        old_revision = parse_revision({path: old for path, (old, _) in zip(paths, pairs, strict=True)})
        new_revision = parse_revision({path: new for path, (_, new) in zip(paths, pairs, strict=True)})
        issues = sum(
            len(compare(old_revision.schemas[p], new_revision.schemas[p], "BACKWARD")) for p in paths
        )
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    assert not old_revision.problems and not new_revision.problems
    return elapsed[0], elapsed[1], issues


def time_parse_all(pairs: list[tuple[str, str]]) -> float:
    """CPU s to parse every file of both revisions (iterating a revision parses all of it at once)."""
    cpu = time.process_time()
    for side in (0, 1):
        revision = parse_revision({f"s{i}.avsc": pair[side] for i, pair in enumerate(pairs)})
        assert len(revision.schemas) == len(pairs)
    return time.process_time() - cpu


def time_avro(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """(wall s, CPU s) for the avro package: parse both schemas and check reader=new, writer=old."""
    import avro.schema
    from avro.compatibility import ReaderWriterCompatibilityChecker

    wall, cpu = time.perf_counter(), time.process_time()
    for old, new in pairs:
        ReaderWriterCompatibilityChecker().get_compatibility(avro.schema.parse(new), avro.schema.parse(old))
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--fields", type=int, default=50)
    parser.add_argument("--avro-pairs", type=int, default=200, help="pairs for the (slow) avro package run")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pairs = [schema_pair(i, args.fields) for i in range(args.pairs)]
    parse_cpu = min(time_parse_all(pairs) for _ in range(args.repeat))
    print(f"engine: parse all {2 * args.pairs} files of {args.fields} fields: {parse_cpu:.3f} s CPU")
    cpus = {}
    for paused in (False, True):
        wall, cpu, issues = min(time_engine(pairs, paused) for _ in range(args.repeat))
        cpus[paused] = cpu
        print(
            f"engine: {args.pairs} pairs, lookups + compare{' in gc_paused()' if paused else ''}: "
            f"{wall:.3f} s wall, {cpu:.3f} s CPU = {cpu / args.pairs * 1000:.3f} ms CPU/pair; {issues} issues"
        )
    avro_pairs = pairs[: args.avro_pairs]
    avro_wall, avro_cpu = min(time_avro(avro_pairs) for _ in range(args.repeat))
    per_pair = avro_cpu / len(avro_pairs)
    speedup = per_pair / (cpus[False] / args.pairs)
    print(
        f"avro.compatibility: {len(avro_pairs)} pairs: {avro_wall:.3f} s wall, {avro_cpu:.3f} s CPU "
        f"= {per_pair * 1000:.3f} ms CPU/pair; the engine is {speedup:.1f}x faster"
    )


if __name__ == "__main__":
    main()
