"""A Kafka-subject schema repository (each file self-contained, shared records inlined) through the real
CLI: every pair of commits of its history, in BACKWARD, FORWARD and FULL, against Apache Avro's checker.

Where both versions of a subject parse on their own with the `avro` package, our verdict must be Avro's.
Where a subject uses a name it does not define (payment uses Money), Avro is given the referenced
definition first, as Schema Registry resolves a schema reference; where the other files define that name
differently, ours is an `ambiguous-type` finding instead of a verdict.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import avro.errors
import avro.name
import avro.schema
import pytest
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

from dataops_ci.cli import main
from tests.checks.kafka_subjects import definitions, history
from tests.conftest import Repo

MODES = ("BACKWARD", "FORWARD", "FULL")
PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
KEYWORDS = PRIMITIVES | {"record", "enum", "fixed", "array", "map"}


def avro_schema(path: str, revision: dict[str, str]) -> avro.schema.Schema | None:
    """The subject as Avro parses it: on its own, or with the definitions of the names it uses and does
    not define (from the other files, when they all agree); None when Avro cannot."""
    text = revision[path]
    try:
        return avro.schema.parse(text)
    except avro.errors.SchemaParseException:
        pass
    doc = json.loads(text)
    names = avro.name.Names()
    for fullname in sorted(used_names(doc) - set(definitions(doc))):
        found = {
            json.dumps(defs[fullname], sort_keys=True)
            for other, other_text in revision.items()
            if other != path and fullname in (defs := definitions(json.loads(other_text)))
        }
        if len(found) != 1:
            return None  # undefined, or defined differently: no schema to resolve against
        avro.schema.make_avsc_object(json.loads(found.pop()), names)
    return avro.schema.make_avsc_object(doc, names)


def used_names(value: Any) -> set[str]:
    """Full names of the type references in a document (our fixtures qualify every reference)."""
    if isinstance(value, str):
        return set() if value in KEYWORDS else {value}
    if isinstance(value, list):
        return set().union(*(used_names(item) for item in value)) if value else set()
    if isinstance(value, dict):
        parts = [value.get("type"), value.get("items"), value.get("values")]
        parts += [item["type"] for item in value.get("fields", [])]
        return set().union(*(used_names(part) for part in parts if part is not None))
    return set()


def readable(reader: avro.schema.Schema, writer: avro.schema.Schema) -> bool:
    result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)  # type: ignore[no-untyped-call]
    return result.compatibility is SchemaCompatibilityType.compatible


def avro_verdict(old: avro.schema.Schema, new: avro.schema.Schema, mode: str) -> str:
    backward, forward = readable(new, old), readable(old, new)
    ok = {"BACKWARD": backward, "FORWARD": forward, "FULL": backward and forward}[mode]
    return "compatible" if ok else "incompatible"


def build_repo(make_repo: Callable[..., Repo]) -> tuple[Repo, list[str], list[dict[str, str]]]:
    repo = make_repo("kafka-subjects")
    revisions = history()
    shas = []
    for index, texts in enumerate(revisions):
        shas.append(repo.commit(f"subjects {index}", texts))
    return repo, shas, revisions


def run(repo: Repo, out: Path, *args: str) -> dict[str, Any]:
    code = main(["schema-compat", "-C", str(repo.root), "--format", "json", "--report-json", str(out), *args])
    [check] = json.loads(out.read_text(encoding="utf-8"))["checks"]
    assert code == (0 if check["status"] == "passed" else 1), check["summary"]
    return check  # type: ignore[no-any-return]


def test_every_pair_of_the_history_agrees_with_apache_avro(
    make_repo: Callable[..., Repo], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, shas, revisions = build_repo(make_repo)
    tally: Counter[str] = Counter()
    disagreements: list[tuple[Any, ...]] = []
    for i in range(len(shas)):
        for j in range(i + 1, len(shas)):
            for mode in MODES:
                check = run(repo, tmp_path / "r.json", "--base", shas[i], "--head", shas[j], "--mode", mode)
                capsys.readouterr()
                for entry in check["data"]["files"]:
                    judge_pair(entry, check, revisions[i], revisions[j], (i, j, mode), tally, disagreements)
    print(dict(tally))
    assert disagreements == []
    # What the history must exercise: many standalone pairs, both verdicts, references, and ambiguity.
    assert tally["standalone"] >= 150 and tally["standalone"] == tally["standalone agrees"]
    assert tally["with references"] >= 6 and tally["with references"] == tally["with references agrees"]
    assert tally["ambiguous"] >= 6
    assert tally["incompatible"] >= 60 and tally["compatible"] >= 60


def judge_pair(
    entry: dict[str, Any],
    check: dict[str, Any],
    old_revision: dict[str, str],
    new_revision: dict[str, str],
    label: tuple[Any, ...],
    tally: Counter[str],
    disagreements: list[tuple[Any, ...]],
) -> None:
    path, status = entry["file"], entry["status"]
    assert entry["old_file"] == path, entry  # no renames, adds or deletes in this history
    alone = [_parses_alone(revision[path]) for revision in (old_revision, new_revision)]
    old, new = avro_schema(path, old_revision), avro_schema(path, new_revision)
    if old is None or new is None:
        # Only a reference whose definitions disagree keeps Avro from a schema: ours must say why.
        rules = {f["rule"] for f in check["findings"] if f["file"] == path}
        assert status == "invalid" and rules == {"ambiguous-type"}, (label, entry, rules)
        tally["ambiguous"] += 1
        return
    kind = "standalone" if all(alone) else "with references"
    theirs = avro_verdict(old, new, label[2])
    tally[kind] += 1
    tally[theirs] += 1
    if status == theirs:
        tally[f"{kind} agrees"] += 1
    else:
        disagreements.append((label, path, status, theirs))


def _parses_alone(text: str) -> bool:
    try:
        avro.schema.parse(text)
    except avro.errors.SchemaParseException:
        return False
    return True


def test_whole_repo_per_file_versus_shared(make_repo: Callable[..., Repo], tmp_path: Path) -> None:
    repo, shas, _ = build_repo(make_repo)
    per_file = run(repo, tmp_path / "p.json", "--base", shas[0], "--head", shas[-1], "--all-files")
    assert per_file["metrics"]["schemas_invalid"] == 0
    notices = {f["path"]: f for f in per_file["findings"] if f["rule"] == "type-defined-differently"}
    assert set(notices) == {"com.acme.common.Address", "com.acme.common.Status"}
    assert notices["com.acme.common.Address"]["data"]["variants"] == [
        ["subjects/customer-value.avsc", "subjects/order-value.avsc"],
        ["subjects/shipment-value.avsc"],
        ["subjects/supplier-value.avsc"],
    ]
    config = tmp_path / "shared.yml"
    config.write_text("schemas:\n  references: shared\n", encoding="utf-8")
    args = ["--base", shas[0], "--head", shas[-1], "--all-files", "--config", str(config)]
    shared = run(repo, tmp_path / "s.json", *args)
    duplicates = [f for f in shared["findings"] if f["rule"] == "duplicate-name" and f["severity"] == "error"]
    assert len(duplicates) >= 5  # every inline copy after the first, at head
    assert shared["metrics"]["schemas_invalid"] >= 5 and shared["status"] == "failed"


def test_an_unknown_references_value_is_a_configuration_error(
    make_repo: Callable[..., Repo], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo("typo")
    repo.commit("one", {"dataops-ci.yml": "schemas:\n  references: per_file\n", "a.avsc": '"int"'})
    code = main(["schema-compat", "-C", str(repo.root), "--all-files"])
    err = capsys.readouterr().err
    assert code == 2 and "references" in err and "per-file" in err, err
