"""SQL models into the graph: rendered and parsed (cached by content), traced in dependency order (cached
by content and the upstream columns traced against)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dataops_ci.lineage.cache import ParseCache, digest
from dataops_ci.lineage.jinja import line_map, render_model
from dataops_ci.lineage.model import ANY, UNKNOWN, Graph, Node, Use, node_id
from dataops_ci.lineage.pool import Runner
from dataops_ci.lineage.sqlparse import analyze, tables_read

AVRO_SQL_TYPES = {
    "string": "text", "long": "bigint", "int": "int", "double": "double", "float": "float",
    "boolean": "boolean", "bytes": "blob",
}  # fmt: skip


@dataclass(frozen=True)
class ModelFile:
    path: str
    name: str
    text: str
    context: tuple[tuple[str, str], ...] = ()  # Jinja variables from .sqlfluff (sql-lint's context)
    dbt: tuple[Any, str] | None = None  # (DbtProject, path in it) of a model in a dbt project


def _parse(model: ModelFile, macros: Mapping[str, str], dialect: str | None) -> dict[str, Any]:
    rendered = render_model(model.name, model.text, macros, dict(model.context), model.dbt)
    if rendered.error:
        return {"sql": "", "tables": [], "error": rendered.error, "lines": []}
    read = tables_read(rendered.sql, dialect)
    # Unparsable SQL still says what it reads through ref() and source(): its inputs are kept.
    tables = read["tables"] if not read.get("error") else sorted({*rendered.refs, *rendered.sources})
    return {
        "sql": rendered.sql,
        "tables": tables,
        "error": read.get("error"),
        "lines": line_map(model.text, rendered.sql) if rendered.sql != model.text else [],
    }


def _order(parsed: Mapping[str, dict[str, Any]], relation: Callable[[str], str]) -> list[str]:
    """Model ids upstream first (a cycle is broken where it is found)."""
    done: list[str] = []
    state: dict[str, int] = {}

    def visit(model: str) -> None:
        stack = [(model, iter(parsed[model]["tables"]))]
        state[model] = 1
        while stack:
            here, pending = stack[-1]
            for table in pending:
                up = relation(table)
                if up in parsed and up not in state:
                    state[up] = 1
                    stack.append((up, iter(parsed[up]["tables"])))
                    break
            else:
                stack.pop()
                state[here] = 2
                done.append(here)

    for model in sorted(parsed):
        if model not in state:
            visit(model)
    return done


def _columns_of(graph: Graph, node: str) -> dict[str, str]:
    found = graph.nodes.get(node)
    if found is None or found.unknown or not found.columns:
        return {}
    return {name: _sql_type(info.get("type")) for name, info in found.columns.items()}


def _sql_type(kind: Any) -> str:
    return AVRO_SQL_TYPES.get(str(kind), str(kind)) if kind and " " not in str(kind) else "UNKNOWN"


def _linked_columns(graph: Graph, node: str) -> dict[str, str]:
    """A table's columns from the Avro schema linked to it (each field a column), when there is one."""
    for use in graph.incoming(node):
        schema = graph.nodes.get(use.src)
        if schema is not None and schema.kind == "schema":
            return {name: _sql_type(info.get("type")) for name, info in schema.columns.items()}
    return {}


def dbt_key(dbt: tuple[Any, str] | None) -> str:
    """What a dbt render depends on besides the model: the project's and packages' macros."""
    if dbt is None:
        return ""
    project = dbt[0]
    # Named relative to their project (a package by its name): a base revision's project is written to a
    # new temp folder every run, and its cache entries must still be found.
    files = [(str(f.relative_to(project.root)), f) for f in project.macro_files()]
    for name, package in project.packages().items():
        files += [(f"{name}:{f.relative_to(package.root)}", f) for f in package.macro_files()]
    return digest(sorted((key, f.read_bytes()) for key, f in files if f.is_file()), dict(project.vars))


def _levels(
    order: Sequence[str], parsed: Mapping[str, dict[str, Any]], relation: Callable[[str], str]
) -> list[list[str]]:
    """The models in dependency order, grouped so that no model depends on one of its own group."""
    level: dict[str, int] = {}
    for mid in order:
        ups = [relation(t) for t in parsed[mid]["tables"]]
        level[mid] = 1 + max((level.get(u, 0) for u in ups if u in parsed and u != mid), default=0)
    groups: dict[int, list[str]] = {}
    for mid in order:
        groups.setdefault(level[mid], []).append(mid)
    return [groups[k] for k in sorted(groups)]


def trace_models(
    graph: Graph,
    models: Sequence[ModelFile],
    macros: Mapping[str, str],
    dialect: str | None,
    relation: Callable[[str], str],
    cache: ParseCache,
) -> None:
    if models:
        import sqlglot  # noqa: F401 - imported before the pool forks, so that the workers inherit it
    macro_key = digest(sorted(macros.items()))
    files = {node_id("model", m.name): m for m in models}
    with Runner() as runner:
        project_keys: dict[int, str] = {}  # one digest of a dbt project's macros, not one per model

        def project_key(m: ModelFile) -> str:
            if m.dbt is not None and id(m.dbt[0]) not in project_keys:
                project_keys[id(m.dbt[0])] = dbt_key(m.dbt)
            return project_keys[id(m.dbt[0])] if m.dbt is not None else ""

        keys = [
            digest("parse", m.path, m.text, dialect, macro_key, m.context, project_key(m))
            for m in files.values()
        ]
        results = runner.cached(cache, keys, _parse, [(m, macros, dialect) for m in files.values()])
        parsed = dict(zip(files, results, strict=True))
        for group in _levels(_order(parsed, relation), parsed, relation):
            todo = []
            for mid in group:
                model, info = files[mid], parsed[mid]
                node = graph.add(Node(mid, "model", model.name, model.path, 1))
                node.file, node.line = model.path, 1
                if info.get("error"):
                    node.unknown = f"{UNKNOWN}: {info['error']}"
                    for table in info["tables"]:
                        graph.use(Use(relation(table), ANY, mid, None, model.path, None))
                    continue
                todo.append((node, info, _upstream_schema(graph, info, relation)))
            keys = [digest("trace", info["sql"], dialect, schema) for _, info, schema in todo]
            jobs = [(info["sql"], dialect, schema) for _, info, schema in todo]
            for (node, info, _), traced in zip(todo, runner.cached(cache, keys, analyze, jobs), strict=True):
                _add_traced(graph, node, traced, info, relation)


def _upstream_schema(
    graph: Graph, info: Mapping[str, Any], relation: Callable[[str], str]
) -> dict[str, dict[str, str]]:
    schema = {}
    for table in info["tables"]:
        up = relation(table)
        if up not in graph.nodes:  # a relation no model produces: a table of its own
            graph.add(Node(up, up.partition(":")[0], up.partition(":")[2]))
        schema[table] = _columns_of(graph, up) or _linked_columns(graph, up)
    return schema


def _add_traced(
    graph: Graph,
    node: Node,
    traced: Mapping[str, Any],
    info: Mapping[str, Any],
    relation: Callable[[str], str],
) -> None:
    lines: list[int] = info.get("lines") or []

    def line(rendered: int | None) -> int | None:
        if rendered is None or not lines:
            return rendered
        return lines[min(rendered, len(lines)) - 1]

    if traced.get("error"):
        node.unknown = f"{UNKNOWN}: {traced['error']}"
        for table in info["tables"]:
            graph.use(Use(relation(table), ANY, node.id, None, node.file, None))
        return
    where = {(t, c): line(n) for t, c, n in reversed(traced["refs"])}
    fed: set[tuple[str, str]] = set()
    for column in traced["columns"]:
        name = column["name"]
        if name == "*":
            continue
        node.columns[name] = {"type": column.get("type"), "expr": column.get("expr")}
        for table, source in column.get("sources") or []:
            fed.add((table, source))
            graph.use(Use(relation(table), source, node.id, name, node.file, where.get((table, source))))
    for table, column, at in traced["refs"]:
        if (table, column) not in fed:
            graph.use(Use(relation(table), column, node.id, None, node.file, line(at)))
    for table in traced.get("star") or []:
        node.unknown = f"{UNKNOWN}: SELECT * of {table}, whose columns are not known"
        graph.use(Use(relation(table), ANY, node.id, None, node.file, None))
