"""GX 1.x File Data Contexts found in a repository as it is (no dataops-ci config needed), without GX.

A context is a folder holding `great_expectations.yml` (usually `gx/`, also `great_expectations/`) with
`config_version: 4` or more (GX 1.x; 0.x wrote 3). Its `expectations/`, `validation_definitions/` and
`checkpoints/` folders are what GX itself reads. Reading the YAML here (not GX) keeps discovery cheap: the
filesystem data sources' `base_directory` says which data a run needs and which changes touch the project.
GX resolves a relative `base_directory` against the folder it is started in, the project root (the
context folder's parent), so that is where these paths are anchored too.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field

import yaml

from dataops_ci.git import GitRepo
from dataops_ci.git.paths import link_target

CONFIG_FILE = "great_expectations.yml"
MIN_CONFIG_VERSION = 4.0
_ENV_REF = re.compile(r"\$\{(\w+)\}")
_SQLITE = re.compile(r"^sqlite(?:\+\w+)?:///(?P<path>[^?]+)")


@dataclass(frozen=True)
class GxProject:
    directory: str  # the context folder, a repository path ("gx", "analytics/great_expectations")
    config_version: float | None
    data_dirs: tuple[str, ...] = ()  # repository paths the filesystem data sources read
    outside: tuple[tuple[str, str], ...] = ()  # (data source, base_directory) leaving the repository
    problem: str | None = None  # great_expectations.yml cannot be read (YAML error, not a mapping)
    files: tuple[str, ...] = field(default=(), compare=False)  # every file of the context folder

    @property
    def root(self) -> str:
        """The project root GX runs from: the context folder's parent ('' for the repository root)."""
        return posixpath.dirname(self.directory)

    @property
    def legacy(self) -> bool:
        return self.config_version is not None and self.config_version < MIN_CONFIG_VERSION

    def store_files(self, store: str) -> list[str]:
        """JSON files of one store folder (expectations, validation_definitions, checkpoints)."""
        prefix = f"{self.directory}/{store}/"
        return sorted(p for p in self.files if p.startswith(prefix) and p.endswith(".json"))

    def touched_by(self, changed: set[str]) -> bool:
        if "" in self.data_dirs:
            return bool(changed)
        prefixes = [self.directory + "/", *(d.rstrip("/") + "/" for d in self.data_dirs)]
        return any(c.startswith(p) or c in self.data_dirs for c in changed for p in prefixes)


def find_projects(repo: GitRepo, rev: str | None, files: list[str] | None = None) -> list[GxProject]:
    """Every GX context of the tree at `rev` (None: the working tree). `files`: the tree's file list,
    when the caller has it already."""
    candidates = files if files is not None else _config_candidates(repo, rev)
    configs = [p for p in candidates if posixpath.basename(p) == CONFIG_FILE and "/uncommitted/" not in p]
    if not configs:
        return []
    tree = files if files is not None else repo.list_files(rev)
    contents = repo.read_files(rev, configs)
    return [_project(path, contents.get(path), tree) for path in configs]


def _config_candidates(repo: GitRepo, rev: str | None) -> list[str]:
    """Paths named great_expectations.yml; in the working tree through a pathspec, so that git does not
    list (and we do not stat) every file of a large repository that has no GX project."""
    if rev is not None:
        return repo.list_files(rev)
    spec = f":(glob)**/{CONFIG_FILE}"
    out = repo.git("ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", spec)
    return [p for p in out.split("\0") if p and os.path.lexists(repo.root / p)]


def _project(config_path: str, content: bytes | None, tree: list[str]) -> GxProject:
    directory = posixpath.dirname(config_path)
    prefix = f"{directory}/" if directory else ""
    files = tuple(p for p in tree if p.startswith(prefix) and not p[len(prefix) :].startswith("uncommitted/"))
    try:
        raw = yaml.safe_load(content or b"")
    except (yaml.YAMLError, RecursionError) as exc:
        return GxProject(directory, None, problem=f"not valid YAML: {exc}".splitlines()[0], files=files)
    if not isinstance(raw, dict):
        return GxProject(directory, None, problem="not a YAML mapping", files=files)
    version = _version(raw.get("config_version"))
    data_dirs, outside = _data_locations(posixpath.dirname(directory), raw.get("fluent_datasources"))
    return GxProject(directory, version, tuple(data_dirs), tuple(outside), files=files)


def _version(value: object) -> float | None:
    try:
        return float(value) if isinstance(value, int | float | str) else None
    except ValueError:
        return None


def _data_locations(root: str, sources: object) -> tuple[list[str], list[tuple[str, str]]]:
    """Repository paths of the data each data source reads (filesystem base directories, SQLite files),
    and those that leave the repository."""
    inside: list[str] = []
    outside: list[tuple[str, str]] = []
    for name, source in (sources or {}).items() if isinstance(sources, dict) else []:
        if not isinstance(source, dict):
            continue
        location = _location(source)
        if location is not None and "${" in location:  # GX substitutes ${VAR} from the environment too
            location = _ENV_REF.sub(lambda m: os.environ.get(m.group(1), m.group(0)), location)
        if location is None or "${" in location:
            continue  # not a file, or a variable not set here (GX says so when it loads the project)
        resolved = link_target(posixpath.join(root, "_") if root else "_", location)
        if resolved is None:
            outside.append((str(name), location))
        elif (resolved if resolved != "." else "") not in inside:
            inside.append(resolved if resolved != "." else "")  # "": the whole repository
    return inside, outside


def _location(source: dict[str, object]) -> str | None:
    base = source.get("base_directory")
    if isinstance(base, str) and str(source.get("type", "")).endswith("_filesystem"):
        return base.rstrip("/") or "."
    url = source.get("connection_string")
    if isinstance(url, str) and "${" in url:
        url = _ENV_REF.sub(lambda m: os.environ.get(m.group(1), m.group(0)), url)
    match = _SQLITE.match(url) if isinstance(url, str) else None
    return match.group("path") if match else None
