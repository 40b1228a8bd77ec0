"""Git and repository paths: the foundation every check reads the repository through.

- `repo`: `GitRepo` (changed files between base and head with renames, never copies; blobs at a revision
  read in bulk; file history), `ChangedFile`, `TreeEntry`, `GitError`.
- `paths`: the glob rules of the config's `paths:` keys and symlink targets inside the repository.
- `event`: the pull request's base commit from a GitHub Actions event payload.
- `revisions`: validation of revisions taken from outside (a SHA or a ref name, never an option).
- `materialise`: files of a revision written below a folder, for tools that read files (imported as
  `dataops_ci.git.materialise`, not re-exported here).

A foundation: imports only the standard library and `dataops_ci.git.*`; never a check, renderer, command or
the GitHub layer. The names below are the package's public face (`from dataops_ci.git import GitRepo`).
"""

from __future__ import annotations

from dataops_ci.git.event import event_base_sha
from dataops_ci.git.paths import (
    MAX_LINK_HOPS,
    OUTSIDE_REPO_HINT,
    inside_repo,
    link_target,
    match_glob,
    matches_any,
    outside_repo_message,
)
from dataops_ci.git.plumbing import ChangedFile, GitError, TreeEntry
from dataops_ci.git.repo import GitRepo
from dataops_ci.git.revisions import checked_revision, is_revision, is_sha

__all__ = [
    "MAX_LINK_HOPS",
    "OUTSIDE_REPO_HINT",
    "ChangedFile",
    "GitError",
    "GitRepo",
    "TreeEntry",
    "checked_revision",
    "event_base_sha",
    "inside_repo",
    "is_revision",
    "is_sha",
    "link_target",
    "match_glob",
    "matches_any",
    "outside_repo_message",
]
