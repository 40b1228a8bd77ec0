"""The names a dbt model renders with when dbt itself is not used: ref, source, config, var,
is_incremental, this, target, adapter (with `dispatch`), env_var, return, and a few of dbt's modules.

Values follow sqlfluff's own dbt builtins where both exist (`ref('x')` renders as `x`, `source('s', 't')`
as `s_t`, `is_incremental()` is true), so SQL that both render renders the same. Every ref/source/config
call is recorded in a `Recorder`. Nothing reads a database or the environment: `execute` is false (dbt's
parse phase), `run_query` returns nothing and `env_var` returns its default (or the variable's name).
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dataops_ci.dbt.project import DbtProject


class MacroReturn(Exception):  # noqa: N818 - dbt's name for it
    """Raised by `return(value)`; caught where the macro that called it was called."""

    def __init__(self, value: Any) -> None:
        super().__init__("return")
        self.value = value


@dataclass
class Recorder:
    """What one model's rendering called ref/source/config/var with."""

    refs: list[tuple[str, ...]] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    configs: list[dict[str, Any]] = field(default_factory=list)
    missing_vars: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self.refs.clear()
        self.sources.clear()
        self.configs.clear()
        self.missing_vars.clear()


class Relation:
    """`this`, or what ref()/source() return: renders as its identifier; any attribute is itself."""

    unsafe_callable = False
    alters_data = False

    def __init__(self, identifier: str, schema: str = "this_schema", database: str = "this_database") -> None:
        self.identifier = identifier
        self.name = identifier
        self.schema = schema
        self.database = database

    def __call__(self, *args: Any, **kwargs: Any) -> Relation:
        return self

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return True if name.startswith("is_") else self

    def __str__(self) -> str:
        return self.identifier

    def render(self) -> str:
        return self.identifier


class Adapter:
    """dbt's `adapter`: `dispatch` finds `<type>__name` or `default__name`; anything else is inert."""

    def __init__(self, kind: str, dispatch: Callable[[str, str | None], Any]) -> None:
        self.kind = kind
        self._dispatch = dispatch

    def dispatch(self, macro_name: str, macro_namespace: str | None = None) -> Any:
        return self._dispatch(macro_name, macro_namespace)

    def type(self) -> str:
        return self.kind

    def quote(self, identifier: Any) -> str:
        return f'"{identifier}"'

    def get_columns_in_relation(self, relation: Any) -> list[Any]:
        return []

    def get_relation(self, *args: Any, **kwargs: Any) -> None:
        return None

    def __getattr__(self, name: str) -> Callable[..., str]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: ""


class Namespace:
    """`dbt_utils` in `dbt_utils.star(...)`: attribute access looks the macro up when it is called."""

    def __init__(self, name: str, lookup: Callable[[str, str | None], Any]) -> None:
        self._name = name
        self._lookup = lookup

    def __getattr__(self, item: str) -> Any:
        if item.startswith("_"):
            raise AttributeError(item)
        return self._lookup(item, self._name)


def _raise_compiler_error(message: str = "", *args: Any) -> None:
    raise RuntimeError(f"raise_compiler_error: {message}")


def builtins(
    project: DbtProject, model: str, adapter: Adapter, recorder: Recorder, macro_return: type[Exception]
) -> dict[str, Any]:
    """The context names of one model (`model`: its name, the file's stem)."""

    def ref(*args: Any, **kwargs: Any) -> Relation:
        recorder.refs.append(tuple(str(a) for a in args))
        return Relation(str(args[-1]) if args else "ref")

    def source(source_name: Any, table_name: Any) -> Relation:
        recorder.sources.append((str(source_name), str(table_name)))
        return Relation(f"{source_name}_{table_name}")

    def config(*args: Any, **kwargs: Any) -> str:
        recorder.configs.append(dict(kwargs))
        return ""

    def var(name: str, default: Any = None) -> Any:
        scoped = project.vars.get(project.name)
        if name in project.vars and not isinstance(project.vars[name], Mapping):
            return project.vars[name]
        if isinstance(scoped, Mapping) and name in scoped:
            return scoped[name]
        if default is not None:
            return default
        recorder.missing_vars.append(name)
        return "item"

    def do_return(value: Any) -> None:
        raise macro_return(value)

    target = {"name": "dev", "schema": "this_schema", "database": "this_database", "type": adapter.kind}
    return {
        "ref": ref,
        "source": source,
        "config": config,
        "var": var,
        "is_incremental": lambda: True,
        "this": Relation(model),
        "model": {"name": model, "alias": model, "unique_id": f"model.{project.name}.{model}"},
        "target": target,
        "adapter": adapter,
        "execute": False,
        "flags": {"FULL_REFRESH": False, "WHICH": "compile"},
        "project_name": project.name,
        "dbt_version": "1.8.0",
        "invocation_id": "00000000-0000-0000-0000-000000000000",
        "run_started_at": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
        "graph": {"nodes": {}, "sources": {}, "macros": {}},
        "env_var": lambda name, default=None: name if default is None else default,
        "return": do_return,
        "log": lambda *args, **kwargs: "",
        "print": lambda *args, **kwargs: "",
        "run_query": lambda *args, **kwargs: None,
        "load_result": lambda *args, **kwargs: None,
        "statement": lambda *args, **kwargs: "",
        "fromjson": lambda text, default=None: _fromjson(text, default),
        "tojson": lambda value, default=None, sort_keys=False: json.dumps(value, sort_keys=sort_keys),
        "exceptions": {"raise_compiler_error": _raise_compiler_error, "warn": lambda *a, **k: ""},
        "modules": {"datetime": datetime, "re": re, "itertools": itertools},
        "api": {"Relation": Relation("relation")},
        "zip": zip,
    }


def _fromjson(text: str, default: Any) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return default
