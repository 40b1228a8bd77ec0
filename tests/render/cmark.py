"""Markdown rendered by cmark-gfm, GitHub's own Markdown implementation, with GitHub's extensions, and the
HTML it gives taken apart: tags, nesting, prose outside code, comments, table cells, links.

`--unsafe` keeps raw HTML the way GitHub does before its sanitiser, so tests see our `<details>` and would
also see any tag that hostile text managed to smuggle in.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

CMARK = shutil.which("cmark-gfm")
# Skipped where cmark-gfm is missing, except in CI (CI=true), which must have it: scripts/setup-system.
needs_cmark = pytest.mark.skipif(
    CMARK is None and os.environ.get("CI") != "true",
    reason="cmark-gfm not installed (apt-get install cmark-gfm; scripts/test does it)",
)

ALLOWED_TAGS = {
    "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "b", "strong", "em",
    "code", "pre", "ul", "li", "a", "hr", "sub", "blockquote", "br",
}  # fmt: skip
VOID_TAGS = {"hr", "br"}
MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")
REFERENCE = re.compile(r"(?<!\w)#\d|\bGH-\d", re.IGNORECASE)


@dataclass
class Html(HTMLParser):
    """Tags, nesting, text (and whether it is inside code) and comments of the rendered HTML."""

    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    tables: list[list[int]] = field(default_factory=list)  # cells of each row, per table
    links: list[tuple[str | None, str]] = field(default_factory=list)
    unbalanced: list[str] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self.tables[-1].append(0)
        if tag in ("td", "th"):
            self.tables[-1][-1] += 1
        if tag == "a":
            self.links.append((dict(attrs).get("href"), ""))
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))  # <br />, <hr />: nothing to close

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced.append(tag)
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "a" in self.stack and self.links:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)
        if "code" not in self.stack and "pre" not in self.stack:
            self.prose.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def to_html(markdown: str) -> Html:
    assert CMARK is not None
    proc = subprocess.run(
        [CMARK, "-e", "table", "-e", "autolink", "-e", "strikethrough", "--unsafe"],
        input=markdown.encode(),
        capture_output=True,
        check=True,
        timeout=60,
    )
    html = Html()
    html.feed(proc.stdout.decode())
    html.close()
    return html
