"""Revisions taken from outside — the command line, a GitHub event payload, a report — before git sees them.

A revision that starts with `-` would be read by git as an option (`--upload-pack=<command>` runs a command
during a fetch), so every revision is validated here and, on top of that, passed after `--end-of-options`.
Accepted: a (possibly abbreviated) commit SHA, or a ref name by the rules of `git check-ref-format
--allow-onelevel`, optionally followed by `~N` / `^N` ancestry suffixes (`HEAD~1`, `origin/main^`).
"""

from __future__ import annotations

import re

from dataops_ci.git.plumbing import GitError

MAX_REVISION = 256
_SHA = re.compile(r"[0-9a-fA-F]{4,64}")
_ANCESTRY = re.compile(r"(?:[~^][0-9]{0,6})*\Z")
# What check-ref-format refuses anywhere in a name: controls, space, ~ ^ : ? * [ \ and DEL.
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]")


def is_sha(text: str) -> bool:
    return bool(_SHA.fullmatch(text))


def is_ref_name(name: str) -> bool:
    """`git check-ref-format --allow-onelevel <name>` would accept it, and it cannot be read as an option."""
    if not name or name == "@" or name.startswith(("-", "/")) or name.endswith(("/", ".")):
        return False
    if _FORBIDDEN.search(name) or ".." in name or "@{" in name or "//" in name:
        return False
    return all(not part.startswith(".") and not part.endswith(".lock") for part in name.split("/"))


def is_revision(text: str) -> bool:
    """A SHA or a ref name, with optional `~N` / `^N` suffixes."""
    if not isinstance(text, str) or not text or len(text) > MAX_REVISION:
        return False
    suffix = _ANCESTRY.search(text)
    name = text[: suffix.start()] if suffix else text
    return is_sha(name) or is_ref_name(name)


def checked_revision(text: str) -> str:
    """`text` when it is a revision, else GitError saying so (exit 2)."""
    if not is_revision(text):
        shown = repr(text[:80]) if isinstance(text, str) else type(text).__name__
        raise GitError(f"{shown} is not a git revision (a commit SHA or a ref name such as origin/main)")
    return text
