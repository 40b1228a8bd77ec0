"""Bad inputs made at test time: big files are sparse or streamed from a generator, never committed.

Each maker takes the repository root and the keys of one `make:` entry of a case's expected.yml.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

CHUNK = 1 << 20


def _target(root: Path, spec: dict[str, Any]) -> Path:
    path = root / spec["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def sparse(root: Path, spec: dict[str, Any]) -> None:
    """`head` (text), then a hole up to `size` bytes: gigabytes on disk in no time and no space."""
    path = _target(root, spec)
    with path.open("wb") as out:
        out.write(spec.get("head", "").encode("utf-8"))
        out.truncate(int(spec["size"]))


def _write_chunks(path: Path, chunks: Iterator[bytes]) -> None:
    with path.open("wb") as out:
        buffer = bytearray()
        for chunk in chunks:
            buffer += chunk
            if len(buffer) >= CHUNK:
                out.write(buffer)
                buffer.clear()
        out.write(buffer)


def wide_csv(root: Path, spec: dict[str, Any]) -> None:
    """A CSV whose header has `columns` columns, and one row."""
    columns = int(spec["columns"])

    def rows() -> Iterator[bytes]:
        yield b",".join(b"c%d" % i for i in range(columns)) + b"\n"
        yield b",".join(b"1" for _ in range(columns)) + b"\n"

    _write_chunks(_target(root, spec), rows())


def nested(root: Path, spec: dict[str, Any]) -> None:
    """`head`, then `depth` levels of flow nesting: `[[[...]]]`, or `{"a": {"a": ...}}` (style: mapping)."""
    depth = int(spec["depth"])
    if spec.get("style") == "mapping":
        body = '{"a": ' * depth + "1" + "}" * depth
    else:
        body = "[" * depth + "1" + "]" * depth
    _target(root, spec).write_text(spec.get("head", "") + body + spec.get("tail", "\n"), encoding="utf-8")


def block_nested(root: Path, spec: dict[str, Any]) -> None:
    """`head`, then `depth` levels of block-style mappings, one indentation step each."""
    depth = int(spec["depth"])
    lines = "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v\n"
    _target(root, spec).write_text(spec.get("head", "") + lines, encoding="utf-8")


def raw(root: Path, spec: dict[str, Any]) -> None:
    """Exact bytes: `text` encoded with `encoding` (default UTF-8, `utf-16` writes a BOM), or `hex`."""
    data = bytes.fromhex(spec["hex"]) if "hex" in spec else spec["text"].encode(spec.get("encoding", "utf-8"))
    _target(root, spec).write_bytes(data)


def binary(root: Path, spec: dict[str, Any]) -> None:
    """`size` bytes of every byte value over and over (NULs, invalid UTF-8, control characters)."""
    size = int(spec["size"])
    block = bytes(range(256))
    _target(root, spec).write_bytes((block * (size // 256 + 1))[:size])


def symlink(root: Path, spec: dict[str, Any]) -> None:
    """A symlink at `path` pointing at `to` (relative, so a pair can point at each other)."""
    path = _target(root, spec)
    path.unlink(missing_ok=True)
    os.symlink(spec["to"], path)


MAKERS: dict[str, Callable[[Path, dict[str, Any]], None]] = {
    "sparse": sparse,
    "wide_csv": wide_csv,
    "nested": nested,
    "block_nested": block_nested,
    "raw": raw,
    "binary": binary,
    "symlink": symlink,
}


def make_all(root: Path, specs: list[dict[str, Any]]) -> None:
    for spec in specs:
        MAKERS[spec["kind"]](root, spec)
