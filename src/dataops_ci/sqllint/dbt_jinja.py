"""sqlfluff's Jinja templater with dbt's context: the project's macros, installed packages by namespace
(`dbt_utils.star`), ref/source/config/var/this and `adapter.dispatch` (from `dataops_ci.dbt`).

Used for files of a dbt project when sqlfluff's dbt templater cannot run (dbt or its templater plugin not
installed, or no readable profile). Being sqlfluff's own Jinja templater underneath, everything else is
unchanged: slicing, the user's `[sqlfluff:templater:jinja]` settings (context, macros, library_path), and
so the violations on any file that plain sqlfluff also renders.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment
from sqlfluff.core import FluffConfig
from sqlfluff.core.plugin import hookimpl
from sqlfluff.core.plugin.host import get_plugin_manager
from sqlfluff.core.templaters import JinjaTemplater
from sqlfluff.core.templaters.builtins.dbt import MacroReturn

from dataops_ci.dbt.project import DbtProject, find_project, load_project, profile_target
from dataops_ci.dbt.render import dbt_context

NAME = "dataops-ci-dbt-jinja"


class DbtJinjaTemplater(JinjaTemplater):
    name = NAME

    def _get_env_context(
        self, fname: str | None, config: FluffConfig | None, env: Environment
    ) -> dict[str, Any]:
        context = super()._get_env_context(fname, config, env)
        project = project_of(fname) if fname else None
        if project is None:
            return context
        own = set(self.get_context(fname, config))  # the user's [sqlfluff:templater:jinja:context]
        relpath = Path(fname or "").resolve().relative_to(project.root.resolve()).as_posix()
        names, _ = dbt_context(project, env, relpath, macro_return=MacroReturn)
        context.update({k: v for k, v in names.items() if k not in own})
        return context


@lru_cache(maxsize=256)
def _project_for_dir(directory: str) -> DbtProject | None:
    return find_project(Path(directory))


def project_of(fname: str) -> DbtProject | None:
    return _project_for_dir(str(Path(fname).resolve().parent))


class _Plugin:
    @staticmethod
    @hookimpl
    def get_templaters() -> list[type[JinjaTemplater]]:
        return [DbtJinjaTemplater]


def register() -> None:
    """Make the templater available to FluffConfig by NAME (once per process)."""
    manager = get_plugin_manager()
    if not manager.is_registered(_PLUGIN):
        manager.register(_PLUGIN, name=NAME)


_PLUGIN = _Plugin()


def dbt_templater_usable(dbt_root: str) -> str | None:
    """None when sqlfluff's dbt templater can run for this project; else why it cannot."""
    if importlib.util.find_spec("sqlfluff_templater_dbt") is None:
        return "sqlfluff-templater-dbt is not installed"
    if importlib.util.find_spec("dbt") is None:
        return "dbt is not installed"
    try:
        target = profile_target(load_project(Path(dbt_root)))
    except ValueError:
        target = None
    return None if target is not None else "the dbt profile cannot be read"


def reset() -> None:
    _project_for_dir.cache_clear()
