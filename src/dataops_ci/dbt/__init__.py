"""dbt projects without dbt: find a project (`project`: dbt_project.yml, its paths, vars, profile and
installed packages) and render its models with the Jinja context dbt would give them (`context`: ref,
source, config, var, is_incremental, this, adapter stubs; `macros`: the project's and packages' macros,
packages by namespace such as `dbt_utils.star`), through `render.render_model`.

Used by sql-lint (the Jinja templater's context when dbt itself cannot run) and by lineage (what a model
ref()s and source()s). An engine package: imports foundations only. Needs Jinja2 (the `dbt` extra; sqlfluff
brings it too); never imports dbt itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dataops_ci.dbt.project import DbtProject, find_project, load_project

if TYPE_CHECKING:
    from dataops_ci.dbt.render import Rendered, render_model

__all__ = ["DbtProject", "Rendered", "find_project", "load_project", "render_model"]


def __getattr__(name: str) -> Any:
    """`Rendered` and `render_model` import Jinja2 on first use, so finding a project stays cheap."""
    if name in ("Rendered", "render_model"):
        from dataops_ci.dbt import render

        return getattr(render, name)
    raise AttributeError(name)
