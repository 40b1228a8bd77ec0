"""Fitting under a size limit: longest section first, head kept, left-out counts, both limits exact."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dataops_ci.render.trim import Item, Limit, Section, _join, _total, fit

WHERE = "the report artifact"
NOTE = "> trimmed"


def section(name: str, sizes: list[int]) -> Section:
    return Section(
        f"<details>\n<summary>{name}</summary>",
        [Item(f"- {name}{i} " + "x" * n) for i, n in enumerate(sizes)],
    )


def test_fits_unchanged_when_small() -> None:
    text = fit("HEAD", [section("a", [5])], "FOOT", Limit(1000), WHERE, NOTE)
    assert text == "HEAD\n\n<details>\n<summary>a</summary>\n\n- a0 xxxxx\n\n</details>\n\nFOOT\n"


def test_the_longest_section_loses_items_first() -> None:
    long, short = section("long", [300] * 10), section("short", [50, 50])
    text = fit("HEAD", [long, short], "FOOT", Limit(2000), WHERE, NOTE)
    assert len(text) <= 2000
    assert short.left_out == 0 and "- short1" in text
    assert long.left_out > 0
    assert f"_… {long.left_out} more findings left out to fit the size limit: see {WHERE}._" in text
    assert text.startswith("HEAD\n\n> trimmed\n\n")
    assert text.endswith("FOOT\n")


def test_items_are_dropped_from_the_end() -> None:
    sec = section("s", [100] * 5)
    text = fit("H", [sec], "F", Limit(400), WHERE, NOTE)
    kept = [i for i in range(5) if f"- s{i} " in text]
    assert kept == list(range(len(kept)))


def test_byte_limit_counts_utf8() -> None:
    wide = Section("<details>", [Item("- " + "€" * 100) for _ in range(20)])
    text = fit("H", [wide], "F", Limit(max_chars=None, max_bytes=1000), WHERE, NOTE)
    assert len(text.encode()) <= 1000
    assert len(text) < 1000


def test_header_items_with_no_findings_are_not_counted() -> None:
    sec = Section("<details>", [Item("intro", findings=0), Item("x" * 500), Item("y" * 500, findings=3)])
    fit("H", [sec], "F", Limit(700), WHERE, NOTE)
    assert sec.left_out == 3


@given(
    st.lists(st.lists(st.integers(0, 400), max_size=30), max_size=6),
    st.integers(50, 20_000),
    st.text(max_size=200),
)
def test_never_over_the_limit(sizes: list[list[int]], limit: int, head: str) -> None:
    sections = [section(f"s{i}", s) for i, s in enumerate(sizes)]
    text = fit(head, sections, "FOOT", Limit(limit), WHERE, NOTE)
    assert len(text) <= limit


@given(st.lists(st.lists(st.text(max_size=50), max_size=8), max_size=4), st.integers(0, 30))
def test_tracked_size_is_the_rendered_size(texts: list[list[str]], left_out: int) -> None:
    sections = [Section("<details>", [Item(t) for t in items], left_out=left_out) for items in texts]
    text = _join("HEAD €", sections, "FOOT", WHERE)
    assert _total("HEAD €", sections, "FOOT", WHERE) == (len(text), len(text.encode()))
