"""`dataops-ci docs` on a real git repository: a page per schema with its fields and its history in git
(each version's verdict under the file's mode), per pipeline and per suite, and every value from the
repository escaped (a hostile doc string stays text)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from tests.conftest import Repo
from tests.publish.conftest import build, customer


def page(out: Path, folder: str) -> str:
    [path] = (out / folder).glob("*.html")
    return path.read_text(encoding="utf-8")


def test_a_schema_page_lists_fields_and_the_verdict_of_every_version(
    documented: Repo, tmp_path: Path
) -> None:
    assert build(documented, tmp_path / "site") == 0
    html = page(tmp_path / "site", "schemas")
    for name in ("id", "email", "signup", "tier"):
        assert f'<code class="field-name">{name}</code>' in html
    assert "<code>null | string</code>" in html and "<td>date</td>" in html  # union, logical type
    assert "<code>null</code>" in html  # email's default
    verdicts = re.findall(r'<tr class="verdict-([\w-]+)">', html)
    assert verdicts == ["breaking", "compatible", "compatible", "first-version"]  # newest first
    assert 'field "tier" was added without a default' in unescape(html)
    assert "add tier without a default" in html  # the commit subject


def test_pipeline_and_suite_pages_say_what_is_checked_in_words(documented: Repo, tmp_path: Path) -> None:
    assert build(documented, tmp_path / "site") == 0
    pipeline = page(tmp_path / "site", "pipelines")
    assert "<dd>data_team</dd>" in pipeline and "0 6 * * *" in pipeline
    assert "id, email filled in (90% of rows)" in pipeline
    assert "signup at most 24 hours old" in pipeline
    assert re.search(r'<a href="\.\./schemas/schemas-customer\.avsc-[0-9a-f]{8}\.html">', pipeline)
    suite = page(tmp_path / "site", "suites")
    assert "email is filled in (at least 95% of rows)" in suite
    assert "id is at least 1 (every row)" in suite and "<td>warning</td>" in suite


def test_nothing_from_the_repository_becomes_markup(documented: Repo, tmp_path: Path) -> None:
    assert build(documented, tmp_path / "site") == 0
    for html_file in (tmp_path / "site").rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img" not in html, html_file
        assert "\u202e" not in html  # the bidi override is made visible
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page(tmp_path / "site", "schemas")
    index = (tmp_path / "site" / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in index and "\\u003cscript\\u003e" in index


def test_the_latest_quality_score_comes_from_a_report(documented: Repo, tmp_path: Path) -> None:
    report = {
        "schema_version": 1, "tool": {"name": "dataops-ci", "version": "1.0.0"},
        "base": None, "head": "WORKTREE",
        "status": "passed", "quality_score": 0.5, "duration_s": 1.0,
        "checks": [{"name": "pipelines", "status": "passed", "summary": "", "duration_s": 0.1, "metrics": {},
                    "data": {"pipelines": [{"file": "pipelines/customers.yml", "evaluated": 8, "passed": 6}]},
                    "findings": []}],
    }  # fmt: skip
    (tmp_path / "report.json").write_text(json.dumps(report), encoding="utf-8")
    assert build(documented, tmp_path / "site", "--report", str(tmp_path / "report.json")) == 0
    assert '<dd class="score">75.0% (6 of 8)</dd>' in page(tmp_path / "site", "pipelines")


def test_an_unreadable_report_is_a_usage_error(documented: Repo, tmp_path: Path) -> None:
    (tmp_path / "report.json").write_text("{not json", encoding="utf-8")
    assert build(documented, tmp_path / "site", "--report", str(tmp_path / "report.json")) == 2


def test_a_schema_that_links_outside_the_repository_is_not_documented(
    documented: Repo, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.avsc"
    outside.write_text(customer(doc="SECRET-CONTENT"), encoding="utf-8")
    (documented.root / "schemas" / "leak.avsc").symlink_to(outside)
    assert build(documented, tmp_path / "site") == 0
    site = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.*"))
    assert "SECRET-CONTENT" not in site
    assert "schemas/leak.avsc: not documented, cannot be read inside the repository" in site


def test_pages_of_removed_files_do_not_linger(documented: Repo, tmp_path: Path) -> None:
    assert build(documented, tmp_path / "site") == 0
    documented.remove("pipelines/customers.yml")
    assert build(documented, tmp_path / "site") == 0
    assert not list((tmp_path / "site" / "pipelines").glob("*.html"))
