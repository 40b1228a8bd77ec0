"""The docs site in a real browser: headless Chromium loads it from disk (file://, no server), its search
runs and finds a field, every schema page renders its name, hostile text stays text in the DOM, and a
screenshot of a schema page can be taken (scripts/screenshot-site makes the one in docs/)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import Repo
from tests.publish.chromium import dump_dom, needs_chromium, screenshot
from tests.publish.conftest import build

pytestmark = needs_chromium


def test_search_finds_a_field_from_disk(documented: Repo, tmp_path: Path) -> None:
    assert build(documented, tmp_path / "site") == 0
    dom = dump_dom((tmp_path / "site" / "index.html").as_uri() + "?q=signup")
    assert '<section id="results">' in dom  # no longer hidden: the search script ran
    link = re.search(
        r'<li class="result result-field">.*?<a href="([^"]+)">com\.acme\.Customer\.signup</a>', dom
    )
    assert link, dom[-3000:]
    assert re.fullmatch(r"schemas/schemas-customer\.avsc-[0-9a-f]{8}\.html#f-0-2", link.group(1))
    assert "2 matches for" in dom  # the field, and the freshness check on it


def test_every_schema_page_renders_and_hostile_text_stays_text(documented: Repo, tmp_path: Path) -> None:
    documented.commit(
        "a second schema", {"schemas/order.avsc": '{"type": "record", "name": "Order", "fields": []}'}
    )
    assert build(documented, tmp_path / "site") == 0
    pages = sorted((tmp_path / "site" / "schemas").glob("*.html"))
    assert len(pages) == 2
    names = []
    for path in pages:
        dom = dump_dom(path.as_uri())
        names += re.findall(r'<h1 class="schema-name">([^<]+)</h1>', dom)
        # The serialised DOM escapes text, so an element here is one the browser built: only our scripts.
        elements = re.findall(r"<(?:img|script|iframe|object)\b[^>]*>", dom)
        assert elements == [
            '<script src="../assets/search-index.js"></script>'.removesuffix("</script>"),
            '<script src="../assets/search.js" data-root="../">',
        ]
        if "com.acme.Customer" in dom:
            assert "onerror=alert(2)&gt;" in dom  # the hostile doc is there, as text
    assert names == ["com.acme.Customer", "Order"]


def test_a_schema_page_screenshot(documented: Repo, tmp_path: Path) -> None:
    assert build(documented, tmp_path / "site") == 0
    [path] = (tmp_path / "site" / "schemas").glob("*.html")
    shot = screenshot(path.as_uri(), tmp_path / "schema.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
