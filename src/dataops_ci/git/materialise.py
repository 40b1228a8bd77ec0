"""Files of a revision written to disk, for the tools that read files rather than blobs (GX, dbt macros).

Paths come from git's own listing of the revision, so they stay inside `dest`; large blobs are streamed
(`GitRepo.copy_blob`) instead of held in memory.
"""

from __future__ import annotations

from pathlib import Path

from dataops_ci.git.repo import GitRepo

STREAM_ABOVE_BYTES = 8 << 20


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
