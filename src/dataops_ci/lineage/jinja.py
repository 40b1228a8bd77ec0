"""dbt-style Jinja of a SQL model rendered to plain SQL, recording its `ref()` and `source()` calls.

The one place templating happens (`render_model`). In a dbt project (a `dbt_project.yml` above the model,
in the checkout) the dbt package renders it as dbt would (`dataops_ci.dbt.render_model`: the project's
macros, installed packages, `adapter.dispatch`, cross-database macros). Elsewhere the context is dbt's,
without a warehouse: `ref('m')` -> `m`, `source('s', 't')` -> `s.t`,
`config()`/`log()` -> nothing, `var('x', default)` -> the default, `env_var` likewise, `is_incremental()`
-> false, `this` -> the model's name; the project's macros (`macros/**/*.sql`) are callable by name.
Rendering runs in Jinja's sandbox: a model cannot reach Python objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Rendered:
    sql: str
    refs: list[str] = field(default_factory=list)  # model names
    sources: list[str] = field(default_factory=list)  # "source.table"
    error: str | None = None


def has_jinja(text: str) -> bool:
    return "{{" in text or "{%" in text


def render_model(
    name: str,
    text: str,
    macros: Mapping[str, str] | None = None,
    context: Mapping[str, Any] | None = None,
    dbt: tuple[Any, str] | None = None,
) -> Rendered:
    """`text` (the model `name`) as SQL; an error (undefined macro, syntax) is reported, not raised.
    `context`: the variables sql-lint's sqlfluff templater is given (`[sqlfluff:templater:jinja:context]`);
    `dbt`: (the DbtProject, the model's path in it) when the model belongs to a dbt project."""
    if not has_jinja(text):
        return Rendered(text)
    if dbt is not None:
        return _render_dbt(dbt[0], dbt[1], text)
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    rendered = Rendered("")
    env = SandboxedEnvironment(undefined=jinja2.ChainableUndefined, keep_trailing_newline=True)
    env.globals.update(dict(context or {}))
    env.globals.update(_context(name, rendered))
    try:
        for _path, macro_text in sorted((macros or {}).items()):
            module = env.from_string(macro_text).make_module(vars=dict(env.globals))
            env.globals.update(_macros_of(module))
        rendered.sql = env.from_string(text).render()
    except jinja2.TemplateError as exc:
        rendered.error = f"cannot render the Jinja template: {type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - a model's template must never crash the graph
        rendered.error = f"cannot render the Jinja template: {type(exc).__name__}: {exc}"
    return rendered


def _render_dbt(project: Any, relpath: str, text: str) -> Rendered:
    import re

    from dataops_ci.dbt import render_model as dbt_render

    done = dbt_render(project, relpath, text)
    if done.sql is None:
        return Rendered("", error=f"cannot render the Jinja template: {done.error}")
    sql = done.sql
    # dbt's renderer names a source's relation `source_table`; the graph knows it as `source.table`.
    for source, table in done.sources:
        sql = re.sub(
            rf"(?<![\w.\"]){re.escape(source)}_{re.escape(table)}(?![\w\"])", f"{source}.{table}", sql
        )
    return Rendered(sql, [ref[-1] for ref in done.refs if ref], [f"{s}.{t}" for s, t in done.sources])


def _macros_of(module: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(module).items() if not k.startswith("_") and callable(v)}


def _context(name: str, rendered: Rendered) -> dict[str, Any]:
    def ref(*args: Any, **kwargs: Any) -> str:
        model = str(args[-1] if args else kwargs.get("name", ""))
        rendered.refs.append(model)
        return model

    def source(source_name: Any, table: Any) -> str:
        full = f"{source_name}.{table}"
        rendered.sources.append(full)
        return full

    def nothing(*_: Any, **__: Any) -> str:
        return ""

    def var(key: Any, default: Any = None) -> Any:
        return default if default is not None else key

    def env_var(key: Any, default: Any = "") -> Any:
        return default

    return {
        "ref": ref,
        "source": source,
        "config": nothing,
        "log": nothing,
        "var": var,
        "env_var": env_var,
        "is_incremental": lambda: False,
        "this": name,
        "target": {"name": "dev", "schema": "dev", "type": "postgres"},
        "execute": False,
    }


def line_map(original: str, rendered: str) -> list[int]:
    """For each line of `rendered` (0-based index), the 1-based line of `original` it came from: the next
    original line with the same text, else the last one matched (templating only drops or fills lines)."""
    source = [line.strip() for line in original.splitlines()]
    out: list[int] = []
    at = 0
    for line in rendered.splitlines():
        text = line.strip()
        found = next((i for i in range(at, len(source)) if text and source[i] == text), None)
        if found is not None:
            at = found
        out.append(min(at, max(len(source) - 1, 0)) + 1)
        if found is not None:
            at = found + 1
    return out


CONTEXT_SECTION = "sqlfluff:templater:jinja:context"


def sqlfluff_context(configs: Mapping[str, str], model_path: str) -> dict[str, str]:
    """The Jinja variables the `.sqlfluff` files above `model_path` give it (nearer files win), as sqlfluff
    itself reads them for sql-lint."""
    import configparser
    from pathlib import PurePosixPath

    context: dict[str, str] = {}
    folders = [str(p) for p in reversed(PurePosixPath(model_path).parents)]
    for folder in folders:
        text = configs.get(".sqlfluff" if folder == "." else f"{folder}/.sqlfluff")
        if text is None:
            continue
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text)
        except configparser.Error:
            continue
        if parser.has_section(CONTEXT_SECTION):
            context.update(parser.items(CONTEXT_SECTION))
    return context
