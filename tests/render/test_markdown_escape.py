"""Escaping of untrusted text: each function against the attacks it exists for."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from dataops_ci.render.escape import ZWJ, ZWJ_ENTITY, clean, code, code_block, html_text, md_text


def test_md_text_neutralises_html_mentions_references_and_markup() -> None:
    assert md_text("<b>hi</b> & co") == "&lt;b&gt;hi&lt;/b&gt; &amp; co"
    assert md_text("ping @org/team and @user") == f"ping @{ZWJ_ENTITY}org/team and @{ZWJ_ENTITY}user"
    assert md_text("fixes #12, GH-3, acme/x#4") == (
        f"fixes #{ZWJ_ENTITY}12, GH-{ZWJ_ENTITY}3, acme/x#{ZWJ_ENTITY}4"
    )
    assert md_text("a|b *c* _d_ [e](f) `g` ~h~ $x$ \\") == (
        "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` \\~h\\~ \\$x\\$ \\\\"
    )
    assert md_text("line1\nline2\r\nline3") == "line1 line2 line3"


def test_email_addresses_and_plain_hashes_stay_readable() -> None:
    assert md_text("issue#1a") == f"issue#{ZWJ_ENTITY}1a"
    assert md_text("#no-number") == "#no-number"
    assert md_text("a@b") == f"a@{ZWJ_ENTITY}b"


def test_entities_in_the_input_are_shown_not_decoded() -> None:
    assert md_text("&#64;user &lt;") == f"&amp;#{ZWJ_ENTITY}64;user &amp;lt;"


def test_html_text_for_summary_lines() -> None:
    assert html_text('<img src=x onerror="a()"> @x') == (
        f"&lt;img src=x onerror=&quot;a()&quot;&gt; @{ZWJ_ENTITY}x"
    )


def test_invisible_controls_and_direction_overrides_are_replaced() -> None:
    assert clean("a\u202eb\x00c\td") == "a\ufffdb\ufffdc\td"


def test_shortening_marks_the_cut() -> None:
    assert clean("abcdef", 4) == "abc…"
    assert md_text("x" * 10, 5) == "xxxx…"


def test_code_span_survives_backticks_pipes_and_spaces() -> None:
    assert code("a`b") == "``a`b``"
    assert code("`edge`") == "`` `edge` ``"
    assert code(" padded ") == "`  padded  `"
    assert code("a|b", in_table=True) == "`a\\|b`"
    assert code("a|b") == "`a|b`"
    assert code("") == "*(empty)*"


def test_code_breaks_a_copy_of_our_marker() -> None:
    assert code("<!-- dataops-ci:summary key=x -->") == f"`<{ZWJ}!-- dataops-ci:summary key=x -->`"
    assert "<!--" not in code_block("x\n<!-- dataops-ci:head-sha=abc -->")


def test_code_block_fence_is_longer_than_any_backtick_run() -> None:
    block = code_block("before\n`````\nafter")
    assert block.startswith("``````\n") and block.endswith("\n``````")
    assert code_block("plain").startswith("```\n")


@given(st.text())
def test_md_text_output_has_no_raw_html_or_links(text: str) -> None:
    out = md_text(text)
    assert "<" not in out and ">" not in out and "\n" not in out
    assert not re.search(r"(?<![\w`])@[A-Za-z0-9]", out)
    assert not re.search(r"(?<!&)#\d", out)


@given(st.text())
def test_code_span_is_one_span_whatever_the_text(text: str) -> None:
    span = code(text, None)
    if span == "*(empty)*":
        assert text == ""
        return
    fence = re.match(r"`+", span)
    assert fence is not None
    inner = span[len(fence.group()) : -len(fence.group())]
    assert span.endswith(fence.group())
    assert fence.group() not in re.findall(r"`+", inner)  # no run of the same length: nothing closes early
