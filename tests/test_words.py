"""Counted nouns and the quality score: one way to read them everywhere."""

from __future__ import annotations

import pytest

from dataops_ci.words import noun, percent, plural, points


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 files"), (1, "1 file"), (2, "2 files"), (1000, "1000 files")]
)
def test_plural(count: int, expected: str) -> None:
    assert plural(count, "file") == expected


def test_irregular_plural_and_bare_noun() -> None:
    assert plural(2, "entry", "entries") == "2 entries"
    assert noun(1, "is", "are") == "is" and noun(3, "is", "are") == "are"


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0.8661, "86.6%"), (1.0, "100.0%"), (0.0, "0.0%"), (0.95, "95.0%"), (0.99999, "100.0%")],
)
def test_percent(score: float, expected: str) -> None:
    assert percent(score) == expected


@pytest.mark.parametrize(
    ("score", "base", "expected"),
    [
        (0.96, 0.98, "\u22122.0 points"),
        (0.9, 0.8, "+10.0 points"),
        (0.8661, 0.8661, "no change"),
        (0.86604, 0.86596, "no change"),  # both read 86.6%: no change shown, none claimed
        (0.8671, 0.8664, "+0.1 points"),  # shown as 86.7% and 86.6%
    ],
)
def test_points_are_the_difference_of_the_numbers_shown(score: float, base: float, expected: str) -> None:
    assert points(score, base) == expected
    shown = round(float(percent(score)[:-1]) - float(percent(base)[:-1]), 1)
    assert expected == "no change" if shown == 0 else f"{abs(shown):.1f}" in expected


def test_a_stored_score_and_the_ratio_it_came_from_read_the_same() -> None:
    for passed in range(0, 2001):
        ratio = passed / 2000
        assert percent(ratio) == percent(round(ratio, 4))
    assert points(866549 / 1_000_000, 0.8665) == "no change"
