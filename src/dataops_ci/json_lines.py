"""Find the line of a JSON pointer in a document's text, without a second JSON parser dependency.

A foundation (stdlib only), like `located_yaml`: Avro schemas and GX suites are both JSON, and the suite lint
hook must not import the Avro engine to say on which line a key is.

Built lazily (only when a finding needs a line): one regex pass over the text records where each value
starts; an object member is located at its key, which is where a reader looks for it.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re

Pointer = tuple[str | int, ...]  # keys and list indexes from the document's root

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.DOTALL)


class LineLocator:
    def __init__(self, text: str) -> None:
        self._text = text
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self._offsets: dict[Pointer, int] = {}
        self._tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(text)]
        self._pos = 0
        with contextlib.suppress(
            IndexError, ValueError, RecursionError
        ):  # malformed text: keep what was located so far
            self._value(())

    def line_of(self, pointer: Pointer) -> int | None:
        """1-based line of the value at ``pointer``, or of its closest located ancestor.

        An array element that is an object with a "name" (a field, or a named type in a union) is
        located at its name, which is the line a reader looks for."""
        if pointer and isinstance(pointer[-1], int) and (*pointer, "name") in self._offsets:
            return self.line_at(self._offsets[(*pointer, "name")])
        for cut in range(len(pointer), -1, -1):
            offset = self._offsets.get(pointer[:cut])
            if offset is not None:
                return self.line_at(offset)
        return None

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self._newlines, offset - 1) + 1

    def _value(self, pointer: Pointer) -> None:
        token, offset = self._tokens[self._pos]
        self._offsets.setdefault(pointer, offset)
        self._pos += 1
        if token == "{":
            self._object(pointer)
        elif token == "[":
            self._array(pointer)

    def _object(self, pointer: Pointer) -> None:
        while self._tokens[self._pos][0] != "}":
            key_token, key_offset = self._tokens[self._pos]
            key = json.loads(key_token)
            self._offsets[(*pointer, key)] = key_offset
            self._pos += 2  # the key and the colon
            self._value((*pointer, key))
            if self._tokens[self._pos][0] == ",":
                self._pos += 1
        self._pos += 1

    def _array(self, pointer: Pointer) -> None:
        index = 0
        while self._tokens[self._pos][0] != "]":
            self._value((*pointer, index))
            index += 1
            if self._tokens[self._pos][0] == ",":
                self._pos += 1
        self._pos += 1
