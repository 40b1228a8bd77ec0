"""Reading the `.avsc` files of one revision safely and in bulk, for the schema-compat check.

Nothing from the pull request is trusted: a symlink that leaves the repository, a file over
`schemas.max_file_bytes`, a binary or non-UTF-8 file is refused with a reason (which the check turns into a
finding) instead of being read. Contents at a commit come from one `git cat-file --batch` for all files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from dataops_ci.git import MAX_LINK_HOPS, GitRepo, TreeEntry, link_target, matches_any


@dataclass(frozen=True)
class Refusal:
    """Why a file was not read: a `cannot-*` rule id, a message and what to do."""

    rule: str
    message: str
    hint: str


@dataclass
class Snapshot:
    """The schema files of one revision (None: the working tree): decoded texts, and refused files."""

    rev: str | None
    texts: dict[str, str] = field(default_factory=dict)
    refused: dict[str, Refusal] = field(default_factory=dict)


@dataclass(frozen=True)
class Version:
    """One earlier version of a schema, from the history of the base."""

    commit: str
    path: str
    text: str


def _too_large(path: str, size: int, limit: int) -> Refusal:
    from dataops_ci.limits import Cap  # here: only an oversized file needs its wording (~1 ms per hook)

    over = Cap("schemas.max_file_bytes", limit).check(path, size)
    assert over is not None  # only called for a file over the limit
    return Refusal("cannot-read-schema", over.message, f"split the schema, or {over.hint}")


def _outside(path: str) -> Refusal:
    return Refusal(
        "cannot-follow-symlink",
        f"{path} is a symlink that points outside the repository; it was not read",
        "commit the schema itself instead of a link to a file outside the repository",
    )


def decode(path: str, data: bytes) -> str | Refusal:
    """The text of a schema file, or a refusal for binary or non-UTF-8 content."""
    if b"\0" in data:
        return Refusal(
            "cannot-read-schema",
            f"{path} is a binary file, not an Avro schema (JSON text)",
            "remove the file or give it another extension than .avsc",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Refusal(
            "cannot-read-schema",
            f"{path} is not valid UTF-8 (byte {exc.start}); Avro schemas are JSON text",
            "save the file as UTF-8",
        )


BlobCache = dict[str, "str | Refusal"]  # blob id -> decoded text (or why not), shared by base and head


def read_snapshot(
    repo: GitRepo, rev: str | None, patterns: Sequence[str], max_bytes: int, cache: BlobCache | None = None
) -> Snapshot:
    """Every schema file (matching `patterns`) of `rev`, read in bulk. Blobs already in `cache` (the
    files base and head share) are not read again."""
    if rev is None:
        return _read_worktree(repo, patterns, max_bytes)
    return _read_commit(repo, rev, patterns, max_bytes, {} if cache is None else cache)


def _read_worktree(repo: GitRepo, patterns: Sequence[str], max_bytes: int) -> Snapshot:
    snapshot = Snapshot(None)
    for path in repo.list_files(None, patterns):
        if repo.escapes_repo(None, path):
            snapshot.refused[path] = _outside(path)
            continue
        file = Path(repo.root, path)
        try:
            size = file.stat().st_size
            if size > max_bytes:
                snapshot.refused[path] = _too_large(path, size, max_bytes)
                continue
            _store(snapshot, path, file.read_bytes())
        except OSError as exc:
            snapshot.refused[path] = Refusal(
                "cannot-read-schema", f"{path} cannot be read: {exc.strerror}", "check the file"
            )
    return snapshot


def _read_commit(
    repo: GitRepo, rev: str, patterns: Sequence[str], max_bytes: int, cache: BlobCache
) -> Snapshot:
    snapshot = Snapshot(rev)
    tree = repo.tree_entries(rev)
    wanted: dict[str, str] = {}  # schema path -> blob id of its content (links followed)
    for path, entry in tree.items():
        if not matches_any(path, patterns):
            continue
        resolved = entry if not entry.is_symlink else _follow_link(repo, tree, entry)
        if resolved is None:
            snapshot.refused[path] = _outside(path)
        elif resolved.size > max_bytes:
            snapshot.refused[path] = _too_large(path, resolved.size, max_bytes)
        else:
            wanted[path] = resolved.oid
    missing = sorted({oid for oid in wanted.values() if oid not in cache})
    for oid, data in zip(missing, repo.read_blobs(missing), strict=True):
        if data is not None:
            cache[oid] = decode(oid, data)
    for path, oid in wanted.items():
        content = cache.get(oid)
        if isinstance(content, Refusal):
            snapshot.refused[path] = replace(content, message=content.message.replace(oid, path))
        elif content is not None:
            snapshot.texts[path] = content
    return snapshot


def _follow_link(repo: GitRepo, tree: dict[str, TreeEntry], entry: TreeEntry) -> TreeEntry | None:
    """The regular file a committed symlink leads to, or None when it leaves the repository (or loops)."""
    for _ in range(MAX_LINK_HOPS):
        target_bytes = repo.read_blobs([entry.oid])[0] or b""
        target = link_target(entry.path, target_bytes.decode("utf-8", "surrogateescape"))
        next_entry = tree.get(target) if target is not None else None
        if next_entry is None:
            return None
        if not next_entry.is_symlink:
            return next_entry
        entry = next_entry
    return None


def _store(snapshot: Snapshot, path: str, data: bytes) -> None:
    text = decode(path, data)
    if isinstance(text, Refusal):
        snapshot.refused[path] = text
    else:
        snapshot.texts[path] = text


def read_history(repo: GitRepo, rev: str, path: str, max_bytes: int) -> list[Version]:
    """Every earlier version of the schema at `path` in the history of `rev` (renames followed), newest
    first, identical contents only once. Unreadable versions (deleted, binary, too large) are skipped."""
    commits = repo.history(rev, path)
    blobs = repo.read_objects(commits)
    versions: list[Version] = []
    seen: set[bytes] = set()
    for (commit, old_path), data in zip(commits, blobs, strict=True):
        if data is None or data in seen or len(data) > max_bytes:
            continue
        seen.add(data)
        text = decode(old_path, data)
        if isinstance(text, str):
            versions.append(Version(commit, old_path, text))
    return versions
