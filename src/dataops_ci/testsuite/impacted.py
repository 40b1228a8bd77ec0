"""`tests.changed_only`: which test modules a change can affect, by static import analysis (ast).

A test module is selected when it changed itself, when it imports (directly or through other modules of
the repository) a changed Python module, or when it names a changed non-Python file in a string literal
(fixture data). Anything that defeats static analysis — a changed conftest.py or pytest/packaging config,
a test module that does not parse or imports dynamically — means "unsure" and every test runs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from dataops_ci.git import matches_any
from dataops_ci.words import plural

UNSURE_NAMES = ("conftest.py", "pyproject.toml", "setup.cfg", "setup.py", "pytest.ini", "tox.ini")
DYNAMIC_IMPORTS = ("import_module", "__import__")


@dataclass(frozen=True)
class Selection:
    targets: tuple[str, ...] | None  # None: run every test
    reason: str


@dataclass(frozen=True)
class ModuleInfo:
    imports: frozenset[str]
    strings: frozenset[str]
    dynamic: bool


def module_names(path: str) -> list[str]:
    """Dotted names a file can be imported as: from the repo root, and from under src/."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    names = [".".join(parts)] if parts else []
    if len(parts) > 1 and parts[0] == "src":
        names.append(".".join(parts[1:]))
    return names


def is_test_module(path: str, test_paths: Sequence[str]) -> bool:
    name = PurePosixPath(path).name
    in_tests = matches_any(path, test_paths) or any(path.startswith(p.rstrip("/") + "/") for p in test_paths)
    return in_tests and name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


def analyse(path: str, source: bytes) -> ModuleInfo | None:
    """Imports (absolute dotted names), string literals and dynamic-import use; None if unparsable."""
    try:
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError):
        return None
    package = module_names(path)[0].rsplit(".", 1)[0] if "/" in path else ""
    imports: set[str] = set()
    strings: set[str] = set()
    dynamic = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(node, package)
            imports.add(base)
            imports.update(f"{base}.{alias.name}" if base else alias.name for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.add(node.value)
        elif isinstance(node, ast.Attribute | ast.Name):
            dynamic = (
                dynamic or (node.attr if isinstance(node, ast.Attribute) else node.id) in DYNAMIC_IMPORTS
            )
    return ModuleInfo(frozenset(imports), frozenset(strings), dynamic)


def _resolve_from(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".") if package else []
    parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
    return ".".join([*parts, *([node.module] if node.module else [])])


def _hits(imports: Iterable[str], affected: set[str]) -> bool:
    return any(name == a or name.startswith(a + ".") for name in imports for a in affected)


def select_tests(
    sources: Mapping[str, bytes | None], changed: Sequence[str], test_paths: Sequence[str]
) -> Selection:
    """`sources`: every .py file of the repository at head; `changed`: every path the change touched."""
    for path in changed:
        name = PurePosixPath(path).name
        if name in UNSURE_NAMES or name.startswith("requirements"):
            return Selection(None, f"{path} changed")
    infos = {p: analyse(p, s) for p, s in sources.items() if s is not None}
    tests = sorted(p for p in infos if is_test_module(p, test_paths))
    for path in tests:
        info = infos[path]
        if info is None or info.dynamic:
            return Selection(None, f"{path} cannot be analysed statically")
    affected = _affected_modules(infos, [p for p in changed if p.endswith(".py")])
    data_files = [p for p in changed if not p.endswith(".py")]
    selected = [p for p in tests if p in changed or _selects(infos[p], affected, data_files)]
    if not selected:
        return Selection((), "no test module imports a changed module")
    return Selection(tuple(selected), f"{len(selected)} of {plural(len(tests), 'test module')} affected")


def _affected_modules(infos: Mapping[str, ModuleInfo | None], changed_py: Sequence[str]) -> set[str]:
    """Changed modules, then every repository module importing one of them, to a fixed point."""
    affected = {name for path in changed_py for name in module_names(path)}
    grew = True
    while grew:
        grew = False
        for path, info in infos.items():
            names = module_names(path)
            if info is not None and not affected.issuperset(names) and _hits(info.imports, affected):
                affected.update(names)
                grew = True
    return affected


def _selects(info: ModuleInfo | None, affected: set[str], data_files: Sequence[str]) -> bool:
    if info is None:
        return True
    if _hits(info.imports, affected):
        return True
    return any(f in s or PurePosixPath(f).name == s for f in data_files for s in info.strings)
