"""Git access: base/head resolution, changed files (with renames), file contents at a revision, history.

A revision of None means the working tree. Blobs are read in bulk through one `git cat-file --batch`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path


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
            raise GitError(f"{start}: not inside a git repository (run dataops-ci from your data repo)") from None
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

    # -- changes ---------------------------------------------------------------------------------------
    def changed_files(self, base: str, head: str | None) -> list[ChangedFile]:
        """Files changed from base to head (None: the working tree, untracked files included)."""
        args = ["diff", "--name-status", "-z", "-M", "--no-color", "--no-ext-diff", base]
        if head is not None:
            args.append(head)
        changes = _parse_name_status(self.git(*args))
        if head is None:
            others = self.git("ls-files", "--others", "--exclude-standard", "-z")
            changes += [ChangedFile("A", p, None) for p in others.split("\0") if p]
        return changes

    def changed_lines(self, base: str, head: str | None, path: str) -> set[int]:
        """Line numbers (in the head version) that the change added or modified."""
        args = ["diff", "-U0", "--no-color", "--no-ext-diff", "-M", base]
        if head is not None:
            args.append(head)
        out = self.git(*args, "--", path)
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
            files = sorted({p for p in out.split("\0") if p and (self.root / p).exists()})
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
        if not paths:
            return {}
        request = "".join(f"{rev}:{p}\n" for p in paths).encode()
        proc = subprocess.run(
            ["git", "cat-file", "--batch"], cwd=self.root, input=request, capture_output=True, check=False
        )
        if proc.returncode != 0:
            raise GitError(f"git cat-file failed: {proc.stderr.decode(errors='replace').strip()}")
        return dict(zip(paths, _parse_batch(proc.stdout, len(paths)), strict=True))

    def read_file(self, rev: str | None, path: str) -> bytes | None:
        return self.read_files(rev, [path])[path]

    def is_symlink(self, rev: str | None, path: str) -> bool:
        if rev is None:
            return (self.root / path).is_symlink()
        out = self.git("ls-tree", rev, "--", path)
        return out.startswith("120000")

    def escapes_repo(self, rev: str | None, path: str) -> bool:
        """True when the path is (or goes through) a symlink pointing outside the repository."""
        if rev is not None:
            return self.is_symlink(rev, path)
        resolved = (self.root / path).resolve()
        return not resolved.is_relative_to(self.root.resolve())

    def history(self, rev: str, path: str) -> list[tuple[str, str]]:
        """(commit, path at that commit) for each commit touching `path`, newest first, following renames."""
        out = self.git("log", "--follow", "--format=%x00%H", "--name-only", "-M", rev, "--", path)
        entries: list[tuple[str, str]] = []
        for chunk in out.split("\0")[1:]:
            lines = [ln for ln in chunk.splitlines() if ln.strip()]
            if len(lines) >= 2:
                entries.append((lines[0], lines[1]))
        return entries


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def _run(cmd: list[str], cwd: Path, input: bytes | None = None) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        proc = subprocess.run(cmd, cwd=cwd, input=input, capture_output=True, check=False, env=env)
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
        if len(header) == 2 and header[1] == b"missing" or len(header) < 3:
            results.append(None)
            continue
        size = int(header[2])
        results.append(data[pos : pos + size] if header[1] == b"blob" else None)
        pos += size + 1
    return results


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
