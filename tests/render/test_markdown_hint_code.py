"""Backticked parts of fix hints (`sqlfluff fix x.sql`) become code spans; nothing else becomes markup."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dataops_ci.render.escape import md_text_with_code
from dataops_ci.render.md_common import hint_text
from dataops_ci.report import Finding

CMARK = shutil.which("cmark-gfm")


def cmark(markdown: str) -> str:
    assert CMARK is not None
    args = [CMARK, "-e", "table", "-e", "autolink", "-e", "strikethrough", "--unsafe"]
    return subprocess.run(args, input=markdown, capture_output=True, text=True, check=True, timeout=60).stdout


def test_backticked_command_becomes_a_code_span_and_the_rest_stays_literal() -> None:
    text = md_text_with_code("`sqlfluff fix models/a_b.sql` can fix *this*")
    assert text == r"`sqlfluff fix models/a_b.sql` can fix \*this\*"


def test_unpaired_or_hostile_backticks_stay_literal_text() -> None:
    assert md_text_with_code("it's a ` stray tick") == r"it's a \` stray tick"
    # In a code span `<` and `@` show as written: GitHub neither parses tags nor links mentions there.
    out = md_text_with_code("`<img src=x>` then <b>@someone</b>")
    assert out == "`<img src=x>` then &lt;b&gt;@&#8205;someone&lt;/b&gt;"


@pytest.mark.skipif(CMARK is None, reason="cmark-gfm not installed (apt-get install cmark-gfm)")
def test_hint_renders_as_code_in_cmark_gfm() -> None:
    finding = Finding("error", "sqlfluff-st06", "x", hint="`sqlfluff fix models/c.sql` can fix this")
    html = cmark("- item" + hint_text(finding))
    assert "<code>sqlfluff fix models/c.sql</code> can fix this" in html
    assert "`" not in html


@pytest.mark.skipif(CMARK is None, reason="cmark-gfm not installed (apt-get install cmark-gfm)")
@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("`ab <>@#1*_|\\&!-[]()"), max_size=40) | st.text(max_size=40))
def test_cmark_sees_only_the_item_and_code_and_no_mentions_outside_code(text: str) -> None:
    html = cmark("- item" + hint_text(Finding("error", "r", "m", hint=text)))
    assert set(re.findall(r"</?([a-z0-9]+)", html)) <= {"ul", "li", "br", "em", "code"}, html
    outside_code = re.sub(r"<code>.*?</code>", "", html)
    assert not re.search(r"(?<![\w`])@[A-Za-z0-9]", outside_code), html
