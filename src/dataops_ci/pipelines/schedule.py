"""Pipeline schedules: a named interval (daily, @hourly ...) or a standard 5-field cron expression.

`schedule_problem` returns None for a valid schedule, else a sentence saying what is wrong.
"""

from __future__ import annotations

NAMED_SCHEDULES = ("hourly", "daily", "weekly", "monthly", "yearly", "annually")

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")

# (name, lowest, highest, names for values starting at `lowest`)
_FIELDS: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 7, _DAYS),  # 0 and 7 are both Sunday, as in cron
)


def schedule_problem(schedule: str) -> str | None:
    text = schedule.strip()
    if not text:
        return "the schedule is empty"
    lowered = text.lower()
    if lowered.lstrip("@") in NAMED_SCHEDULES and (lowered.startswith("@") or " " not in lowered):
        return None
    parts = text.split()
    if len(parts) != len(_FIELDS):
        return (
            f"'{text}' is neither a named schedule ({', '.join(NAMED_SCHEDULES)}, or @daily style) "
            f"nor a 5-field cron expression (it has {len(parts)} field{'s' if len(parts) != 1 else ''})"
        )
    for part, spec in zip(parts, _FIELDS, strict=True):
        problem = _field_problem(part, spec)
        if problem:
            return f"cron '{text}': {problem}"
    return None


def _field_problem(part: str, spec: tuple[str, int, int, tuple[str, ...]]) -> str | None:
    name = spec[0]
    for item in part.split(","):
        problem = _item_problem(item, spec)
        if problem:
            return f"{name} field '{part}': {problem}"
    return None


def _item_problem(item: str, spec: tuple[str, int, int, tuple[str, ...]]) -> str | None:
    _, low, high, names = spec
    base, slash, step = item.partition("/")
    if slash and not (step.isdigit() and int(step) > 0):
        return f"step '{step}' must be a positive whole number"
    if base == "*":
        return None
    start, dash, end = base.partition("-")
    bounds = [start, end] if dash else [start]
    values: list[int] = []
    for bound in bounds:
        value = _value(bound, low, names)
        if value is None:
            return f"'{bound}' is not a number{' or name' if names else ''}"
        if not low <= value <= high:
            return f"{value} is outside {low}-{high}"
        values.append(value)
    if len(values) == 2 and values[0] > values[1]:
        return f"range {base} runs backwards"
    return None


def _value(text: str, low: int, names: tuple[str, ...]) -> int | None:
    if text.isdigit():
        return int(text)
    upper = text.upper()
    if upper in names:
        return names.index(upper) + low
    return None
