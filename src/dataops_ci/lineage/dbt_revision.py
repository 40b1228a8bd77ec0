"""The dbt projects of one revision, where the renderer reads them: on disk.

The working tree's projects are read where they are. A commit's (a pull request's base) are written to a
temp folder first: dbt_project.yml and every macro file as of that commit, so the base graph renders its
models with the base's macros. Otherwise a PR that changes a macro would render both sides with the new one,
and the blast radius would miss every column the macro changes. Installed packages (`dbt_packages/`, never
committed) exist only in the checkout: the temp project links to them, the same packages on both sides.
"""

from __future__ import annotations

import posixpath
import tempfile
from contextlib import ExitStack
from pathlib import Path, PurePosixPath
from typing import Any

from dataops_ci.git import GitRepo, inside_repo
from dataops_ci.git.materialise import materialise


def dbt_projects(
    repo: GitRepo, rev: str | None, project_files: list[str], scratch: ExitStack
) -> dict[str, Any]:
    """Folder of each dbt_project.yml -> its DbtProject; a commit's written below a temp folder that lives
    as long as `scratch`."""
    from dataops_ci.dbt import load_project
    from dataops_ci.dbt.project import DbtProjectError

    root = repo.root
    if rev is not None and project_files:
        root = Path(scratch.enter_context(tempfile.TemporaryDirectory(prefix="dataops-ci-dbt-")))
    found: dict[str, Any] = {}
    for path in project_files:
        folder = str(PurePosixPath(path).parent)
        try:
            if rev is not None:
                materialise(repo, rev, [path], root)
            project = load_project(root / folder)
            if rev is not None:
                _write_macros(repo, rev, folder, project, root)
            found[folder] = project
        except (DbtProjectError, OSError):
            continue
    return found


def _write_macros(repo: GitRepo, rev: str, folder: str, project: Any, root: Path) -> None:
    inside = [_inside(folder, p) for p in project.macro_paths]
    materialise(repo, rev, [p for p in inside if p is not None], root)
    packages = _inside(folder, project.packages_path)
    if packages is None or not inside_repo(repo.root, packages) or not (repo.root / packages).is_dir():
        return  # no installed packages, or a link out of the repository: not followed
    if (root / packages).exists():
        return
    (root / packages).parent.mkdir(parents=True, exist_ok=True)
    (root / packages).symlink_to((repo.root / packages).resolve(), target_is_directory=True)


def _inside(folder: str, relative: str) -> str | None:
    """`relative` (a path dbt_project.yml names) as a repository path, if it stays inside the project."""
    joined = posixpath.normpath(posixpath.join(folder, relative))
    project = posixpath.normpath(folder)
    if joined.startswith("../") or joined == ".." or posixpath.isabs(joined):
        return None
    if project != "." and not (joined == project or joined.startswith(project + "/")):
        return None
    return joined
