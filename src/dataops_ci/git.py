"""Git access: base/head resolution, changed files (with renames), file contents at a revision, history.

A revision of None means the working tree. Blobs are read in bulk through one `git cat-file --batch`.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from stat import S_ISLNK


class GitError(Exception):
    """Git could not answer; the message says what to do (exit 2)."""


@dataclass(frozen=True)
class ChangedFile:
    status: str  # A (added), M (modified), D (deleted), R (renamed), C (copied), T (type changed)
    path: str  # path at head (for a deletion: the path at base)
    old_path: str | None  # path at base (None for an addition)

    @property
    def deleted(self) -> bool:
        return self.status == "D"


@dataclass(frozen=True)
class TreeEntry:
    path: str
    mode: str  # git file mode: 100644/100755 file, 120000 symlink
    size: int  # bytes (for a symlink: the length of its target text)
    oid: str = ""  # blob object id (at a commit; empty in the working tree)

    @property
    def is_symlink(self) -> bool:
        return self.mode == "120000"


MAX_LINK_HOPS = 8


def link_target(path: str, target: str) -> str | None:
    """The repository path a symlink at `path` with link text `target` points to, or None when it leaves
    the repository (absolute, or climbing above the root)."""
    if target.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def match_glob(path: str, pattern: str) -> bool:
    """gitignore-like globs: `dir/` is a prefix, `**` spans directories, a pattern without `/` matches
    the file name anywhere (`*.avsc`), one with `/` is anchored at the repository root."""
    if pattern.endswith("/"):
        return path.startswith(pattern)
    if "/" not in pattern:
        return fnmatchcase(path.rsplit("/", 1)[-1], pattern)
    return _full_match(path.split("/"), pattern.strip("/").split("/"))


def _full_match(parts: list[str], pats: list[str]) -> bool:
    if not pats:
        return not parts
    if pats[0] == "**":
        return any(_full_match(parts[i:], pats[1:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], pats[0]) and _full_match(parts[1:], pats[1:])


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    return any(match_glob(path, p) for p in patterns)


class GitRepo:
    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def discover(cls, start: Path | None = None) -> GitRepo:
        start = start or Path.cwd()
        try:
            out = _run(["git", "rev-parse", "--show-toplevel"], cwd=start)
        except GitError:
            raise GitError(
                f"{start}: not inside a git repository (run dataops-ci from your data repo)"
            ) from None
        return cls(Path(out.strip()))

    def git(self, *args: str, input: bytes | None = None) -> str:
        return _run(["git", *args], cwd=self.root, input=input)

    # -- revisions -------------------------------------------------------------------------------------
    def resolve(self, ref: str) -> str:
        try:
            return self.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
        except GitError:
            raise GitError(f"cannot resolve git revision '{ref}'") from None

    def has_commit(self, sha: str) -> bool:
        try:
            self.git("cat-file", "-e", f"{sha}^{{commit}}")
            return True
        except GitError:
            return False

    def is_shallow(self) -> bool:
        return self.git("rev-parse", "--is-shallow-repository").strip() == "true"

    def ensure_commit(self, sha: str, log: Callable[[str], None] | None = None) -> None:
        """Make sure `sha` is present: fetch just that commit in a shallow clone, never deepen a full one."""
        if self.has_commit(sha):
            return
        if not self.is_shallow():
            raise GitError(
                f"base commit {sha} is not in this clone; fetch it (git fetch origin {sha}) "
                "or check out with `fetch-depth: 0`"
            )
        say = log or _stderr
        say(f"dataops-ci: base commit {sha[:12]} missing from the shallow clone; fetching just that commit")
        try:
            self.git("fetch", "--no-tags", "--depth=1", "origin", sha)
        except GitError as exc:
            raise GitError(
                f"base commit {sha} is missing and could not be fetched ({exc}); "
                "use actions/checkout with `fetch-depth: 0`"
            ) from None
        if not self.has_commit(sha):
            raise GitError(
                f"base commit {sha} is still missing after fetching it from origin; "
                "use actions/checkout with `fetch-depth: 0`"
            )

    # -- changes ---------------------------------------------------------------------------------------
    def changed_files(self, base: str, head: str | None) -> list[ChangedFile]:
        """Files changed from base to head (None: the working tree, untracked files included)."""
        args = ["diff", "--name-status", "-z", "-M", "--no-color", "--no-ext-diff", base]
        if head is not None:
            return _parse_name_status(self.git(*args, head))
        untracked = [p for p in self.git("ls-files", "--others", "--exclude-standard", "-z").split("\0") if p]
        if not untracked:
            return _parse_name_status(self.git(*args))
        return _parse_name_status(self._diff_with_untracked(args, untracked))

    def _diff_with_untracked(self, args: list[str], untracked: list[str]) -> str:
        """`git diff` against the worktree that also sees untracked files, so a schema moved with plain
        `mv` is a rename rather than a deletion plus an addition. The files are added intent-to-add to a
        throwaway copy of the index; the user's index is never touched."""
        index = Path(self.git("rev-parse", "--path-format=absolute", "--git-path", "index").strip())
        with tempfile.TemporaryDirectory(prefix="dataops-ci-index-") as tmp:
            scratch = Path(tmp, "index")
            if index.exists():
                shutil.copyfile(index, scratch)
            env = {"GIT_INDEX_FILE": str(scratch)}
            paths = "".join(f"{p}\0" for p in untracked).encode("utf-8", "surrogateescape")
            add = ["git", "add", "--intent-to-add", "--pathspec-from-file=-", "--pathspec-file-nul"]
            _run(add, cwd=self.root, input=paths, env=env)
            return _run(["git", *args], cwd=self.root, env=env)

    def changed_lines(self, base: str, head: str | None, path: str, old_path: str | None = None) -> set[int]:
        """Line numbers (in the head version) that the change added or modified. For a renamed file pass
        `old_path` (ChangedFile.old_path): git only pairs a rename when both paths are in the pathspec,
        otherwise every line of the moved file counts as changed."""
        args = ["diff", "-U0", "--no-color", "--no-ext-diff", "-M", base]
        if head is not None:
            args.append(head)
        paths = [path] if old_path in (None, path) else [old_path or path, path]
        out = self.git(*args, "--", *paths)
        if not out.strip() and head is None and not self._tracked(path):
            text = (self.root / path).read_text(errors="replace")
            return set(range(1, text.count("\n") + 2))
        lines: set[int] = set()
        for line in out.splitlines():
            if line.startswith("@@"):
                new = line.split("+", 1)[1].split(" ", 1)[0]
                start, _, count = new.partition(",")
                n = int(count) if count else 1
                lines.update(range(int(start), int(start) + n))
        return lines

    def _tracked(self, path: str) -> bool:
        return bool(self.git("ls-files", "--", path).strip())

    # -- contents --------------------------------------------------------------------------------------
    def list_files(self, rev: str | None, patterns: Sequence[str] | None = None) -> list[str]:
        if rev is None:
            out = self.git("ls-files", "-z", "--cached", "--others", "--exclude-standard")
            # lexists: a dangling symlink is still a file of the tree (checks refuse it with a finding);
            # a path deleted from the worktree but still in the index is not.
            files = sorted({p for p in out.split("\0") if p and os.path.lexists(self.root / p)})
        else:
            out = self.git("ls-tree", "-r", "-z", "--name-only", rev)
            files = [p for p in out.split("\0") if p]
        if patterns is None:
            return files
        return [p for p in files if matches_any(p, patterns)]

    def read_files(self, rev: str | None, paths: Sequence[str]) -> dict[str, bytes | None]:
        """Contents of `paths` at `rev` (None: working tree); None for a missing file."""
        if rev is None:
            return {p: _read_worktree(self.root, p) for p in paths}
        blobs = self.read_objects([(rev, p) for p in paths])
        return dict(zip(paths, blobs, strict=True))

    def read_objects(self, specs: Sequence[tuple[str, str]]) -> list[bytes | None]:
        """Blob contents for (commit, path) pairs, in order, through one `git cat-file --batch`; None for a
        missing path or a non-blob. A symlink's blob is its target text: see `tree_entries` for modes."""
        return self._cat_file([f"{rev}:{path}" for rev, path in specs])

    def read_blobs(self, oids: Sequence[str]) -> list[bytes | None]:
        """Blob contents by object id (from `tree_entries`), in order. Much faster than `rev:path` specs
        for many files: git resolves each path through the trees again (seconds for 2,000 files)."""
        return self._cat_file(oids)

    def _cat_file(self, specs: Sequence[str]) -> list[bytes | None]:
        if not specs:
            return []
        request = "".join(f"{spec}\n" for spec in specs).encode("utf-8", "surrogateescape")
        proc = subprocess.run(
            ["git", "cat-file", "--batch"], cwd=self.root, input=request, capture_output=True, check=False
        )
        if proc.returncode != 0:
            raise GitError(f"git cat-file failed: {proc.stderr.decode(errors='replace').strip()}")
        return _parse_batch(proc.stdout, len(specs))

    def tree_entries(self, rev: str | None, patterns: Sequence[str] | None = None) -> dict[str, TreeEntry]:
        """Mode and size of every file at `rev` (None: the working tree, untracked files included) in
        one process, so callers can refuse symlinks and oversized files before reading any content."""
        if rev is None:
            return {p: _worktree_entry(self.root, p) for p in self.list_files(None, patterns)}
        entries: dict[str, TreeEntry] = {}
        for record in self.git("ls-tree", "-r", "-l", "-z", rev).split("\0"):
            meta, tab, path = record.partition("\t")
            if not tab or (patterns is not None and not matches_any(path, patterns)):
                continue
            mode, kind, oid, size = meta.split()
            if kind == "blob":
                entries[path] = TreeEntry(path, mode, int(size), oid)
        return entries

    def read_file(self, rev: str | None, path: str) -> bytes | None:
        return self.read_files(rev, [path])[path]

    def is_symlink(self, rev: str | None, path: str) -> bool:
        if rev is None:
            return (self.root / path).is_symlink()
        out = self.git("ls-tree", rev, "--", path)
        return out.startswith("120000")

    def escapes_repo(self, rev: str | None, path: str) -> bool:
        """True when the path is (or goes through) a symlink pointing outside the repository. At a commit,
        a symlink whose target (followed through further links) stays inside is fine."""
        if rev is None:
            resolved = (self.root / path).resolve()
            return not resolved.is_relative_to(self.root.resolve())
        for _ in range(MAX_LINK_HOPS):
            if not self.is_symlink(rev, path):
                return False
            target = link_target(path, (self.read_file(rev, path) or b"").decode("utf-8", "surrogateescape"))
            if target is None:
                return True
            path = target
        return True  # a loop, or a chain too long to be honest

    def history(self, rev: str, path: str) -> list[tuple[str, str]]:
        """(commit, path at that commit) for each commit touching `path`, newest first, following renames."""
        # -z: paths come unquoted (a plain --name-only C-quotes non-ASCII names, which then never match).
        out = self.git("log", "-z", "--follow", "--format=commit %H", "--name-only", "-M", rev, "--", path)
        entries: list[tuple[str, str]] = []
        commit: str | None = None
        for token in out.split("\0"):
            if token.startswith("commit "):
                commit = token[len("commit ") :]
            elif token.strip("\n") and commit is not None:
                entries.append((commit, token.lstrip("\n")))
                commit = None
        return entries


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def _run(cmd: list[str], cwd: Path, input: bytes | None = None, env: dict[str, str] | None = None) -> str:
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
    try:
        proc = subprocess.run(cmd, cwd=cwd, input=input, capture_output=True, check=False, env=full_env)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode(errors="replace").strip() or f"{' '.join(cmd)} failed")
    return proc.stdout.decode("utf-8", errors="surrogateescape")


def _parse_name_status(out: str) -> list[ChangedFile]:
    tokens = [t for t in out.split("\0")]
    changes: list[ChangedFile] = []
    i = 0
    while i < len(tokens) and tokens[i]:
        status = tokens[i][0]
        if status in "RC":
            changes.append(ChangedFile(status, tokens[i + 2], tokens[i + 1]))
            i += 3
        else:
            path = tokens[i + 1]
            changes.append(ChangedFile(status, path, None if status == "A" else path))
            i += 2
    return changes


def _parse_batch(data: bytes, count: int) -> list[bytes | None]:
    results: list[bytes | None] = []
    pos = 0
    for _ in range(count):
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        # "<spec> missing" / "<spec> ambiguous": the spec echoes the path, which may contain spaces.
        if len(header) != 3 or header[-1] in (b"missing", b"ambiguous"):
            results.append(None)
            continue
        size = int(header[2])
        results.append(data[pos : pos + size] if header[1] == b"blob" else None)
        pos += size + 1
    return results


def _worktree_entry(root: Path, path: str) -> TreeEntry:
    try:
        stat = os.lstat(root / path)
    except OSError:
        return TreeEntry(path, "100644", 0)
    return TreeEntry(path, "120000" if S_ISLNK(stat.st_mode) else "100644", stat.st_size)


def _read_worktree(root: Path, path: str) -> bytes | None:
    try:
        return (root / path).read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def event_base_sha(event_path: str | None) -> str | None:
    """The PR base SHA from a GitHub Actions event payload, if this is a pull request event."""
    if not event_path:
        return None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    pr = event.get("pull_request") if isinstance(event, dict) else None
    if isinstance(pr, dict):
        sha = (pr.get("base") or {}).get("sha")
        return sha if isinstance(sha, str) else None
    return None
