"""Macros of a dbt project and its installed packages, compiled when first called.

The root project's macros are plain names (`cents_to_dollars(...)`); a package's are under its name
(`dbt_utils.star(...)`) and plain names inside that package. Files are indexed by a scan for
`{% macro name(` and compiled on first use, so a package of a hundred macro files costs only the ones a
model calls. A failing call names the macro (`MacroError`).
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError

from dataops_ci.dbt.crossdb import CROSS_DB
from dataops_ci.dbt.project import DbtProject

_MACRO_DEF = re.compile(r"{%-?\s*macro\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(")


class MacroError(TemplateError):
    """A macro failed (or a name a model called is not a macro): `macro` names it. A Jinja error, so
    templaters that report Jinja errors (sqlfluff's) report this one with its macro."""

    def __init__(self, macro: str, message: str) -> None:
        super().__init__(f"macro `{macro}`: {message}")
        self.macro = macro


class MacroCall:
    """A late-bound macro: looked up, compiled and called when the template calls it."""

    unsafe_callable = False
    alters_data = False

    def __init__(self, registry: MacroRegistry, name: str, namespace: str | None) -> None:
        self.registry = registry
        self.name = name
        self.namespace = namespace

    @property
    def qualified(self) -> str:
        return f"{self.namespace}.{self.name}" if self.namespace else self.name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        macro = self.registry.compiled(self.name, self.namespace)
        try:
            return macro(*args, **kwargs)
        except self.registry.macro_return as exc:
            return getattr(exc, "value", None)
        except MacroError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure inside a macro is that macro's
            raise MacroError(self.qualified, f"{type(exc).__name__}: {exc}") from exc


class MacroRegistry:
    """Index of macro name -> file per namespace (None: the root project)."""

    def __init__(self, env: Environment, project: DbtProject, macro_return: type[Exception]) -> None:
        self.env = env
        self.macro_return = macro_return
        self.context: dict[str, Any] = {}
        self.files: dict[str | None, dict[str, Path]] = {None: _index(project.macro_files())}
        for name, package in project.packages().items():
            self.files[name] = _index(package.macro_files())
        self._modules: dict[tuple[str | None, Path], Any] = {}

    def names(self, namespace: str | None = None) -> list[str]:
        return sorted(self.files.get(namespace, {}))

    def has(self, name: str, namespace: str | None = None) -> bool:
        return name in self.files.get(namespace, {})

    def call(self, name: str, namespace: str | None = None) -> MacroCall:
        if not self.has(name, namespace):
            where = f"package `{namespace}`" if namespace else "the project's macros"
            raise MacroError(f"{namespace}.{name}" if namespace else name, f"no macro `{name}` in {where}")
        return MacroCall(self, name, namespace)

    def lookup(self, name: str, namespace: str | None) -> MacroCall:
        return self.call(name, namespace)

    def find(self, name: str) -> MacroCall | None:
        """A root-project macro `name` (an override of dbt's own), else None."""
        return MacroCall(self, name, None) if self.has(name) else None

    def dispatch(self, name: str, namespace: str | None, adapter_type: str) -> Callable[..., Any]:
        """dbt's search: the root project, then the namespace; `<adapter>__name`, then `default__name`."""
        spaces: list[str | None] = [None] if namespace is None else [None, namespace]
        for prefix in (adapter_type, "default"):
            for space in spaces:
                if self.has(f"{prefix}__{name}", space):
                    return MacroCall(self, f"{prefix}__{name}", space)
        for space in spaces:
            if self.has(name, space):
                return MacroCall(self, name, space)
        if namespace == "dbt" and name in CROSS_DB:
            return CROSS_DB[name]
        qualified = f"{namespace}.{name}" if namespace else name
        raise MacroError(qualified, f"adapter.dispatch found no implementation of `{qualified}`")

    def compiled(self, name: str, namespace: str | None) -> Callable[..., Any]:
        path = self.files[namespace][name]
        key = (namespace, path)
        if key not in self._modules:
            self._modules[key] = self._compile(path, namespace)
        macro: Callable[..., Any] = getattr(self._modules[key], name)
        return macro

    def _compile(self, path: Path, namespace: str | None) -> Any:
        try:
            template = self.env.from_string(path.read_text(encoding="utf-8"))
        except Exception as exc:  # noqa: BLE001 - a macro file that does not parse
            where = f"{namespace}:" if namespace else ""
            raise MacroError(
                f"{where}{path.name}", f"macro file {path.name} cannot be parsed: {exc}"
            ) from exc
        # shared: the module resolves names in the live context, so `this` is the model being rendered.
        return template.make_module(vars=self.scope(namespace), shared=True)  # type: ignore[arg-type]

    def scope(self, namespace: str | None) -> Mapping[str, Any]:
        """The names a macro of `namespace` sees: its own package's macros, the context, Jinja's globals."""
        own = {n: MacroCall(self, n, namespace) for n in self.names(namespace)} if namespace else {}
        return ChainMap(own, self.context, self.env.globals)


def _index(files: list[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for name in _MACRO_DEF.findall(text):
            found.setdefault(name, path)
    return found
