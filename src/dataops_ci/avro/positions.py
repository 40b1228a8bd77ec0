"""Where the walkers are: the readable path and a JSON pointer into each of the old and new documents.

A pointer follows the walk while the walk stays inside its own file. A named type defined in another
file of the revision has no place in this document, so the pointer stays at the reference to it.
"""

from __future__ import annotations

from dataops_ci.avro.issues import Pointer
from dataops_ci.avro.model import Named, Node


class Where:
    __slots__ = ("path", "old", "new", "old_file", "new_file", "old_here", "new_here")

    def __init__(
        self, path: str, old: Pointer, new: Pointer, files: tuple[str, str], here: tuple[bool, bool]
    ) -> None:
        self.path = path
        self.old, self.new = old, new
        self.old_file, self.new_file = files
        self.old_here, self.new_here = here  # False: the walk is in another file, pointer is frozen

    @classmethod
    def root(cls, old_file: str, new_file: str, path: str) -> Where:
        return cls(path, (), (), (old_file, new_file), (True, True))

    def child(self, suffix: str, old_segments: Pointer, new_segments: Pointer) -> Where:
        old = (*self.old, *old_segments) if self.old_here else self.old
        new = (*self.new, *new_segments) if self.new_here else self.new
        return Where(
            self.path + suffix, old, new, (self.old_file, self.new_file), (self.old_here, self.new_here)
        )

    def enter(self, old: Node, new: Node) -> Where:
        """Jump to the definitions of named types when they live in the documents being compared."""
        old_ptr, old_here = self._jump(old, self.old, self.old_here, self.old_file)
        new_ptr, new_here = self._jump(new, self.new, self.new_here, self.new_file)
        return Where(self.path, old_ptr, new_ptr, (self.old_file, self.new_file), (old_here, new_here))

    def field(self, name: str, old_ptr: Pointer | None, new_ptr: Pointer | None) -> Where:
        """Into a record field; the field pointers are absolute in the record's defining file."""
        old = old_ptr if self.old_here and old_ptr is not None else self.old
        new = new_ptr if self.new_here and new_ptr is not None else self.new
        return Where(
            f"{self.path}.{name}", old, new, (self.old_file, self.new_file), (self.old_here, self.new_here)
        )

    @staticmethod
    def _jump(node: Node, pointer: Pointer, here: bool, file: str) -> tuple[Pointer, bool]:
        if not isinstance(node, Named):
            return pointer, here
        if node.file == file:
            return node.pointer, True
        return pointer, False
