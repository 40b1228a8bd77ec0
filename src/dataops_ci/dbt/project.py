"""A dbt project as dbt_project.yml describes it: paths, vars, profile, installed packages, adapter type."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROJECT_FILE = "dbt_project.yml"
# dbt adapter type -> sqlfluff dialect
ADAPTER_DIALECTS = {
    "postgres": "postgres",
    "redshift": "redshift",
    "snowflake": "snowflake",
    "bigquery": "bigquery",
    "databricks": "databricks",
    "spark": "sparksql",
    "duckdb": "duckdb",
    "trino": "trino",
    "athena": "athena",
    "clickhouse": "clickhouse",
    "sqlserver": "tsql",
    "fabric": "tsql",
    "synapse": "tsql",
    "mysql": "mysql",
    "oracle": "oracle",
    "sqlite": "sqlite",
    "teradata": "teradata",
    "exasol": "exasol",
    "materialize": "materialize",
    "greenplum": "greenplum",
    "vertica": "vertica",
}


class DbtProjectError(ValueError):
    """dbt_project.yml cannot be read or is not a mapping."""


@dataclass(frozen=True)
class DbtProject:
    root: Path
    name: str
    profile: str | None = None
    model_paths: tuple[str, ...] = ("models",)
    macro_paths: tuple[str, ...] = ("macros",)
    packages_path: str = "dbt_packages"
    vars: Mapping[str, Any] = field(default_factory=dict)

    def packages(self) -> dict[str, DbtProject]:
        """Installed packages (`dbt_packages/*` with a dbt_project.yml), by their project name."""
        found: dict[str, DbtProject] = {}
        base = self.root / self.packages_path
        if not base.is_dir():
            return found
        for child in sorted(base.iterdir()):
            if (child / PROJECT_FILE).is_file():
                try:
                    package = load_project(child)
                except DbtProjectError:
                    continue
                found.setdefault(package.name, package)
        return found

    def macro_files(self) -> list[Path]:
        files: list[Path] = []
        for rel in self.macro_paths:
            directory = self.root / rel
            if directory.is_dir():
                files += sorted(p for p in directory.rglob("*.sql") if p.is_file())
        return files

    def is_model(self, relpath: str) -> bool:
        """True when `relpath` (relative to the project root) is under one of its model paths."""
        return _under(relpath, self.model_paths)

    def is_macro_or_package(self, relpath: str) -> bool:
        """True for a macro file or an installed package's file: SQL that is not a model to lint."""
        return _under(relpath, (*self.macro_paths, self.packages_path))


def _under(relpath: str, folders: tuple[str, ...]) -> bool:
    parts = Path(relpath).parts
    return any(parts[: len(Path(f).parts)] == Path(f).parts for f in folders)


def _paths(raw: Mapping[str, Any], key: str, default: str) -> tuple[str, ...]:
    value = raw.get(key)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.rstrip("/") for v in value) or (default,)
    return (default,)


def load_project(root: Path) -> DbtProject:
    path = root / PROJECT_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DbtProjectError(f"{path.name} cannot be read: {exc}") from exc
    if not isinstance(raw, dict):
        raise DbtProjectError(f"{path.name} is not a mapping")
    install = raw.get("packages-install-path")
    variables = raw.get("vars")
    profile = raw.get("profile")
    return DbtProject(
        root=root,
        name=str(raw.get("name") or root.name),
        profile=str(profile) if profile else None,
        model_paths=_paths(raw, "model-paths", "models"),
        macro_paths=_paths(raw, "macro-paths", "macros"),
        packages_path=str(install) if isinstance(install, str) else "dbt_packages",
        vars=variables if isinstance(variables, dict) else {},
    )


def find_project(start: Path, stop: Path | None = None) -> DbtProject | None:
    """The nearest dbt project at or above `start` (a file or folder), not looking above `stop`."""
    directory = start if start.is_dir() else start.parent
    stop = stop.resolve() if stop is not None else None
    for candidate in [directory, *directory.parents]:
        if (candidate / PROJECT_FILE).is_file():
            try:
                return load_project(candidate)
            except DbtProjectError:
                return None
        if stop is not None and candidate.resolve() == stop:
            break
    return None


def profiles_dirs(project: DbtProject, env: Mapping[str, str] | None = None) -> list[Path]:
    """Where dbt looks for profiles.yml: $DBT_PROFILES_DIR, the project folder, ~/.dbt."""
    env = os.environ if env is None else env
    dirs = [Path(env["DBT_PROFILES_DIR"])] if env.get("DBT_PROFILES_DIR") else []
    return [*dirs, project.root, Path.home() / ".dbt"]


def profile_target(project: DbtProject, env: Mapping[str, str] | None = None) -> Mapping[str, Any] | None:
    """The output the profile's default target names, from the first profiles.yml that has the profile."""
    if not project.profile:
        return None
    for directory in profiles_dirs(project, env):
        try:
            raw = yaml.safe_load((directory / "profiles.yml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        profile = raw.get(project.profile) if isinstance(raw, dict) else None
        if not isinstance(profile, dict):
            continue
        outputs = profile.get("outputs")
        target = profile.get("target")
        if not isinstance(outputs, dict) or not outputs:
            return None
        chosen = outputs.get(target) if isinstance(target, str) else None
        chosen = chosen if chosen is not None else next(iter(outputs.values()))
        return chosen if isinstance(chosen, dict) else None
    return None


def adapter_type(project: DbtProject, env: Mapping[str, str] | None = None) -> str | None:
    """The profile's adapter `type` (postgres, snowflake...), when a profiles.yml names it."""
    target = profile_target(project, env)
    kind = target.get("type") if target else None
    return kind if isinstance(kind, str) and not kind.startswith("{{") else None


def dialect_for(adapter: str | None) -> str | None:
    return ADAPTER_DIALECTS.get(adapter or "")
