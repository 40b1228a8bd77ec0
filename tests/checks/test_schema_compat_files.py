"""Reading schema files safely: bulk reads at a commit and in the worktree, symlinks, size cap, binaries,
and the history of one schema across renames."""

from __future__ import annotations

import os

from dataops_ci.checks.schema_compat.files import read_history, read_snapshot
from dataops_ci.git import GitRepo, link_target
from tests.conftest import Repo

PATTERNS = ["**/*.avsc"]
SCHEMA = '{"type": "record", "name": "A", "fields": []}'


def _tricky_repo(repo: Repo) -> None:
    repo.write(
        {
            "schemas/a.avsc": SCHEMA,
            "schemas/big.avsc": '{"type": "string", "doc": "' + "x" * 300 + '"}',
            "schemas/binary.avsc": b"\x00\x01\x02avro",
            "schemas/latin1.avsc": '{"type": "string", "doc": "café"}'.encode("latin-1"),
            "shared/real.json": SCHEMA,
            "notes.txt": "not a schema",
        }
    )
    os.symlink("/etc/hostname", repo.root / "schemas/absolute.avsc")
    os.symlink("../../outside.avsc", repo.root / "schemas/relative.avsc")
    os.symlink("../shared/real.json", repo.root / "schemas/inside.avsc")


def test_snapshot_refuses_unsafe_files_at_commit_and_in_worktree(repo: Repo) -> None:
    _tricky_repo(repo)
    head = repo.commit("tricky")
    git = GitRepo(repo.root)
    for rev in (head, None):
        snapshot = read_snapshot(git, rev, PATTERNS, max_bytes=200)
        assert sorted(snapshot.texts) == ["schemas/a.avsc", "schemas/inside.avsc"], rev
        assert snapshot.texts["schemas/inside.avsc"] == SCHEMA, "an in-repo symlink is followed"
        rules = {path: r.rule for path, r in snapshot.refused.items()}
        assert rules == {
            "schemas/absolute.avsc": "cannot-follow-symlink",
            "schemas/relative.avsc": "cannot-follow-symlink",
            "schemas/big.avsc": "cannot-read-schema",
            "schemas/binary.avsc": "cannot-read-schema",
            "schemas/latin1.avsc": "cannot-read-schema",
        }, rev
        assert (
            "over the cap of 200 bytes (schemas.max_file_bytes)"
            in snapshot.refused["schemas/big.avsc"].message
        )
        assert "binary" in snapshot.refused["schemas/binary.avsc"].message
        assert "UTF-8" in snapshot.refused["schemas/latin1.avsc"].message


def test_snapshot_limit_is_configurable(repo: Repo) -> None:
    _tricky_repo(repo)
    snapshot = read_snapshot(GitRepo(repo.root), repo.commit("c"), ["schemas/big.avsc"], max_bytes=10_000)
    assert list(snapshot.texts) == ["schemas/big.avsc"] and not snapshot.refused


def test_link_target_stays_inside_or_is_refused() -> None:
    assert link_target("a/b.avsc", "c.avsc") == "a/c.avsc"
    assert link_target("a/b.avsc", "../c.avsc") == "c.avsc"
    assert link_target("a/b.avsc", "../../c.avsc") is None
    assert link_target("a/b.avsc", "/etc/passwd") is None
    assert link_target("b.avsc", "..") is None


def test_history_versions_newest_first_across_a_rename_without_duplicates(repo: Repo) -> None:
    v1 = repo.commit("v1", {"old.avsc": SCHEMA})
    repo.commit("v2", {"old.avsc": SCHEMA.replace('"A"', '"B"')})
    v3 = repo.commit("v3 = v1 again", {"old.avsc": SCHEMA})
    (repo.root / "new").mkdir()
    repo.git("mv", "old.avsc", "new/a.avsc")
    renamed = repo.commit("rename")
    versions = read_history(GitRepo(repo.root), renamed, "new/a.avsc", max_bytes=10_000)
    assert [(v.commit, v.path) for v in versions] == [
        (renamed, "new/a.avsc"),
        (versions[1].commit, "old.avsc"),
    ]
    assert versions[1].text == SCHEMA.replace('"A"', '"B"')
    assert v1 != v3  # the revert repeated v1's content: it is listed once, at its newest commit
