"""The package's layering (DESIGN.md, and `dataops_ci/__init__.py`): every import in src/ walked with ast.

A module may import its own layer and the layers below it. Within a layer, the pairs in FORBIDDEN_PEERS stay
apart (checks never render, renderers never check). The avro engine is pure. No import cycle, counting
imports inside functions too, and no module over 300 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "dataops_ci"

# First component under dataops_ci -> layer (1 is the top).
LAYERS = {
    "cli": 1, "__main__": 1, "commands": 1, "testing": 1,
    "runner": 2, "github": 2, "publish": 2,
    "checks": 3, "render": 3,
    "avro": 4, "expectations": 4, "pipelines": 4, "contracts": 4, "sqllint": 4, "testsuite": 4, "lineage": 4,
    "dbt": 4,
    "report": 5, "config": 5, "context": 5, "git": 5, "located_yaml": 5, "json_lines": 5, "limits": 5,
    "__init__": 5,
    "words": 5,
}  # fmt: skip
FORBIDDEN_PEERS = {("checks", "render"), ("render", "checks"), ("runner", "github")}
# The package's public face may re-export, lazily (inside __getattr__), the one API meant for users' code.
FACADE = {("dataops_ci", "dataops_ci.publish"), ("dataops_ci", "dataops_ci.publish.api")}
MAX_LINES = 300


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every `import` and `from ... import` of dataops_ci, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("dataops_ci")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dataops_ci"):
            found.append((node.lineno, node.module))
            # `from dataops_ci.x import y` may name a submodule y: count it as importing x.y.
            found += [
                (node.lineno, f"{node.module}.{a.name}")
                for a in node.names
                if _is_module(node.module, a.name)
            ]
    return found


def _is_module(package: str, name: str) -> bool:
    base = PACKAGE.parent.joinpath(*package.split("."))
    return (base / f"{name}.py").exists() or (base / name / "__init__.py").exists()


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_area_has_a_layer() -> None:
    areas = {_area(_module_name(p)) for p in SOURCES}
    assert areas <= set(LAYERS), f"give these a layer in LAYERS: {sorted(areas - set(LAYERS))}"


def test_no_import_goes_up_a_layer_or_across_forbidden_peers() -> None:
    bad = []
    for path in SOURCES:
        here = _area(_module_name(path))
        for line, target in _imports(path):
            there = _area(target)
            if (_module_name(path), target) in FACADE:
                continue
            if LAYERS[there] < LAYERS[here] or (here, there) in FORBIDDEN_PEERS:
                bad.append(f"{path.relative_to(PACKAGE)}:{line} ({here}, layer {LAYERS[here]}) imports "
                           f"{target} ({there}, layer {LAYERS[there]})")  # fmt: skip
    assert not bad, "\n".join(bad)


def test_the_avro_engine_is_pure() -> None:
    bad = [
        f"{path.relative_to(PACKAGE)}:{line} imports {target}"
        for path in sorted((PACKAGE / "avro").rglob("*.py"))
        for line, target in _imports(path)
        # words, json_lines: standard library only, no I/O
        if not target.startswith(("dataops_ci.avro", "dataops_ci.words", "dataops_ci.json_lines"))
    ]
    assert not bad, "\n".join(bad)


def test_no_import_cycle() -> None:
    modules = {_module_name(p): p for p in SOURCES}
    graph = {
        name: {t for _, t in _imports(path) if t in modules and t != name} for name, path in modules.items()
    }
    # A package's __init__ importing its own submodules is a facade, not a cycle.
    for name, targets in graph.items():
        graph[name] = {
            t for t in targets if not (t.startswith(name + ".") and modules[name].name == "__init__.py")
        }
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    seen: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        if node in stack:
            cycles.append(stack[stack.index(node) :] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        for target in sorted(graph[node]):
            visit(target, [*stack, node])

    for node in sorted(graph):
        visit(node, [])
    return cycles


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines; split it by concern"


def test_top_level_holds_at_most_ten_modules_and_every_package_says_what_it_holds() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 10, top
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc.lower(), (
            f"{init.relative_to(PACKAGE)}: say what lives here and what it may import"
        )
