"""The dbt package on a jaffle-shop-shaped project: project discovery, profile adapter, macros,
packages by namespace, dispatch, ref/source recording, and one failure naming the macro."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataops_ci.dbt import find_project, load_project, render_model
from dataops_ci.dbt.project import adapter_type, dialect_for
from tests.dbt_shape import FILES


@pytest.fixture
def project_root(tmp_path: Path) -> Path:
    for rel, text in FILES.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def render(root: Path, rel: str, text: str | None = None):  # noqa: ANN201
    project = find_project(root / rel)
    assert project is not None
    return render_model(project, rel, text if text is not None else (root / rel).read_text())


def test_project_is_found_from_a_model_and_read(project_root: Path) -> None:
    project = find_project(project_root / "models" / "marts" / "orders.sql", stop=project_root)
    assert project is not None and project.root == project_root
    assert (project.name, project.profile, project.vars["start_date"]) == (
        "jaffle_shop",
        "jaffle_shop",
        "2020-01-01",
    )
    assert list(project.packages()) == ["dbt_utils"]
    assert project.is_model("models/marts/orders.sql") and not project.is_model("macros/cents_to_dollars.sql")
    assert adapter_type(project, env={}) == "postgres" and dialect_for("postgres") == "postgres"


def test_no_project_above_stop(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    assert find_project(tmp_path / "sub", stop=tmp_path) is None


def test_project_macro_dispatches_on_the_profiles_adapter(project_root: Path) -> None:
    rendered = render(project_root, "models/staging/stg_orders.sql")
    assert rendered.ok, rendered.error
    assert "(subtotal::numeric(16, 2) / 100) as subtotal" in rendered.sql  # postgres__, not default__
    assert "date_trunc('day', ordered_at)" in rendered.sql
    assert rendered.sources == (("ecom", "raw_orders"),) and rendered.refs == ()


def test_default_implementation_without_a_profile(project_root: Path) -> None:
    (project_root / "profiles.yml").unlink()
    project = load_project(project_root)
    rendered = render_model(project, "models/staging/stg_orders.sql", FILES["models/staging/stg_orders.sql"])
    assert "(subtotal / 100)::numeric(16, 2) as subtotal" in (rendered.sql or "")


def test_package_macro_by_namespace_with_dbt_cross_db_macros(project_root: Path) -> None:
    rendered = render(project_root, "models/marts/orders.sql")
    assert rendered.ok, rendered.error
    assert "md5(cast(coalesce(cast(order_id as varchar)" in rendered.sql
    assert "from orders" in rendered.sql and ">= '2020-01-01'" in rendered.sql  # this, var from the project
    assert rendered.refs == (("stg_orders",),)


def test_missing_package_is_one_failure_naming_it(project_root: Path) -> None:
    rendered = render(project_root, "models/marts/broken.sql")
    assert not rendered.ok and rendered.macro == "audit_helper"
    assert "audit_helper" in (rendered.error or "")


def test_failure_inside_a_macro_names_the_macro(project_root: Path) -> None:
    text = "select {{ dbt_utils.generate_surrogate_key(7) }}\n"  # not a list: the macro's loop fails
    rendered = render(project_root, "models/marts/bad_key.sql", text)
    assert not rendered.ok and rendered.macro and "generate_surrogate_key" in rendered.macro


def test_unknown_package_macro_names_namespace_and_macro(project_root: Path) -> None:
    rendered = render(project_root, "models/marts/x.sql", "select {{ dbt_utils.no_such_macro() }}\n")
    assert not rendered.ok and rendered.macro == "dbt_utils.no_such_macro"


def test_cross_project_ref_and_missing_var_are_recorded(project_root: Path) -> None:
    text = "select * from {{ ref('other_project', 'shared') }} where x = '{{ var('undefined_var') }}'\n"
    rendered = render(project_root, "models/marts/cross.sql", text)
    assert rendered.ok and "from shared" in rendered.sql
    assert rendered.refs == (("other_project", "shared"),) and rendered.missing_vars == ("undefined_var",)


def test_return_ends_only_its_own_macro_in_the_same_file(project_root: Path) -> None:
    text = (
        "{% macro inner() %}{{ return('in') }}{% endmacro %}"
        "{% macro outer() %}{% set v = inner() %}{{ return(v ~ '-out') }}{% endmacro %}"
        "select '{{ outer() }}' as v\n"
    )
    rendered = render(project_root, "models/marts/ret.sql", text)
    assert rendered.sql == "select 'in-out' as v\n"


def test_template_syntax_error_is_a_failure_with_its_line(project_root: Path) -> None:
    rendered = render(project_root, "models/marts/syntax.sql", "select 1\n{% if %}\n")
    assert not rendered.ok and rendered.macro is None and (rendered.error or "").startswith("line 2")
