"""Which pipeline definitions a run looks at, read and validated at the head revision.

Light (no GX, no pandas): `pipelines.applies` and the `pipeline-lint` hook use only this.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import PurePosixPath

from dataops_ci.context import CheckContext
from dataops_ci.expectations.engines import describe
from dataops_ci.git import inside_repo
from dataops_ci.limits import Cap
from dataops_ci.pipelines.definition import PipelineFile, dataset_source, load_pipeline, referenced_files
from dataops_ci.report import Finding


def load_all(ctx: CheckContext) -> list[PipelineFile]:
    """Every pipeline definition at head, parsed and validated (files checked against head)."""
    cap = Cap("pipelines.max_file_bytes", ctx.config.pipelines.max_file_bytes)
    paths = ctx.repo.list_files(ctx.head, ctx.config.pipelines.paths)
    refused = cap.over(ctx.repo.sizes(ctx.head, paths))
    readable = [p for p in paths if p not in refused]
    contents = ctx.repo.read_files(ctx.head, readable)
    exists = _exists_at_head(ctx)
    files = []
    for path in paths:
        if path in refused:
            files.append(PipelineFile(path, None, (refused[path].finding("cannot-read-pipeline", path),)))
            continue
        raw = contents.get(path)
        if raw is None and path in ctx.repo.refused:  # a symlink out of the repo, a loop: the runner says so
            continue
        text = raw.decode("utf-8", errors="replace") if raw is not None else ""
        files.append(_load_one(path, text, exists, ctx.config.teams))
    return _flag_duplicate_names(files)


def _load_one(path: str, text: str, exists: Callable[[str], bool], teams: Mapping[str, str]) -> PipelineFile:
    """One definition; whatever goes wrong with it is its own finding, never the other files' loss."""
    try:
        return load_pipeline(path, text, exists, teams)
    except (RecursionError, MemoryError, ValueError) as exc:
        message = f"cannot read the definition: {type(exc).__name__}: {exc}"
        hint = "simplify the file: a pipeline definition is a small mapping of keys"
        return PipelineFile(
            path, None, (Finding("error", "cannot-parse-pipeline", message, path, 1, hint=hint),)
        )


def select(ctx: CheckContext, files: list[PipelineFile]) -> list[PipelineFile]:
    """All with --all-files (or a changed config); else those whose definition, data or schema changed
    (or was named on the command line, as pre-commit does)."""
    if ctx.all_files:
        return files
    changed = set(ctx.files) if ctx.files is not None else ctx.changed_paths()
    config_file = (ctx.config.source or "").split(" ", 1)[0]
    if ctx.files is None and config_file and config_file in changed:
        return files
    return [f for f in files if f.path in changed or any(_touches(p, changed) for p in _inputs(f))]


def _inputs(file: PipelineFile) -> list[str]:
    if file.definition is None:
        return []
    return [ref for _, ref in referenced_files(file.definition)]


def _touches(path: str, changed: set[str]) -> bool:
    prefix = path.rstrip("/") + "/"
    return any(c == path or c.startswith(prefix) for c in changed)


def data_paths(file: PipelineFile) -> list[str]:
    """Repository paths the pipeline's run reads (dataset and schema), for materialising a revision."""
    return _inputs(file)


def _exists_at_head(ctx: CheckContext) -> Callable[[str], bool]:
    if ctx.head is None:
        root = ctx.repo.root

        def in_worktree(path: str) -> bool:
            return inside_repo(root, path) and (root / path).exists()

        return in_worktree
    known: set[str] = set()
    for path in ctx.repo.list_files(ctx.head):
        known.add(path)
        known.update(str(parent) for parent in PurePosixPath(path).parents if str(parent) != ".")
    return lambda path: path in known


def _flag_duplicate_names(files: list[PipelineFile]) -> list[PipelineFile]:
    counts = Counter(f.definition.name for f in files if f.definition is not None)
    out = []
    for file in files:
        name = file.definition.name if file.definition is not None else None
        if name is not None and counts[name] > 1:
            others = [f.path for f in files if f is not file and f.definition and f.definition.name == name]
            finding = Finding(
                "error",
                "pipeline-duplicate-name",
                f"pipeline name '{name}' is also used by {', '.join(others)}",
                file.path,
                file.located.line(("name",)),
                hint="pipeline names identify data products in reports: give each a unique name",
            )
            file = replace(file, findings=(*file.findings, finding))
        out.append(file)
    return out


def describe_dataset(file: PipelineFile) -> str:
    return describe(dataset_source(file.definition)) if file.definition is not None else ""
