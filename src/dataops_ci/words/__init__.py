"""How numbers read in every message and every renderer: counted nouns and the quality score.

`plural(3, "file")` is "3 files" (a word, never a suffix in brackets); `percent(0.8661)` is "86.6%"
wherever a quality score is shown (the comment's headline and tables, the text report, check summaries);
`points(score, base)` is the headline's change in percentage points, computed from the two numbers as
shown, so the delta and the base a table prints always agree. A foundation with no imports at all: any
layer may use it (the pure Avro engine too).
"""

from __future__ import annotations

MINUS = "\u2212"  # a real minus sign: "−2.0" reads better than "-2.0"


def noun(count: int, singular: str, plural_form: str | None = None) -> str:
    """The noun for `count` things, without the number: "symbol" or "symbols"."""
    return singular if count == 1 else plural_form or singular + "s"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 file`, `2 files`, `0 files`; irregular ones take `plural_form` ("1 entry", "2 entries")."""
    return f"{count} {noun(count, singular, plural_form)}"


def _tenths(score: float) -> int:
    """A score (0..1) in tenths of a percent, the one rounding every shown number goes through: first to
    the 4 digits the report stores, then to one decimal of a percent (so a stored 0.8665 and the 0.86649
    it came from read the same)."""
    return round(round(score, 4) * 1000)


def percent(score: float) -> str:
    """A quality score (0..1) as shown everywhere: one decimal of a percent, `86.6%`."""
    return f"{_tenths(score) / 10:.1f}%"


def points(score: float, base: float) -> str:
    """The change from `base` to `score` in percentage points, from the numbers as `percent` shows them
    (so `percent(base)` plus this is `percent(score)`): `+1.5 points`, `−2.0 points`, `no change`."""
    delta = _tenths(score) - _tenths(base)
    if delta == 0:
        return "no change"
    sign = "+" if delta > 0 else MINUS
    return f"{sign}{abs(delta) / 10:.1f} points"
