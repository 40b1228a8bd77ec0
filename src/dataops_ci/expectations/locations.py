"""Where a data source may point — one rule for every engine (pandas, Spark, and pipelines' datasets):
a path inside the repository (its real path, symlinks resolved), or a URL whose scheme the user allowed
in `expectations.allowed_url_schemes` (`s3a`, `abfss`, `gs`, `hdfs` ...). Anything else — `file:///etc/passwd`,
`/etc/passwd`, `../..`, a symlink out of the repository — is refused before any engine opens it: the
config that names the data is part of the pull request. Spark opens an allowed URL itself; pandas gets it
through fsspec (`fetched`), copied to a temporary file once its size is known to be under the data cap.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from dataops_ci.expectations.errors import DataLoadError
from dataops_ci.git import inside_repo
from dataops_ci.limits import Cap

if TYPE_CHECKING:  # pydantic: not imported for an annotation (the pipeline-lint hook reads these modules)
    from dataops_ci.config import DataSource

# A URL scheme as RFC 3986 spells it; one letter would be a Windows drive, which is a path.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


def url_scheme(path: str) -> str | None:
    """The URL scheme `path` starts with (lower case), or None for a plain path."""
    match = _SCHEME.match(path)
    return match.group(1).lower() if match else None


def resolve_local(source: DataSource, root: Path) -> Path:
    """The file or directory on disk, refusing paths that leave the repository."""
    if not source.path:
        raise DataLoadError("the data source has no 'path'", hint="set data: <path> or data: {path: ...}")
    if url_scheme(source.path) is not None or not inside_repo(root, source.path):
        raise DataLoadError(
            f"{source.path}: path is outside the repository",
            hint="use a path inside the repo (a URL needs its scheme in expectations.allowed_url_schemes)",
        )
    path = (root / source.path).resolve()
    if not path.exists():
        raise DataLoadError(
            f"{source.path}: data file not found", hint="commit the data file or fix the path", missing=True
        )
    return path


def resolve_location(source: DataSource, root: Path, allowed_schemes: Collection[str]) -> str:
    """A local path inside the repository, or the URL itself when its scheme is allowed."""
    scheme = url_scheme(source.path or "")
    if scheme is None:
        return str(resolve_local(source, root))
    if scheme not in {s.lower() for s in allowed_schemes}:
        allowed = ", ".join(sorted(allowed_schemes)) or "none"
        raise DataLoadError(
            f"{source.path}: the URL scheme '{scheme}' is not allowed (allowed: {allowed})",
            hint=f"add '{scheme}' to expectations.allowed_url_schemes if this data may be read from there",
        )
    return source.path or ""


@contextmanager
def fetched(source: DataSource, url: str, max_bytes: int) -> Iterator[Path]:
    """The file (or directory) at an allowed `url`, copied by fsspec into a temporary directory; refused
    before copying when it is over `expectations.max_data_bytes`."""
    try:
        import fsspec
    except ImportError:
        raise DataLoadError(
            f"{source.path}: the pandas engine reads URLs through fsspec, which is not installed",
            hint="install dataops-ci[remote] and its filesystem (s3fs, gcsfs, adlfs), or use engine: spark",
        ) from None
    try:
        fs, remote = fsspec.core.url_to_fs(url)
        size = int(fs.du(remote, total=True)) if fs.isdir(remote) else int(fs.size(remote))
    except Exception as exc:  # noqa: BLE001 - missing object, no credentials, unknown filesystem
        raise DataLoadError(f"{source.path}: cannot reach it: {type(exc).__name__}: {exc}"[:300]) from None
    over = Cap("expectations.max_data_bytes", max_bytes).check(source.path or url, size)
    if over is not None:
        raise DataLoadError(over.message, hint=over.hint)
    with tempfile.TemporaryDirectory(prefix="dataops-ci-data-") as tmp:
        local = Path(tmp) / (PurePosixPath(remote.rstrip("/")).name or "data")
        try:
            fs.get(remote, str(local), recursive=fs.isdir(remote))
        except Exception as exc:  # noqa: BLE001
            raise DataLoadError(f"{source.path}: cannot copy it: {type(exc).__name__}: {exc}"[:300]) from None
        yield local
