"""tests.changed_only: which test modules a change selects, by static import analysis."""

from __future__ import annotations

from dataops_ci.testsuite.impacted import module_names, select_tests

SOURCES: dict[str, bytes | None] = {
    "transformations/__init__.py": b"",
    "transformations/orders.py": b"def total(q):\n    return sum(q)\n",
    "transformations/reporting.py": b"from .orders import total\n",
    "transformations/customers.py": b"import pandas\n",
    "src/pipeline/steps.py": b"",
    "tests/test_orders.py": b"from transformations.orders import total\n",
    "tests/test_reporting.py": b"from transformations import reporting\n",
    "tests/test_customers.py": b"import transformations.customers as c\nFIXTURE = 'data/customers.csv'\n",
    "tests/test_steps.py": b"from pipeline import steps\n",
}


def select(changed: list[str], sources: dict[str, bytes | None] | None = None) -> tuple[str, ...] | None:
    return select_tests(sources or SOURCES, changed, ["tests/"]).targets


def test_module_names_cover_src_layout_and_packages() -> None:
    assert module_names("src/pipeline/steps.py") == ["src.pipeline.steps", "pipeline.steps"]
    assert module_names("transformations/__init__.py") == ["transformations"]


def test_direct_and_transitive_importers_are_selected() -> None:
    # reporting imports orders relatively; test_reporting imports reporting through its package.
    assert select(["transformations/orders.py"]) == ("tests/test_orders.py", "tests/test_reporting.py")


def test_unrelated_change_selects_only_its_importers() -> None:
    assert select(["transformations/customers.py"]) == ("tests/test_customers.py",)
    assert select(["src/pipeline/steps.py"]) == ("tests/test_steps.py",)


def test_data_file_named_by_a_test_selects_it() -> None:
    assert select(["data/customers.csv"]) == ("tests/test_customers.py",)


def test_changed_test_module_selects_itself() -> None:
    assert select(["tests/test_orders.py"]) == ("tests/test_orders.py",)


def test_nothing_affected_selects_nothing() -> None:
    assert select(["models/x.sql", "README.md"]) == ()


def test_unsure_cases_fall_back_to_everything() -> None:
    assert select(["tests/conftest.py"]) is None
    assert select(["pyproject.toml"]) is None
    dynamic = {**SOURCES, "tests/test_dyn.py": b"import importlib\nm = importlib.import_module('x')\n"}
    assert select(["transformations/orders.py"], dynamic) is None
    broken = {**SOURCES, "tests/test_broken.py": b"def oops(:\n"}
    result = select_tests(broken, ["transformations/orders.py"], ["tests/"])
    assert result.targets is None and "tests/test_broken.py" in result.reason
