"""Git access: changed files (with renames), file contents at a revision, history.

A revision of None means the working tree. Blobs are read in bulk through one `git cat-file --batch`.
Revisions reach git only after `--end-of-options`, and those from outside are validated first
(`revisions.checked_revision`), so none can be taken for an option.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dataops_ci.git.paths import MAX_LINK_HOPS, inside_repo, link_target, matches_any
from dataops_ci.git.plumbing import (
    ChangedFile,
    GitError,
    TreeEntry,
    cat_file_batch,
    diff_with_untracked,
    parse_name_status,
    read_worktree,
    run_git,
    stream_blob,
    toplevel_and_head,
    warn,
    worktree_entry,
)
from dataops_ci.git.revisions import checked_revision, is_revision, is_sha

# Renames a file's history follows at most: beyond, the history is cut (a loop, or not a real history).
MAX_RENAMES = 100


class GitRepo:
    def __init__(self, root: Path, memo: dict[str, Any] | None = None) -> None:
        self.root = root
        # Worktree paths read_files refused because they lead outside the repository, in order. The runner
        # gives each check its own GitRepo (`fresh`) and turns these into could-not-check findings.
        self.refused: dict[str, None] = {}
        # A pinned repository's answers that hold for one run (see `pinned`), shared with its fresh copies.
        self._memo = memo

    def fresh(self) -> GitRepo:
        """The same repository with an empty refusal log (and the same memo, if pinned)."""
        return type(self)(self.root, self._memo)

    def pinned(self) -> GitRepo:
        """This repository, remembering for one run what git answered: the commit each revision resolved
        to and the worktree's file listing (tracked and untracked), so each is asked once per run (the
        runner's context; a run reads the change as it was when it started). Unpinned, git is always asked."""
        return type(self)(self.root, {} if self._memo is None else self._memo)

    @classmethod
    def discover(cls, start: Path | None = None, pinned: bool = False) -> GitRepo:
        """The repository `start` is in; `pinned=True`: `.pinned()`, HEAD resolved by the same git process."""
        start = start or Path.cwd()
        found = toplevel_and_head(start) if pinned else None
        if found is not None:
            return cls(found[0], {"resolve\0HEAD": found[1]})  # the memo key `resolve` uses
        try:
            out = run_git(["git", "rev-parse", "--show-toplevel"], cwd=start)
        except GitError:
            raise GitError(
                f"{start}: not inside a git repository (run dataops-ci from your data repo)"
            ) from None
        repo = cls(Path(out.strip()))
        return repo.pinned() if pinned else repo

    def git(self, *args: str, input: bytes | None = None) -> str:
        return run_git(["git", *args], cwd=self.root, input=input)

    # -- revisions -------------------------------------------------------------------------------------
    def resolve(self, ref: str) -> str:
        checked_revision(ref)
        return str(self._remembered(f"resolve\0{ref}", lambda: self._rev_parse(ref)))

    def _rev_parse(self, ref: str) -> str:
        try:
            return self.git(
                "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
            ).strip()
        except GitError:
            raise GitError(f"cannot resolve git revision '{ref}'") from None

    def _remembered(self, key: str, ask: Callable[[], Any]) -> Any:
        """`ask()`, once per key when pinned. A failure is not remembered (a missing base may be fetched)."""
        if self._memo is None:
            return ask()
        if key not in self._memo:
            self._memo[key] = ask()
        return self._memo[key]

    def has_commit(self, sha: str) -> bool:
        if not is_revision(sha):
            return False
        try:
            self.git("cat-file", "-e", "--end-of-options", f"{sha}^{{commit}}")
            return True
        except GitError:
            return False

    def is_shallow(self) -> bool:
        return self.git("rev-parse", "--is-shallow-repository").strip() == "true"

    def ensure_commit(self, sha: str, log: Callable[[str], None] | None = None) -> None:
        """Make sure `sha` is present: fetch just that commit in a shallow clone, never deepen a full one."""
        if not is_sha(checked_revision(sha)):
            raise GitError(f"{sha!r} is not a commit SHA; only a SHA is fetched into a shallow clone")
        if self.has_commit(sha):
            return
        if not self.is_shallow():
            raise GitError(
                f"base commit {sha} is not in this clone; fetch it (git fetch origin {sha}) "
                "or check out with `fetch-depth: 0`"
            )
        say = log or warn
        say(f"dataops-ci: base commit {sha[:12]} missing from the shallow clone; fetching just that commit")
        try:
            self.git("fetch", "--no-tags", "--depth=1", "--end-of-options", "origin", sha)
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
        args = ["diff", "--name-status", "-z", "-M", "--no-color", "--no-ext-diff", "--end-of-options", base]
        if head is not None:
            return parse_name_status(self.git(*args, head))
        untracked = self._worktree_listing()[1]
        if not untracked:
            return parse_name_status(self.git(*args))
        index = Path(self.git("rev-parse", "--path-format=absolute", "--git-path", "index").strip())
        return parse_name_status(diff_with_untracked(self.root, index, args, untracked))

    def _worktree_listing(self) -> tuple[list[str], list[str]]:
        """(every path `git ls-files --cached --others --exclude-standard` lists, the untracked ones among
        them) from one git process: `-t` tags each path, `?` being untracked. Remembered when pinned."""
        listing: tuple[list[str], list[str]] = self._remembered("worktree", self._ls_files)
        return listing

    def _ls_files(self) -> tuple[list[str], list[str]]:
        out = self.git("ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard")
        tagged = [(record[:1], record[2:]) for record in out.split("\0") if record]
        return [p for _, p in tagged], [p for tag, p in tagged if tag == "?"]

    def changed_lines(self, base: str, head: str | None, path: str, old_path: str | None = None) -> set[int]:
        """Line numbers (in the head version) that the change added or modified. For a renamed file pass
        `old_path` (ChangedFile.old_path): git only pairs a rename when both paths are in the pathspec,
        otherwise every line of the moved file counts as changed."""
        args = ["diff", "-U0", "--no-color", "--no-ext-diff", "-M", "--end-of-options", base]
        if head is not None:
            args.append(head)
        paths = [path] if old_path in (None, path) else [old_path or path, path]
        out = self.git(*args, "--", *paths)
        if not out.strip() and head is None and not self._tracked(path):
            text = (read_worktree(self.root, path) or b"").decode(errors="replace")
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
            # lexists: a dangling symlink is still a file of the tree (checks refuse it with a finding);
            # a path deleted from the worktree but still in the index is not.
            files = sorted({p for p in self._worktree_listing()[0] if os.path.lexists(self.root / p)})
        else:
            out = self.git("ls-tree", "-r", "-z", "--name-only", "--end-of-options", rev)
            files = [p for p in out.split("\0") if p]
        if patterns is None:
            return files
        return [p for p in files if matches_any(p, patterns)]

    def read_files(self, rev: str | None, paths: Sequence[str]) -> dict[str, bytes | None]:
        """Contents of `paths` at `rev` (None: working tree); None for a missing file, and for a worktree
        path whose real path leaves the repository (never read; logged in `refused`)."""
        if rev is None:
            for path in paths:
                if not inside_repo(self.root, path):
                    self.refused.setdefault(path, None)
            return {p: read_worktree(self.root, p) for p in paths}
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
        return cat_file_batch(self.root, specs)

    def tree_entries(self, rev: str | None, patterns: Sequence[str] | None = None) -> dict[str, TreeEntry]:
        """Mode and size of every file at `rev` (None: the working tree, untracked files included) in
        one process, so callers can refuse symlinks and oversized files before reading any content."""
        if rev is None:
            return {p: worktree_entry(self.root, p) for p in self.list_files(None, patterns)}
        entries: dict[str, TreeEntry] = {}
        for record in self.git("ls-tree", "-r", "-l", "-z", "--end-of-options", rev).split("\0"):
            meta, tab, path = record.partition("\t")
            if not tab or (patterns is not None and not matches_any(path, patterns)):
                continue
            mode, kind, oid, size = meta.split()
            if kind == "blob":
                entries[path] = TreeEntry(path, mode, int(size), oid)
        return entries

    def sizes(self, rev: str | None, paths: Sequence[str]) -> dict[str, int]:
        """Size in bytes of each of `paths` at `rev` (None: the working tree) that exists, without reading
        it: what callers check against an input cap before reading."""
        if rev is None:
            found: dict[str, int] = {}
            for path in paths:
                with contextlib.suppress(OSError):  # stat follows a link: its target is what gets read
                    found[path] = (self.root / path).stat().st_size
            return found
        wanted = set(paths)
        return {p: e.size for p, e in self.tree_entries(rev).items() if p in wanted}

    def copy_blob(self, rev: str, path: str, dest: Path) -> None:
        """Write the file `path` at `rev` to `dest`, streamed: a large blob never sits in memory."""
        stream_blob(self.root, f"{rev}:{path}", dest)

    def read_file(self, rev: str | None, path: str) -> bytes | None:
        return self.read_files(rev, [path])[path]

    def is_symlink(self, rev: str | None, path: str) -> bool:
        if rev is None:
            return (self.root / path).is_symlink()
        out = self.git("ls-tree", "--end-of-options", rev, "--", path)
        return out.startswith("120000")

    def escapes_repo(self, rev: str | None, path: str) -> bool:
        """True when the path is (or goes through) a symlink pointing outside the repository. At a commit,
        a symlink whose target (followed through further links) stays inside is fine."""
        if rev is None:
            return not inside_repo(self.root, path)
        for _ in range(MAX_LINK_HOPS):
            if not self.is_symlink(rev, path):
                return False
            target = link_target(path, (self.read_file(rev, path) or b"").decode("utf-8", "surrogateescape"))
            if target is None:
                return True
            path = target
        return True  # a loop, or a chain too long to be honest

    def history(self, rev: str, path: str) -> list[tuple[str, str]]:
        """(commit, path at that commit) for each commit touching `path`, newest first, following renames
        only: the same rule as `changed_files`. (`git log --follow` also follows copies, so a new file made
        as a copy of another would inherit that one's history.)"""
        entries: list[tuple[str, str]] = []
        for _ in range(MAX_RENAMES):
            commits = self.git("log", "--format=%H", "--end-of-options", rev, "--", path).split()
            entries += [(commit, path) for commit in commits]
            renamed = self._renamed_from(commits[-1], path) if commits else None
            if renamed is None:
                return entries
            rev, path = f"{commits[-1]}^", renamed
        return entries

    def _renamed_from(self, commit: str, path: str) -> str | None:
        """The path `path` had before `commit` when that commit renamed it (a file that disappeared), or
        None when the commit added it fresh (or copied it from a file that stays)."""
        # -M without -C: a rename pairs an added file only with a deleted one. First parent, like git log.
        if self.git("rev-list", "--parents", "-n", "1", commit).split()[1:]:
            args = ["diff", "-z", "-M", "--name-status", "--no-color", "--no-ext-diff", f"{commit}^", commit]
        else:  # the root commit: everything in it was added
            return None
        out = self.git(*args)
        for change in parse_name_status(out):
            if change.path == path and change.status == "R":
                return change.old_path
        return None
