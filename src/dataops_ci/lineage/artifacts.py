"""Nodes and uses from the non-SQL artifacts of a revision: Avro schemas, pipelines, GX suites, dbt YAML.

Each reader takes file texts and a `relation` resolver (a table name -> the node id that produces it: a
model, else a plain table) and adds to the graph. Anything unreadable is a note, never a crash.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from dataops_ci.lineage.model import ALL, Graph, Node, Use, node_id
from dataops_ci.located_yaml import LocatedYaml, YamlParseError, parse_located

Resolver = Callable[[str], str]
SUITE_COLUMN_KEYS = ("column", "column_A", "column_B")
SUITE_COLUMN_LISTS = ("column_list", "column_set")
REF = re.compile(r"""ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)""")
SOURCE = re.compile(r"""source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)""")


def note(graph: Graph, rule: str, message: str, file: str | None = None, hint: str | None = None) -> None:
    graph.notes.append({"rule": rule, "message": message, "file": file, "hint": hint})


def add_schemas(graph: Graph, texts: Mapping[str, str]) -> None:
    from dataops_ci.avro.model import Record
    from dataops_ci.avro.parse import parse_revision

    revision = parse_revision(dict(texts))
    for file in sorted(texts):
        parsed = revision.schemas.get(file)
        if parsed is None or not isinstance(parsed.schema, Record):
            continue
        record = parsed.schema
        columns = {
            f.name: {"type": f.type.describe(), "line": parsed.line_of(f.pointer)} for f in record.fields
        }
        graph.add(Node(node_id("schema", file), "schema", record.fullname, file, 1, columns))


def link_schema(graph: Graph, schema_file: str, target: str, file: str | None, line: int | None) -> None:
    """Every field of the schema is carried by the same column of `target`."""
    schema = graph.nodes.get(node_id("schema", schema_file))
    if schema is None:
        return
    for field in schema.columns:
        graph.use(Use(schema.id, field, target, field, file, line))
    graph.use(Use(schema.id, ALL, target, ALL, file, line))


def dataset_target(data: Any, relation: Resolver) -> str | None:
    """The node a `data:` entry (a path, or a DataSource mapping) names."""
    if isinstance(data, str) and data.strip():
        return node_id("dataset", data.strip())
    if isinstance(data, Mapping):
        if isinstance(data.get("table"), str):
            return relation(data["table"])
        for key in ("path", "url"):
            if isinstance(data.get(key), str):
                return node_id("dataset", data[key])
    return None


def _target_node(graph: Graph, target: str) -> None:
    kind, _, name = target.partition(":")
    graph.add(Node(target, kind, name))


def _located(graph: Graph, file: str, text: str) -> LocatedYaml | None:
    try:
        return parse_located(text)
    except YamlParseError as exc:
        note(graph, "cannot-read-lineage-source", f"{file} is not valid YAML: {exc}", file)
        return None


def _names(raw: Any) -> list[str]:
    items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    return [i.strip() for i in items if isinstance(i, str) and i.strip()]


def add_pipelines(graph: Graph, texts: Mapping[str, str], relation: Resolver) -> None:
    for file, text in sorted(texts.items()):
        located = _located(graph, file, text)
        raw = located.value if located else None
        if located is None or not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            continue
        dataset = raw.get("dataset")
        dataset = {"data": dataset} if isinstance(dataset, str) else dataset
        checks = [c for c in raw.get("quality_checks") or [] if isinstance(c, dict)]
        notify = _names(raw.get("reviewers")) + [n for c in checks for n in _names(c.get("notify"))]
        pipeline = graph.add(
            Node(node_id("pipeline", raw["name"]), "pipeline", raw["name"], file, located.line(("name",)))
        )
        pipeline.owners += [o for o in _names(raw.get("owner")) if o not in pipeline.owners]
        pipeline.notify += [n for n in dict.fromkeys(notify) if n not in pipeline.notify]
        target = dataset_target(dataset.get("data"), relation) if isinstance(dataset, dict) else None
        if target is None:
            continue
        _target_node(graph, target)
        line = located.line(("dataset",))
        graph.use(Use(target, ALL, pipeline.id, None, file, line))
        if isinstance(dataset, dict) and isinstance(dataset.get("schema"), str):
            link_schema(graph, dataset["schema"], target, file, located.line(("dataset", "schema")))
        for i, check in enumerate(checks):
            for column in _names(check.get("columns")) + _names(check.get("column")):
                graph.use(Use(target, column, pipeline.id, None, file, located.line(("quality_checks", i))))


def _suite_columns(expectation: Mapping[str, Any]) -> list[str]:
    kwargs: dict[str, Any] = _mapping(expectation.get("kwargs"))
    columns = [kwargs[k] for k in SUITE_COLUMN_KEYS if isinstance(kwargs.get(k), str)]
    columns += [c for k in SUITE_COLUMN_LISTS for c in _names(kwargs.get(k))]
    return columns


def _expectation_lines(text: str, count: int) -> list[int | None]:
    """The line of each expectation's `"type"` (or `"expectation_type"`) key, in order."""
    starts = [m.start() for m in re.finditer(r'"(?:expectation_)?type"\s*:\s*"expect_', text)]
    lines: list[int | None] = [text.count("\n", 0, s) + 1 for s in starts]
    return lines[:count] + [None] * (count - len(lines))


def add_suite(graph: Graph, file: str, text: str, data: Any, relation: Resolver) -> None:
    try:
        raw = json.loads(text)
    except ValueError as exc:
        note(graph, "cannot-read-lineage-source", f"{file} is not valid JSON: {exc}", file)
        return
    expectations = raw.get("expectations") if isinstance(raw, dict) else None
    target = dataset_target(data, relation)
    if not isinstance(expectations, list) or target is None:
        return
    name = raw.get("name") or raw.get("expectation_suite_name") or file
    suite = graph.add(Node(node_id("suite", file), "suite", str(name), file, 1))
    _target_node(graph, target)
    for expectation, line in zip(expectations, _expectation_lines(text, len(expectations)), strict=True):
        if not isinstance(expectation, dict):
            continue
        for column in _suite_columns(expectation) or [ALL]:
            graph.use(Use(target, column, suite.id, None, file, line))


def _mapping(raw: Any) -> dict[str, Any]:
    return raw if isinstance(raw, dict) else {}


def _owner(raw: Any) -> list[str]:
    if isinstance(raw, dict):
        raw = raw.get("name") or raw.get("email")
    return _names(raw)


def _meta_owner(entry: Mapping[str, Any]) -> list[str]:
    metas = [
        entry.get("meta"),
        (entry.get("config") or {}).get("meta") if isinstance(entry.get("config"), dict) else None,
    ]
    return [o for m in metas if isinstance(m, dict) for o in _owner(m.get("owner"))]


def add_dbt_yaml(graph: Graph, texts: Mapping[str, str], relation: Resolver) -> None:
    for file, text in sorted(texts.items()):
        located = _located(graph, file, text)
        raw = located.value if located else None
        if located is None or not isinstance(raw, dict):
            continue
        groups = {g.get("name"): _owner(g.get("owner")) for g in _entries(raw, "groups")}
        for i, model in _indexed(raw, "models"):
            _dbt_model(graph, file, located, i, model, groups)
        for i, source in _indexed(raw, "sources"):
            for j, table in enumerate(t for t in source.get("tables") or [] if isinstance(t, dict)):
                node = graph.add(
                    Node(
                        relation(f"{source['name']}.{table.get('name')}"),
                        "table",
                        f"{source['name']}.{table.get('name')}",
                        file,
                        located.line(("sources", i, "tables", j)),
                    )
                )
                node.owners += _meta_owner(table) or _meta_owner(source)
                meta = _mapping(table.get("meta"))
                schema = meta.get("avro_schema") or meta.get("schema")
                if isinstance(schema, str) and schema.endswith(".avsc"):
                    link_schema(graph, schema, node.id, file, located.line(("sources", i, "tables", j)))
        for i, exposure in _indexed(raw, "exposures"):
            node = graph.add(
                Node(
                    node_id("exposure", exposure["name"]),
                    "exposure",
                    exposure["name"],
                    file,
                    located.line(("exposures", i)),
                )
            )
            node.owners += _owner(exposure.get("owner"))
            for k, dep in enumerate(_names(exposure.get("depends_on"))):
                for found in REF.finditer(dep):
                    line = located.line(("exposures", i, "depends_on", k))
                    graph.use(Use(relation(found.group(2) or found.group(1)), ALL, node.id, None, file, line))
                for found in SOURCE.finditer(dep):
                    line = located.line(("exposures", i, "depends_on", k))
                    graph.use(
                        Use(relation(f"{found.group(1)}.{found.group(2)}"), ALL, node.id, None, file, line)
                    )


def _entries(raw: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    return [e for e in raw.get(key) or [] if isinstance(e, dict) and isinstance(e.get("name"), str)]


def _indexed(raw: Mapping[str, Any], key: str) -> Iterable[tuple[int, dict[str, Any]]]:
    items = raw.get(key)
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            yield i, item


def _dbt_model(
    graph: Graph,
    file: str,
    located: LocatedYaml,
    i: int,
    model: dict[str, Any],
    groups: Mapping[Any, list[str]],
) -> None:
    node = graph.add(Node(node_id("model", model["name"]), "model", model["name"]))
    group = model.get("group") or (
        (model.get("config") or {}).get("group") if isinstance(model.get("config"), dict) else None
    )
    node.owners += [o for o in _meta_owner(model) + groups.get(group, []) if o not in node.owners]
    tests = node_id("tests", file)
    for j, column in enumerate(c for c in model.get("columns") or [] if isinstance(c, dict)):
        if not isinstance(column.get("name"), str):
            continue
        if column.get("tests") or column.get("data_tests") or column.get("constraints"):
            graph.add(Node(tests, "tests", file, file, 1))
            line = located.line(("models", i, "columns", j))
            graph.use(Use(node.id, column["name"].lower(), tests, None, file, line))
