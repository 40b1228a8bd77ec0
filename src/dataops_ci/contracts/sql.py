"""Data contracts for SQL datasets: the table's columns and declared types from the database catalogue,
and null counts for the schema's required fields in one aggregate query. No rows are fetched.

A query dataset has no catalogue entry: its column names come from the query's result description and
types are not checked. SQLAlchemy is imported inside the functions.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from dataops_ci.config import DataSource, ExpectationsConfig
from dataops_ci.contracts.fields import ContractField, Violation, check_columns, column_for
from dataops_ci.expectations import engines
from dataops_ci.expectations.engines import DataLoadError
from dataops_ci.words import plural

# Python types a column's declared SQL type maps to (SQLAlchemy `python_type`) that each Avro type accepts.
_ACCEPTS: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "long": (int,),
    "float": (float, decimal.Decimal, int),
    "double": (float, decimal.Decimal, int),
    "string": (str, uuid.UUID),
    "bytes": (bytes,),
    "boolean": (bool,),
    "enum": (str,),
    "fixed": (bytes,),
    "array": (list,),
    "map": (dict,),
    "record": (dict,),
}
_LOGICAL_ACCEPTS: dict[str, tuple[type, ...]] = {
    "timestamp-millis": (dt.datetime,),
    "timestamp-micros": (dt.datetime,),
    "local-timestamp-millis": (dt.datetime,),
    "local-timestamp-micros": (dt.datetime,),
    "date": (dt.date,),
    "decimal": (decimal.Decimal, float, int),
    "uuid": (uuid.UUID, str),
}


def sql_violations(
    source: DataSource, fields: list[ContractField], options: ExpectationsConfig
) -> list[Violation]:
    import sqlalchemy as sa

    if not source.url:
        raise DataLoadError("the sql data source has no 'url'", rule="cannot-connect")
    url = engines.expand_env(source.url)
    kwargs = engines.sql_engine_kwargs(url, options.connect_timeout_s, options.query_timeout_s)
    engine = sa.create_engine(url, **kwargs)
    try:
        with engine.connect() as connection:
            columns = _columns(connection, source)
            violations = check_columns(list(columns), fields)
            violations += _type_violations(columns, fields)
            violations += _null_violations(connection, source, fields, set(columns))
    except DataLoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - any driver or catalogue error: the contract could not be checked
        text = next((ln for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)
        raise DataLoadError(
            f"{engines.describe(source)}: {engines.mask_url(text)}", rule="cannot-connect"
        ) from None
    finally:
        engine.dispose()
    return violations


def _columns(connection: Any, source: DataSource) -> dict[str, type | None]:
    """Column name -> the Python type of its declared SQL type (None when the type has none)."""
    import sqlalchemy as sa

    if source.table:
        schema, _, table = source.table.rpartition(".")
        return {
            str(c["name"]): _python_type(c["type"])
            for c in sa.inspect(connection).get_columns(table, schema or None)
        }
    result = connection.execute(sa.text(f"SELECT * FROM ({source.query}) AS dataops_ci_q WHERE 1 = 0"))
    names = result.keys()  # a result's column names (not a dict)
    return {str(name): None for name in names}


def _python_type(sql_type: Any) -> type | None:
    try:
        return sql_type.python_type  # type: ignore[no-any-return]
    except (NotImplementedError, AttributeError):
        return None


def _type_violations(columns: dict[str, type | None], fields: list[ContractField]) -> list[Violation]:
    out = []
    for spec in fields:
        column = column_for(spec, columns)
        declared = columns.get(column) if column else None
        if column is None or declared is None:
            continue
        accepted = _accepted(spec.type)
        if accepted is not None and declared not in accepted:  # exact: a datetime column is not a date
            message = f"'{column}' is {declared.__name__} in the database; the schema says {spec.type_name}"
            out.append(Violation("contract-type-mismatch", "error", column, message))
    return out


def _accepted(kind: Any) -> tuple[type, ...] | None:
    if isinstance(kind, list):
        found = [_accepted(k) for k in kind]
        return None if any(f is None for f in found) else tuple(t for f in found if f for t in f)
    if isinstance(kind, dict):
        logical = kind.get("logicalType")
        if logical in _LOGICAL_ACCEPTS:
            return _LOGICAL_ACCEPTS[str(logical)]
        return _ACCEPTS.get(str(kind.get("type")))
    return _ACCEPTS.get(str(kind))


def _null_violations(
    connection: Any, source: DataSource, fields: list[ContractField], present: set[str]
) -> list[Violation]:
    import sqlalchemy as sa

    required = [c for f in fields if not f.nullable and (c := column_for(f, present)) is not None]
    if not required:
        return []
    counts = [sa.func.sum(sa.case((sa.column(name).is_(None), 1), else_=0)) for name in required]
    if source.table:
        schema, _, table = source.table.rpartition(".")
        origin: Any = sa.table(table, *(sa.column(n) for n in required), schema=schema or None)
    else:
        origin = sa.text(f"({source.query}) AS dataops_ci_q")
    row = connection.execute(sa.select(*counts).select_from(origin)).one()
    return [
        Violation(
            "contract-null-in-required-field",
            "error",
            name,
            f"'{name}' is not nullable in the schema, but has {plural(int(count), 'null value')}",
            int(count),
        )
        for name, count in zip(required, row, strict=True)
        if count
    ]
