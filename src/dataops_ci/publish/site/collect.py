"""Read the repository (its working tree, the revision being documented) into the site's page models."""

from __future__ import annotations

from collections.abc import Sequence

from dataops_ci.config import Config
from dataops_ci.git import GitError, GitRepo
from dataops_ci.publish.site.artifacts import latest_scores, pipeline_pages, suite_pages
from dataops_ci.publish.site.model import SiteModel
from dataops_ci.publish.site.schemas import schema_pages
from dataops_ci.report import Report

# Suites are found where GX projects and dataops-ci repos keep them, besides those the config names.
SUITE_PATTERNS = ("expectations/**/*.json", "**/expectations/**/*.json")


def _texts(repo: GitRepo, paths: Sequence[str], max_bytes: int, notes: list[str]) -> dict[str, str]:
    """Worktree texts of `paths`; files outside the repository (symlinks), too large, or not UTF-8 are
    left out with a note on the index page instead."""
    sizes = repo.sizes(None, paths)
    wanted = []
    for path in paths:
        if sizes.get(path, 0) > max_bytes:
            notes.append(f"{path}: not documented, larger than {max_bytes} bytes")
        else:
            wanted.append(path)
    texts: dict[str, str] = {}
    for path, data in repo.read_files(None, wanted).items():
        if data is None:
            notes.append(f"{path}: not documented, cannot be read inside the repository")
            continue
        try:
            texts[path] = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            notes.append(f"{path}: not documented, not UTF-8 text")
    return texts


def _head(repo: GitRepo) -> str:
    try:
        return repo.resolve("HEAD")
    except GitError:
        return ""


def collect_site(repo: GitRepo, config: Config, report: Report | None = None, title: str = "") -> SiteModel:
    notes: list[str] = []
    files = repo.list_files(None)
    in_schemas = [p for p in repo.list_files(None, config.schemas.paths)]
    schema_texts = _texts(repo, in_schemas, config.schemas.max_file_bytes, notes)
    head = _head(repo)
    schemas = schema_pages(repo, config, schema_texts, head) if head else []
    if not head and schema_texts:
        notes.append("no commit yet: schema histories are empty")
    slugs = {page.file: page.slug for page in schemas}
    pipeline_paths = repo.list_files(None, config.pipelines.paths)
    pipeline_texts = _texts(repo, pipeline_paths, config.pipelines.max_file_bytes, notes)
    existing = set(files)
    pipelines = pipeline_pages(pipeline_texts, existing.__contains__, slugs, latest_scores(report))
    named = [entry.suite for entry in config.expectations.suites if entry.suite in existing]
    suite_paths = sorted(set(named) | set(repo.list_files(None, list(SUITE_PATTERNS))))
    suite_texts = _texts(repo, suite_paths, config.expectations.max_suite_bytes, notes)
    suites = [s for s in suite_pages(suite_texts) if s.expectations or s.file in named]
    return SiteModel(
        title=title or repo.root.name,
        commit=head,
        schemas=tuple(schemas),
        pipelines=tuple(pipelines),
        suites=tuple(suites),
        notes=tuple(notes),
    )
