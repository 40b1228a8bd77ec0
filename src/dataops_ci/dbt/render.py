"""`render_model`: one dbt model's SQL as dbt would compile it without a database, or why it cannot be.

`dbt_context` builds the same context for any Jinja environment (sql-lint hands it sqlfluff's, so
sqlfluff's templater traces the model with the project's macros and packages available).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context, Macro
from jinja2.sandbox import SandboxedEnvironment

from dataops_ci.dbt.context import Adapter, MacroReturn, Namespace, Recorder, builtins
from dataops_ci.dbt.crossdb import DbtNamespace
from dataops_ci.dbt.macros import MacroCall, MacroError, MacroRegistry
from dataops_ci.dbt.project import DbtProject, adapter_type

_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


@dataclass(frozen=True)
class Rendered:
    """A model rendered (`sql`), or not (`error`, and `macro`: the name that failed, when one did)."""

    path: str
    sql: str | None
    error: str | None = None
    macro: str | None = None
    refs: tuple[tuple[str, ...], ...] = ()
    sources: tuple[tuple[str, str], ...] = ()
    missing_vars: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.sql is not None


class _BlockMacro(Extension):
    """dbt's `{% test name(args) %}` / `{% materialization name, adapter='x' %}` blocks, as macros."""

    tags = {"test", "materialization"}

    def parse(self, parser: Parser) -> nodes.Node:
        token = next(parser.stream)
        node = nodes.Macro(lineno=token.lineno)
        name = parser.parse_assign_target(name_only=True).name
        if token.value == "test":
            parser.parse_signature(node)
        else:
            node.args, node.defaults = [], []
            while parser.stream.current.type != "block_end":
                next(parser.stream)
        node.name = f"{token.value}_{name}"
        node.body = parser.parse_statements((f"name:end{token.value}",), drop_needle=True)
        return node


class DbtEnvironment(SandboxedEnvironment):
    """Jinja as dbt runs it: `do`, test/materialization blocks, and `return()` ending the macro it is in."""

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().call(context, obj, *args, **kwargs)
        except MacroReturn as exc:
            if isinstance(obj, Macro):
                return exc.value
            raise


def environment() -> DbtEnvironment:
    return DbtEnvironment(
        keep_trailing_newline=True,
        autoescape=False,
        extensions=["jinja2.ext.do", _BlockMacro],
        undefined=StrictUndefined,
    )


def dbt_context(
    project: DbtProject,
    env: Environment,
    relpath: str,
    macro_return: type[Exception] = MacroReturn,
    adapter: str | None = None,
) -> tuple[dict[str, Any], Recorder]:
    """The context `relpath` (a model, relative to the project root) renders with in `env`."""
    recorder = Recorder()
    registry = MacroRegistry(env, project, macro_return)
    kind = adapter or adapter_type(project) or "default"
    stub = Adapter(kind, lambda name, namespace: registry.dispatch(name, namespace, kind))
    context = builtins(project, PurePosixPath(relpath).stem, stub, recorder, macro_return)
    context.update({ns: Namespace(ns, registry.lookup) for ns in registry.files if ns is not None})
    context["dbt"] = DbtNamespace(registry.find)
    context.update({name: MacroCall(registry, name, None) for name in registry.names(None)})
    registry.context = context
    return context, recorder


def render_model(project: DbtProject, relpath: str, text: str) -> Rendered:
    """Render one model's text; never raises."""
    env = environment()
    context, recorder = dbt_context(project, env, relpath)
    sql: str | None = None
    error = macro = None
    try:
        sql = env.from_string(text).render(context)
    except TemplateSyntaxError as exc:
        error = f"line {exc.lineno}: {exc.message}"
    except MacroError as exc:
        error, macro = str(exc), exc.macro
    except UndefinedError as exc:
        macro = _undefined(str(exc))
        error = (
            f"`{macro}` is not a dbt builtin, a project macro or an installed package's"
            if macro
            else str(exc)
        )
    except MacroReturn as exc:
        sql = str(exc.value)
    except Exception as exc:  # noqa: BLE001 - any rendering failure is this file's finding
        error = f"{type(exc).__name__}: {exc}"
    return Rendered(
        path=relpath,
        sql=sql,
        error=error,
        macro=macro,
        refs=tuple(recorder.refs),
        sources=tuple(recorder.sources),
        missing_vars=tuple(recorder.missing_vars),
    )


def _undefined(message: str) -> str | None:
    match = _UNDEFINED_NAME.search(message)
    return (match.group(1) or match.group(2)) if match else None
