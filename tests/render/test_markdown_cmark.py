"""The comment rendered by cmark-gfm, GitHub's own Markdown implementation, with GitHub's extensions.

`--unsafe` keeps raw HTML the way GitHub does before its sanitiser, so these tests see our `<details>` and
would also see any tag that hostile text managed to smuggle in.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

import pytest

from dataops_ci.render.markdown import render
from dataops_ci.report import Report
from tests.render import sample_reports as samples

CMARK = shutil.which("cmark-gfm")
pytestmark = pytest.mark.skipif(
    CMARK is None, reason="cmark-gfm not installed (apt-get install cmark-gfm; scripts/test does it)"
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


def comment(report: Report) -> str:
    return render(replace(report, teams=samples.TEAMS), marker_key="data-ci:checks", run_url=samples.RUN_URL)


def sections_of(report: Report) -> int:
    return sum(1 for c in report.checks if c.findings and c.status != "skipped")


@pytest.mark.parametrize("name", ["failing", "passing", "many_findings", "hostile"])
def test_structure_comes_out_as_intended(name: str) -> None:
    report = getattr(samples, name)()
    html = to_html(comment(report))
    tags = [t for t, _ in html.tags]
    assert set(tags) <= ALLOWED_TAGS, set(tags) - ALLOWED_TAGS
    assert not html.unbalanced and not html.stack, (html.unbalanced, html.stack)
    assert html.tables[0] == [4] * (1 + len(report.checks))  # a header and one row per check, 4 cells each
    assert all(len(set(rows)) == 1 for rows in html.tables)  # no cell split off or merged by a stray |
    assert tags.count("details") == tags.count("summary") == sections_of(report)
    assert [c for c in html.comments if "dataops-ci" in c] == [
        " dataops-ci:summary key=data-ci:checks ",
        f" dataops-ci:head-sha={samples.HEAD} ",
    ]
    assert (samples.RUN_URL, "workflow run") in html.links


def test_details_summary_names_the_check() -> None:
    html = to_html(comment(samples.failing()))
    text = "".join(html.prose)
    for check in samples.failing().checks:
        assert f"{check.name}: {check.summary}" in text


def test_hostile_text_gives_no_tags_mentions_references_or_disguised_links() -> None:
    html = to_html(comment(samples.hostile()))
    prose = "".join(html.prose)
    assert [prose[m.start() : m.start() + 15] for m in MENTION.finditer(prose)] == ["@acme/marketing"]
    assert not REFERENCE.search(prose), REFERENCE.findall(prose)
    assert "<script>" in prose  # shown as text, not a tag
    assert all(t not in ("script", "img", "iframe") for t, _ in html.tags)
    # Autolinked URLs show their own address; only our run link has other text.
    for href, text in html.links:
        assert href == text or (href, text) == (samples.RUN_URL, "workflow run"), (href, text)


def test_trimmed_comment_keeps_its_structure() -> None:
    report = samples.many_findings(300)
    markdown = render(report, marker_key="k", max_chars=20_000)
    html = to_html(markdown)
    assert not html.unbalanced and not html.stack
    assert [t for t, _ in html.tags].count("details") == 2
    assert "left out to fit the size limit" in "".join(html.prose)
