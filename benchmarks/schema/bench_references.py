"""Benchmark of name resolution: `schemas.references: per-file` against `shared`, engine only.

    python benchmarks/schema/bench_references.py [--files 2000] [--repeat 5]

Two revisions of ``--files`` schemas: the self-contained 50-field records of bench_engine.py (both modes
parse them), and a Kafka-subject revision where every subject inlines copies of Address and Money and one
in 50 uses Money without defining it (only per-file parses it: under shared every copy after the first is a
duplicate-name). Times are CPU seconds, best of ``--repeat``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

from bench_engine import schema_pair

from dataops_ci.avro import parse_revision

COMMON = "com.acme.common"


def subject(index: int) -> str:
    address = {"type": "record", "name": "Address", "namespace": COMMON, "fields": [
        {"name": "street", "type": "string"}, {"name": "zip", "type": "string"}]}  # fmt: skip
    money: Any = {"type": "record", "name": "Money", "namespace": COMMON, "fields": [
        {"name": "units", "type": "long"}, {"name": "currency", "type": "string"}]}  # fmt: skip
    if index % 50 == 1:
        money = f"{COMMON}.Money"  # a reference: borrowed from the identical copies
    fields = [{"name": f"field_{n}", "type": ["null", "string"], "default": None} for n in range(20)]
    fields += [{"name": "address", "type": address}, {"name": "amount", "type": money}]
    doc = {"type": "record", "name": f"Subject{index}", "namespace": "com.acme", "fields": fields}
    return json.dumps(doc, indent=2)


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        cpu = time.process_time()
        work()
        times.append(time.process_time() - cpu)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    records = {f"s{i}.avsc": schema_pair(i, 50)[0] for i in range(args.files)}
    subjects = {f"subjects/t{i}-value.avsc": subject(i) for i in range(args.files)}
    one = sorted(records)[args.files // 2]
    for references in ("shared", "per-file"):

        def parse_all(texts: dict[str, str] = records, mode: Any = references) -> object:
            return len(parse_revision(texts, mode).schemas)

        def look_up_one(mode: Any = references) -> object:
            return parse_revision(records, mode).schemas[one]

        print(
            f"{references:8s}: parse all {args.files} records: {best(args.repeat, parse_all):.3f} s; "
            f"look up one of them: {best(args.repeat, look_up_one):.4f} s"
        )
    for references in ("shared", "per-file"):
        revision = parse_revision(subjects, references)  # type: ignore[arg-type]
        parsed = len(revision.schemas)

        def parse_subjects(mode: Any = references) -> object:
            return len(parse_revision(subjects, mode).schemas)

        print(
            f"{references:8s}: Kafka subjects with inline copies: {parsed} of {args.files} parse, "
            f"{best(args.repeat, parse_subjects):.3f} s"
        )


if __name__ == "__main__":
    main()
