"""The input caps on a local dataset, checked before pandas reads it: bytes on disk
(`expectations.max_data_bytes`) and, for formats with a header, columns (`expectations.max_columns`).

The column count of a CSV/TSV header is streamed and stops at the cap, so a file of ten million columns
costs a few kilobytes to refuse instead of gigabytes to parse. Imports no pandas; pyarrow only for Parquet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dataops_ci.config import ExpectationsConfig
from dataops_ci.limits import Cap, Overrun, disk_size

CHUNK_BYTES = 1 << 16


def over_cap(
    name: str, path: Path, fmt: str, options: dict[str, Any], limits: ExpectationsConfig
) -> Overrun | None:
    """Why the dataset `name` (on disk at `path`, in `fmt`) must not be read, or None."""
    over = Cap("expectations.max_data_bytes", limits.max_data_bytes).check(name, disk_size(path))
    if over is not None:
        return over
    columns = Cap("expectations.max_columns", limits.max_columns, "columns")
    if fmt in ("csv", "tsv") and not path.is_dir():
        sep = str(options.get("sep") or options.get("delimiter") or ("\t" if fmt == "tsv" else ","))
        if len(sep) != 1:  # a regex separator: pandas' python engine; no cheap count
            return None
        quote = str(options.get("quotechar") or '"')
        found, stopped = header_fields(path, sep.encode(), quote.encode()[:1], columns.limit)
        return columns.check(f"the header of {name}", found, at_least=stopped)
    if fmt == "parquet":
        return columns.check(name, parquet_columns(path))
    return None


def header_fields(path: Path, sep: bytes, quote: bytes, stop_after: int) -> tuple[int, bool]:
    """Fields in the first record of a delimited file (quoted separators and newlines not counted), and
    whether counting stopped early because there were more than `stop_after`."""
    count, in_quotes = 1, False
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            if not in_quotes and quote not in chunk:  # the common case: no quoting in this chunk
                end = chunk.find(b"\n")
                count += chunk.count(sep, 0, end if end >= 0 else len(chunk))
                if end >= 0 or count > stop_after:
                    return min(count, stop_after + 1), count > stop_after
                continue
            for byte in chunk:
                char = bytes((byte,))
                if char == quote:
                    in_quotes = not in_quotes
                elif not in_quotes and char == sep:
                    count += 1
                    if count > stop_after:
                        return count, True
                elif not in_quotes and char == b"\n":
                    return count, False
    return count, False


def parquet_columns(path: Path) -> int:
    """Columns of a Parquet file (or of the first file of a partitioned directory), from its footer."""
    import pyarrow.parquet as pq

    first = next(iter(sorted(path.rglob("*.parquet"))), None) if path.is_dir() else path
    if first is None:
        return 0
    try:
        return int(pq.read_metadata(first).num_columns)
    except Exception:  # noqa: BLE001 - not Parquet: the reader says so with its own message
        return 0
