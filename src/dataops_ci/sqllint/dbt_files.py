"""Which dbt project each SQL file belongs to, the dialect its profile implies, and the digest of what
renders it (macros, packages, project and profile files) for the lint cache. Stdlib + PyYAML: no sqlfluff,
no Jinja, so a warm run stays cheap."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from dataops_ci.dbt.project import DbtProject, adapter_type, dialect_for, find_project, profiles_dirs


class DbtFiles:
    """Projects by folder, found once per run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._by_dir: dict[Path, DbtProject | None] = {}
        self._digests: dict[Path, str] = {}

    def project(self, rel_path: str) -> DbtProject | None:
        directory = (self.root / rel_path).parent
        if directory not in self._by_dir:
            self._by_dir[directory] = find_project(directory, stop=self.root)
        return self._by_dir[directory]

    def not_a_model(self, rel_path: str) -> bool:
        """A macro or installed-package file of a dbt project: dbt never runs it as a model."""
        project = self.project(rel_path)
        if project is None:
            return False
        inside = (self.root / rel_path).relative_to(project.root).as_posix()
        return project.is_macro_or_package(inside)

    def dialect(self, project: DbtProject) -> str | None:
        """The sqlfluff dialect of the profile's adapter type, when profiles.yml can be read."""
        return dialect_for(adapter_type(project))

    def digest(self, project: DbtProject) -> str:
        if project.root not in self._digests:
            self._digests[project.root] = _digest(project)
        return self._digests[project.root]


def _digest(project: DbtProject) -> str:
    digest = hashlib.sha256()
    files = [project.root / "dbt_project.yml", *project.macro_files()]
    files += [d / "profiles.yml" for d in profiles_dirs(project)]
    for package in project.packages().values():
        files += [package.root / "dbt_project.yml", *package.macro_files()]
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        name = path.relative_to(project.root) if path.is_relative_to(project.root) else path
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    for module in ("dbt", "sqlfluff_templater_dbt"):
        digest.update(f"{module}={importlib.util.find_spec(module) is not None}".encode())
    return digest.hexdigest()
