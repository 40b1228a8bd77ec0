"""Make the git repositories the schema-compat benchmarks run on (deterministic: same input, same repos).

    python benchmarks/schema/generate.py OUT_DIR

creates under OUT_DIR:
  one-change/      20 schemas of 50 fields; the head commit changes 1 (a field added without default)
  wide/            2,000 schemas of 50 fields; the head commit changes 1,000 of them (optional fields
                   added, int -> long promotions, 20 breaking changes); every 50th uses a type of another file
  wide-one/        the same 2,000 schemas; the head changes only 1
  transitive/      one 50-field schema with 50 versions in history (BACKWARD_TRANSITIVE); the head adds a
                   required field
Each repo has branch `base` and the head checked out as `main`.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
FIELD_TYPES: list[Any] = [
    "long",
    "string",
    "double",
    "boolean",
    "int",
    ["null", "string"],
    {"type": "long", "logicalType": "timestamp-millis"},
    {"type": "array", "items": "string"},
    {"type": "map", "values": "long"},
]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def field(index: int, rng: random.Random) -> dict[str, Any]:
    kind = FIELD_TYPES[rng.randrange(len(FIELD_TYPES))]
    out: dict[str, Any] = {"name": f"f{index}", "type": kind, "doc": f"field {index}"}
    if kind == ["null", "string"]:
        out["default"] = None
    return out


def schema(number: int, fields: int = 50, shared_ref: bool = False) -> dict[str, Any]:
    rng = random.Random(number)
    body = [field(i, rng) for i in range(fields - 2)]
    status = {"type": "enum", "name": f"Status{number}", "symbols": ["NEW", "ACTIVE", "CLOSED"]}
    body.append({"name": "status", "type": status, "default": "NEW"})
    body.append({"name": "address", "type": "com.bench.common.Address" if shared_ref else "string"})
    return {"type": "record", "name": f"Entity{number}", "namespace": f"com.bench.s{number}", "fields": body}


ADDRESS = {
    "type": "record",
    "name": "Address",
    "namespace": "com.bench.common",
    "fields": [{"name": "street", "type": "string"}, {"name": "zip", "type": "string"}],
}


def change(doc: dict[str, Any], number: int) -> dict[str, Any]:
    """A compatible change; every 100th changed schema gets a breaking one (a required field)."""
    fields = list(doc["fields"])
    if number % 100 == 0:
        fields.append({"name": "required_new", "type": "string"})
    else:
        fields.append({"name": "added", "type": ["null", "string"], "default": None, "doc": "new"})
    fields = [{**f, "type": "long"} if f["type"] == "int" else f for f in fields]
    return {**doc, "fields": fields}


def write(repo: Path, files: dict[str, Any]) -> None:
    for rel, content in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2) + "\n")


def new_repo(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    return path


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def pack(repo: Path) -> None:
    """Pack the objects, as a clone (CI) or an auto-gc'd working repo has them."""
    git(repo, "repack", "-adq")


def make_wide(path: Path, total: int, changed: int) -> None:
    repo = new_repo(path)
    docs = {f"schemas/s{n:04d}.avsc": schema(n, shared_ref=n % 50 == 0) for n in range(total)}
    write(repo, {"schemas/common/address.avsc": ADDRESS, **docs})
    commit(repo, "base")
    git(repo, "branch", "base")
    step = max(total // max(changed, 1), 1)
    write(
        repo,
        {p: change(d, n) for n, (p, d) in enumerate(docs.items()) if n % step == 0 and n // step < changed},
    )
    commit(repo, "head")
    pack(repo)


def make_one_change(path: Path) -> None:
    repo = new_repo(path)
    docs = {f"schemas/s{n:02d}.avsc": schema(n) for n in range(20)}
    write(repo, docs)
    commit(repo, "base")
    git(repo, "branch", "base")
    write(repo, {"schemas/s00.avsc": change(docs["schemas/s00.avsc"], 0)})
    commit(repo, "head")
    pack(repo)


def make_transitive(path: Path, versions: int) -> None:
    repo = new_repo(path)
    write(repo, {"dataops-ci.yml": "schemas:\n  compatibility: BACKWARD_TRANSITIVE\n"})
    doc = schema(7)
    for version in range(versions):
        fields = [*doc["fields"], {"name": f"v{version}", "type": ["null", "long"], "default": None}]
        doc = {**doc, "fields": fields}
        write(repo, {"schemas/customer.avsc": doc})
        commit(repo, f"version {version + 1}")
    git(repo, "branch", "base")
    write(
        repo,
        {"schemas/customer.avsc": {**doc, "fields": [*doc["fields"], {"name": "head", "type": "string"}]}},
    )
    commit(repo, "head")
    pack(repo)


def make_pre_commit(path: Path) -> dict[str, list[str]]:
    """A data repo as a user commits in it (the demo repo's head: config with every section, 3 schemas, a
    pipeline, a suite), with one schema changed compatibly and the pipeline's row count raised, staged.
    Returns each pre-commit hook's command (the entry of .pre-commit-hooks.yaml plus the staged files it
    would be given)."""
    repo = new_repo(path)
    shutil.copytree(Path(__file__).parents[2] / "examples" / "demo-repo" / "head", repo, dirs_exist_ok=True)
    commit(repo, "base")
    customer = json.loads((repo / "schemas/customer.avsc").read_text())
    extra = {"name": "nickname", "type": ["null", "string"], "default": None, "doc": "added"}
    write(repo, {"schemas/customer.avsc": {**customer, "fields": [*customer["fields"], extra]}})
    pipeline = repo / "pipelines/customer_pipeline.yml"  # a commit's content is new to the hook: no cache
    old, new = "{type: row_count, min: 1}", "{type: row_count, min: 10}"
    pipeline.write_text(pipeline.read_text().replace(old, new))
    git(repo, "add", "schemas/customer.avsc", "pipelines/customer_pipeline.yml")
    return {
        "avro-schema-compat": ["schema-compat", "schemas/customer.avsc"],
        "avro-schema-lint": ["avro-schema-lint", "schemas/customer.avsc"],
        "pipeline-lint": ["pipelines", "--no-data", "pipelines/customer_pipeline.yml"],
        "expectation-suite-lint": ["expectation-suite-lint", "expectations/customers.json"],
    }


def generate(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    repos = {name: out / name for name in ("one-change", "wide", "wide-one", "transitive")}
    make_one_change(repos["one-change"])
    make_wide(repos["wide"], total=2000, changed=1000)
    make_wide(repos["wide-one"], total=2000, changed=1)
    make_transitive(repos["transitive"], versions=50)
    return repos


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/schema/.repos")
    for name, repo in generate(target).items():
        print(f"{name}: {repo}")
