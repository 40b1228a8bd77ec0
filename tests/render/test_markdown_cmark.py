"""The comment rendered by cmark-gfm, GitHub's own Markdown implementation, with GitHub's extensions.

`--unsafe` keeps raw HTML the way GitHub does before its sanitiser, so these tests see our `<details>` and
would also see any tag that hostile text managed to smuggle in.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from dataops_ci.render.markdown import render
from dataops_ci.report import Report
from tests.render import sample_reports as samples
from tests.render.cmark import ALLOWED_TAGS, MENTION, REFERENCE, needs_cmark, to_html

pytestmark = needs_cmark


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
