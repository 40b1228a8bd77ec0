"""Running git and reading its output: the value types it yields, the parsers of its -z/--batch output,
and the working-tree stand-ins for a revision of None."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISLNK

from dataops_ci.git.paths import inside_repo


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


def warn(message: str) -> None:
    print(message, file=sys.stderr)


def run_git(cmd: list[str], cwd: Path, input: bytes | None = None, env: dict[str, str] | None = None) -> str:
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
    try:
        proc = subprocess.run(cmd, cwd=cwd, input=input, capture_output=True, check=False, env=full_env)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode(errors="replace").strip() or f"{' '.join(cmd)} failed")
    return proc.stdout.decode("utf-8", errors="surrogateescape")


def toplevel_and_head(start: Path) -> tuple[Path, str] | None:
    """The worktree's top level and the commit HEAD is on, from one `git rev-parse` instead of two (each
    git process is ~1.5 ms of every hook's start); None when git cannot answer both (not a repository, no
    commit yet): the caller then asks for each on its own, and reports what fails as it always did."""
    cmd = ["git", "rev-parse", "--show-toplevel", "--verify", "--quiet", "--end-of-options", "HEAD^{commit}"]
    try:
        out = run_git(cmd, cwd=start)
    except GitError:
        return None
    top, _, head = out.rstrip("\n").rpartition("\n")  # the commit is the last line (a path may hold one)
    return (Path(top.strip()), head) if top.strip() and head else None


def diff_with_untracked(root: Path, index: Path, args: list[str], untracked: list[str]) -> str:
    """`git diff` against the worktree that also sees untracked files, so a schema moved with plain
    `mv` is a rename rather than a deletion plus an addition. The files are added intent-to-add to a
    throwaway copy of the index (`index`, the repository's); the user's index is never touched."""
    import shutil  # with tempfile: only when there are untracked files (not on every hook's start-up)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="dataops-ci-index-") as tmp:
        scratch = Path(tmp, "index")
        if index.exists():
            shutil.copyfile(index, scratch)
        env = {"GIT_INDEX_FILE": str(scratch)}
        paths = "".join(f"{p}\0" for p in untracked).encode("utf-8", "surrogateescape")
        add = ["git", "add", "--intent-to-add", "--pathspec-from-file=-", "--pathspec-file-nul"]
        run_git(add, cwd=root, input=paths, env=env)
        return run_git(["git", *args], cwd=root, env=env)


def cat_file_batch(root: Path, specs: Sequence[str]) -> list[bytes | None]:
    """Blob contents for object specs (`rev:path` or an object id), in order, from one `git cat-file`."""
    if not specs:
        return []
    request = "".join(f"{spec}\n" for spec in specs).encode("utf-8", "surrogateescape")
    proc = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=root, input=request, capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise GitError(f"git cat-file failed: {proc.stderr.decode(errors='replace').strip()}")
    return parse_batch(proc.stdout, len(specs))


def stream_blob(root: Path, spec: str, dest: Path) -> None:
    """Write the blob `spec` to `dest`, streamed: a large blob never sits in memory."""
    with dest.open("wb") as out:
        proc = subprocess.run(["git", "cat-file", "blob", spec], cwd=root, stdout=out, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise GitError(f"git cat-file failed: {proc.stderr.decode(errors='replace').strip()}")


def parse_name_status(out: str) -> list[ChangedFile]:
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


def parse_batch(data: bytes, count: int) -> list[bytes | None]:
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


def worktree_entry(root: Path, path: str) -> TreeEntry:
    try:
        stat = os.lstat(root / path)
    except OSError:
        return TreeEntry(path, "100644", 0)
    return TreeEntry(path, "120000" if S_ISLNK(stat.st_mode) else "100644", stat.st_size)


def read_worktree(root: Path, path: str) -> bytes | None:
    """The file's bytes, or None when it is missing or leads outside the repository (never read)."""
    if not inside_repo(root, path):
        return None
    try:
        return (root / path).read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
