"""Which configured suites a change touches.

Cheap on purpose (`expectations.applies` calls it): path comparisons, plus reading a few small pipeline
YAML files only when a pipeline or a schema changed.
"""

from __future__ import annotations

import yaml

from dataops_ci.config import SuiteEntry
from dataops_ci.context import CheckContext
from dataops_ci.expectations.engines import as_source, local_paths
from dataops_ci.expectations.gx_project import GxProject, find_projects
from dataops_ci.git import matches_any


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
