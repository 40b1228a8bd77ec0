"""Which configured suites a change touches, and the files of a revision materialised on disk.

Cheap on purpose (`expectations.applies` calls it): path comparisons, plus reading a few small pipeline
YAML files only when a pipeline or a schema changed.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from dataops_ci.config import SuiteEntry
from dataops_ci.context import CheckContext
from dataops_ci.expectations.engines import as_source, local_paths
from dataops_ci.expectations.gx_project import GxProject, find_projects
from dataops_ci.git import GitRepo, matches_any

STREAM_ABOVE_BYTES = 8 << 20


def data_paths(entry: SuiteEntry) -> list[str]:
    return local_paths(as_source(entry.data))


def touches(path: str, changed: set[str]) -> bool:
    """A changed path is this file, or inside this directory."""
    prefix = path.rstrip("/") + "/"
    return any(c == path or c.startswith(prefix) for c in changed)


def select_entries(ctx: CheckContext) -> list[SuiteEntry]:
    """The suites to run: all (--all-files or a changed config), or those whose suite file, data, a
    pipeline over their data, or a schema their data is bound to (through a pipeline) changed."""
    suites = list(ctx.config.expectations.suites)
    if ctx.all_files:
        return suites
    changed = set(ctx.files) if ctx.files is not None else ctx.changed_paths()
    config_file = (ctx.config.source or "").split(" ", 1)[0]  # "pyproject.toml [tool.dataops-ci]"
    if config_file in changed:
        return suites
    bound = _data_bound_to_changes(ctx, changed)
    return [
        e
        for e in suites
        if e.suite in changed or any(touches(p, changed) or p in bound for p in data_paths(e))
    ]


def select_projects(ctx: CheckContext) -> list[GxProject]:
    """The GX 1.x projects (File Data Contexts) of the head tree to run: all of them with --all-files or
    a changed config, else those whose folder or data (filesystem base directories, mapped dataframe
    assets) the change touches."""
    projects = find_projects(ctx.repo, ctx.head)
    if ctx.all_files or not projects:
        return projects
    changed = set(ctx.files) if ctx.files is not None else ctx.changed_paths()
    config_file = (ctx.config.source or "").split(" ", 1)[0]
    assets = {p for a in ctx.config.expectations.assets.values() for p in local_paths(as_source(a))}
    if config_file in changed or any(touches(p, changed) for p in assets):
        return projects
    return [p for p in projects if p.touched_by(changed)]


def _data_bound_to_changes(ctx: CheckContext, changed: set[str]) -> set[str]:
    """Data paths of pipelines that changed, or whose dataset schema changed."""
    patterns = ctx.config.pipelines.paths
    changed_pipelines = [p for p in changed if matches_any(p, patterns)]
    changed_schemas = {p for p in changed if p.endswith(".avsc")}
    if not changed_pipelines and not changed_schemas:
        return set()
    candidates = ctx.repo.list_files(ctx.head, patterns) if changed_schemas else changed_pipelines
    sizes = ctx.repo.sizes(ctx.head, sorted(set(candidates)))
    # Over the cap: not read here either (the pipelines check reports it).
    readable = sorted(p for p, size in sizes.items() if size <= ctx.config.pipelines.max_file_bytes)
    bound: set[str] = set()
    for path, content in ctx.repo.read_files(ctx.head, readable).items():
        data, schema = _dataset_of(content)
        if data and (path in changed_pipelines or schema in changed_schemas):
            bound.add(data)
    return bound


def _dataset_of(content: bytes | None) -> tuple[str | None, str | None]:
    """(data, schema) of a pipeline definition; (None, None) if unreadable (pipelines reports that)."""
    try:
        raw = yaml.safe_load(content or b"")
    except (yaml.YAMLError, RecursionError):
        return None, None
    dataset = raw.get("dataset") if isinstance(raw, dict) else None
    if not isinstance(dataset, dict):
        return None, None
    data, schema = dataset.get("data"), dataset.get("schema")
    return (data if isinstance(data, str) else None), (schema if isinstance(schema, str) else None)


def materialise(repo: GitRepo, rev: str, paths: list[str], dest: Path) -> None:
    """Write `paths` (files, or directories: every file under them) as of `rev` below `dest`."""
    wanted: list[str] = []
    for path in paths:
        inside = repo.list_files(rev, [path.rstrip("/") + "/"])
        wanted.extend(inside or [path])
    sizes = repo.sizes(rev, sorted(set(wanted)))
    large = sorted(p for p, size in sizes.items() if size > STREAM_ABOVE_BYTES)
    for path in large:  # streamed to disk: the input caps apply when the copy is read
        (dest / path).parent.mkdir(parents=True, exist_ok=True)
        repo.copy_blob(rev, path, dest / path)
    small = sorted(p for p in sizes if p not in large)
    for path, content in repo.read_files(rev, small).items():
        if content is None:
            continue
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
