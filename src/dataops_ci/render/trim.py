"""Fitting a comment under a size limit: the header and the table stay, details go longest-first.

A document is a head (verdict, table, who should look), detail sections (one collapsible block per check,
its items ordered most important first) and a foot. While the whole is too long, the last item of the
currently longest section is dropped and the section says how many it left out and where to find them.
Lengths are tracked arithmetically, so trimming 10,000 findings costs no more than rendering them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ITEM_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Item:
    text: str
    findings: int = 1  # how many findings the item shows, for the "N left out" note


@dataclass
class Section:
    opening: str  # "<details>\n<summary>…</summary>"
    items: list[Item] = field(default_factory=list)
    closing: str = "</details>"
    noun: str = "finding"
    left_out: int = 0
    _chars: int = -1
    _bytes: int = -1

    def note(self, where: str) -> str:
        if not self.left_out:
            return ""
        plural = "" if self.left_out == 1 else "s"
        return f"_… {self.left_out} more {self.noun}{plural} left out to fit the size limit: see {where}._"

    def text(self, where: str) -> str:
        blocks = [self.opening, *(i.text for i in self.items)]
        if self.left_out:
            blocks.append(self.note(where))
        blocks.append(self.closing)
        return ITEM_SEPARATOR.join(blocks)

    def size(self, where: str) -> tuple[int, int]:
        """(characters, UTF-8 bytes) of text(where), from cached item sums."""
        if self._chars < 0:
            self._chars = sum(len(i.text) + len(ITEM_SEPARATOR) for i in self.items)
            self._bytes = sum(len(i.text.encode()) + len(ITEM_SEPARATOR) for i in self.items)
        fixed = ITEM_SEPARATOR.join([self.opening, self.closing])
        note = self.note(where)
        note_chars = len(note) + len(ITEM_SEPARATOR) if note else 0
        note_bytes = len(note.encode()) + len(ITEM_SEPARATOR) if note else 0
        return len(fixed) + self._chars + note_chars, len(fixed.encode()) + self._bytes + note_bytes

    def drop_last(self) -> None:
        item = self.items.pop()
        self.left_out += item.findings
        self._chars -= len(item.text) + len(ITEM_SEPARATOR)
        self._bytes -= len(item.text.encode()) + len(ITEM_SEPARATOR)


@dataclass(frozen=True)
class Limit:
    max_chars: int | None = 65_536
    max_bytes: int | None = None

    def allows(self, chars: int, nbytes: int) -> bool:
        return (self.max_chars is None or chars <= self.max_chars) and (
            self.max_bytes is None or nbytes <= self.max_bytes
        )


BLOCK_SEPARATOR = "\n\n"


def _total(head: str, sections: list[Section], foot: str, where: str) -> tuple[int, int]:
    parts = [head, foot]
    chars = sum(len(p) for p in parts) + len(BLOCK_SEPARATOR) * (len(sections) + 1)
    nbytes = sum(len(p.encode()) for p in parts) + len(BLOCK_SEPARATOR) * (len(sections) + 1)
    for section in sections:
        c, b = section.size(where)
        chars, nbytes = chars + c, nbytes + b
    return chars + 1, nbytes + 1  # the final newline


def _join(head: str, sections: list[Section], foot: str, where: str) -> str:
    return BLOCK_SEPARATOR.join([head, *(s.text(where) for s in sections), foot]) + "\n"


def fit(head: str, sections: list[Section], foot: str, limit: Limit, where: str, trimmed_note: str) -> str:
    """The document, with details dropped longest-first until it fits; `trimmed_note` goes under the head."""
    if limit.allows(*_total(head, sections, foot, where)):
        return _join(head, sections, foot, where)
    noted = f"{head}\n\n{trimmed_note}"
    while not limit.allows(*_total(noted, sections, foot, where)):
        candidates = [s for s in sections if s.items]
        if not candidates:
            break
        max(candidates, key=lambda s: s.size(where)[0]).drop_last()
    else:
        return _join(noted, sections, foot, where)
    # Even the bare sections are too long (a huge head, a tiny limit): the note and the foot are kept
    # whole, and as many whole lines of the head (the marker lines first) as fit before them.
    tail = _join(trimmed_note, [], foot, where)
    room = Limit(
        None if limit.max_chars is None else limit.max_chars - len(tail),
        None if limit.max_bytes is None else limit.max_bytes - len(tail.encode()),
    )
    if (room.max_chars or 0) < 0 or (room.max_bytes or 0) < 0:
        # A limit too small even for note and foot (never GitHub's): whole lines from the top.
        return _cut(_join(noted, [], foot, where), limit)
    return _cut(head + BLOCK_SEPARATOR, room) + tail


def _cut(text: str, limit: Limit) -> str:
    """Whole lines of `text` that fit, for limits too small for anything else."""
    kept: list[str] = []
    chars = nbytes = 0
    for line in text.splitlines(keepends=True):
        if not limit.allows(chars + len(line), nbytes + len(line.encode())):
            break
        kept.append(line)
        chars, nbytes = chars + len(line), nbytes + len(line.encode())
    return "".join(kept)
