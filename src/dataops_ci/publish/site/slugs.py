"""File names for pages: a repository path becomes a safe, stable, unique file name inside the site."""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug_for(path: str) -> str:
    """`schemas/customer.avsc` -> `schemas-customer.avsc-1a2b3c4d`: readable, only [A-Za-z0-9._-], never
    `..`, and unique (a hash of the exact path, so `a/b` and `a-b` do not collide)."""
    readable = _UNSAFE.sub("-", path).strip(".-")[:80] or "page"
    digest = hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{readable.replace('..', '.')}-{digest}"
