"""One SQL model read with sqlglot: the relations it reads, its output columns (names, types, the
expression) and, for each, the upstream columns it comes from (`sqlglot.lineage`), plus every column of
every relation it references and where (line). Plain dicts, so that they can be cached as JSON.

Relations are renamed to placeholders before qualifying, so that relations of different depths (`orders`,
`raw.customers`, `db.raw.events`) share one flat schema: the upstream models' output columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Schema = Mapping[str, Mapping[str, str]]  # relation (lower-case, dotted) -> column -> type
PLACEHOLDER = "dataops_rel_{}"


def _statement(sql: str, dialect: str | None) -> Any:
    import sqlglot
    from sqlglot import exp

    statements = [s for s in sqlglot.parse(sql, dialect=dialect) if s is not None]
    queries = [s.expression if isinstance(s, exp.Create | exp.Insert) else s for s in statements]
    queries = [q for q in queries if isinstance(q, exp.Query)]
    if not queries:
        raise ValueError("no SELECT statement in the model")
    return queries[-1]


def _name(table: Any) -> str:
    return ".".join(part.name.lower() for part in table.parts)


def _relations(query: Any) -> list[Any]:
    """The tables of the query that are relations, not references to its own CTEs."""
    from sqlglot import exp

    ctes = {cte.alias_or_name.lower() for cte in query.find_all(exp.CTE)}
    return [t for t in query.find_all(exp.Table) if t.db or t.name.lower() not in ctes]


def _loose(schema: Schema) -> dict[str, object]:
    return {k: dict(v) for k, v in schema.items()}


def tables_read(sql: str, dialect: str | None) -> dict[str, Any]:
    """{"tables": [...]} or {"tables": [], "error": "..."}."""
    try:
        query = _statement(sql, dialect)
    except Exception as exc:  # noqa: BLE001 - sqlglot raises many kinds; any of them means "unparsable"
        return {"tables": [], "error": _short(exc)}
    return {"tables": sorted({_name(t) for t in _relations(query) if t.name})}


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]


def analyze(sql: str, dialect: str | None, schema: Schema) -> dict[str, Any]:
    """{"columns": [{"name", "type", "expr", "sources": [[relation, column], ...]}],
    "refs": [[relation, column, line]], "star": [relations read by a SELECT * of unknown columns],
    "missing": [[relation, column, line]] (named but not among the relation's known columns)}, or with
    "error" when the model cannot be parsed or qualified."""
    try:
        return _analyze(sql, dialect, schema)
    except Exception as exc:  # noqa: BLE001
        return {"columns": [], "refs": [], "star": [], "error": _short(exc)}


def _analyze(sql: str, dialect: str | None, schema: Schema) -> dict[str, Any]:
    from sqlglot import exp
    from sqlglot.optimizer.annotate_types import annotate_types
    from sqlglot.optimizer.qualify import qualify
    from sqlglot.optimizer.scope import build_scope
    from sqlglot.schema import MappingSchema

    query = _statement(sql, dialect)
    names: dict[str, str] = {}  # placeholder -> relation
    lines: dict[str, int | None] = {}
    for i, table in enumerate(_relations(query)):
        placeholder = PLACEHOLDER.format(i)
        names[placeholder] = _name(table)
        lines[placeholder] = table.this.meta.get("line")
        alias = table.alias or table.name
        table.set("this", exp.to_identifier(placeholder))
        table.set("db", None)
        table.set("catalog", None)
        table.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
    flat: dict[str, dict[str, str]] = {p: dict(schema[r]) for p, r in names.items() if schema.get(r)}
    missing = _missing(query, flat)
    qualified = None
    for attempt in (flat, {}):
        try:
            qualified = qualify(
                query.copy(),
                schema=_loose(attempt),
                dialect=dialect,
                validate_qualify_columns=False,
                quote_identifiers=False,
            )
            flat = attempt
            break
        except Exception:  # noqa: BLE001 - retried without upstream columns: names only, no types
            continue
    if qualified is None:
        raise ValueError("sqlglot cannot qualify the columns of this model")
    scope = build_scope(qualified)
    if scope is None:
        raise ValueError("the query has no scope sqlglot can trace")
    star, refs = _references(scope, names, lines, flat)
    mapping = MappingSchema(_loose(flat), dialect=dialect)  # built once: qualify, types and lineage share it
    typed = annotate_types(qualified, schema=mapping, dialect=dialect)
    roots = _lineage_roots(scope, mapping, dialect)
    columns = [_column(select, roots, names, dialect) for select in typed.selects]
    unique = sorted({(r[0], r[1]): r for r in reversed(refs)}.values(), key=lambda r: (r[2] or 0, r[0], r[1]))
    return {
        "columns": columns,
        "refs": [list(r) for r in unique],
        "star": sorted(star),
        "missing": [[names[m[0]], *m[1:]] for m in missing],
    }


def _missing(query: Any, flat: dict[str, dict[str, str]]) -> list[list[Any]]:
    """Columns the model names on a relation whose known columns do not include them (added to `flat` as
    type unknown, so that the rest of the model can still be traced)."""
    from sqlglot import exp

    missing: list[list[Any]] = []
    for select in query.find_all(exp.Select):
        sources = {
            (t.alias_or_name): t.name
            for t in select.find_all(exp.Table)
            if t.name in flat and t.find_ancestor(exp.Select) is select
        }
        for column in select.find_all(exp.Column):
            if column.find_ancestor(exp.Select) is not select or isinstance(column.this, exp.Star):
                continue
            target = sources.get(column.table) if column.table else next(iter(sources.values()), None)
            if column.table == "" and len(sources) != 1:
                continue
            if target and column.name and column.name.lower() not in flat[target]:
                flat[target][column.name.lower()] = "UNKNOWN"
                missing.append([target, column.name.lower(), column.this.meta.get("line")])
    return missing


def _references(
    root: Any, names: Mapping[str, str], lines: Mapping[str, int | None], flat: Schema
) -> tuple[set[str], list[list[Any]]]:
    from sqlglot import exp

    star: set[str] = set()
    refs: list[list[Any]] = []
    for scope in root.traverse():
        tables = {a: s.name for a, s in scope.sources.items() if isinstance(s, exp.Table) and s.name in names}
        unknown = [p for p in tables.values() if p not in flat]
        for column in scope.columns:
            line = column.this.meta.get("line") if column.this is not None else None
            placeholder = tables.get(column.table)
            targets = [placeholder] if placeholder else [] if column.table else unknown
            for target in targets:
                refs.append([names[target], column.name, line or lines.get(target)])
        selects = scope.expression.selects if isinstance(scope.expression, exp.Select) else []
        if any(isinstance(s, exp.Star) for s in selects):
            star.update(names[p] for p in unknown)
        select: Any
        for select in selects:
            starred = isinstance(select, exp.Column) and isinstance(select.this, exp.Star)
            if starred and select.table in tables and tables[select.table] not in flat:
                star.add(names[tables[select.table]])
    return star, refs


def _lineage_roots(scope: Any, mapping: Any, dialect: str | None) -> dict[str, Any]:
    """`sqlglot.lineage` of every output column in one walk (shared work, no copy of the query); column
    by column when the one walk fails, so that one untraceable column does not hide the others."""
    from sqlglot.lineage import lineage

    def one(name: str | None) -> Any:
        return lineage(
            name,
            scope.expression,
            schema=mapping,
            dialect=dialect,
            scope=scope,
            trim_selects=False,
            copy=False,
        )

    try:
        roots: dict[str, Any] = one(None)
        return roots
    except Exception:  # noqa: BLE001 - sqlglot raises many kinds; retried per column below
        pass
    found: dict[str, Any] = {}
    for select in scope.expression.selects:
        try:
            found[select.alias_or_name] = one(select.alias_or_name)
        except Exception:  # noqa: BLE001 - this column cannot be traced; the others still are
            continue
    return found


def _column(
    select: Any, roots: Mapping[str, Any], names: Mapping[str, str], dialect: str | None
) -> dict[str, Any]:
    from sqlglot import exp

    name = select.alias_or_name
    kind = select.type.sql(dialect=dialect) if select.type is not None else None
    info: dict[str, Any] = {
        "name": name,
        "type": None if kind in (None, "UNKNOWN", "NULL") else kind.lower(),
        "expr": (select.this if isinstance(select, exp.Alias) else select).sql(dialect=dialect),
    }
    if isinstance(select, exp.Star) or name == "*":
        info["sources"] = []
        return info
    root = roots.get(name)
    if root is None:
        info["sources"] = None  # this column cannot be traced
        return info
    sources = set()
    for node in root.walk():
        source = node.source
        if node.downstream or not isinstance(source, exp.Table) or source.name not in names:
            continue
        column = node.expression.name if isinstance(node.expression, exp.Column) else node.name.split(".")[-1]
        sources.add((names[source.name], column.strip('"').lower()))
    info["sources"] = [list(s) for s in sorted(sources)]
    return info
