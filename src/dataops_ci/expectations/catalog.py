"""GX's expectation types and their arguments, as a JSON catalog shipped with dataops-ci.

The `expectation-suite-lint` hook checks suites against it without importing GX (seconds saved on every
commit): an unknown type (`expect_column_to_be_awesome`), an argument no expectation of that type takes
(`colum`), a required argument left out. The catalog is generated from the installed GX:

    python -m dataops_ci.expectations.catalog --write     # regenerate gx_catalog.json
    python -m dataops_ci.expectations.catalog --check     # exit 1 when it is out of date

and tests/checks/test_expectations_catalog.py regenerates it and fails when it differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

CATALOG_FILE = Path(__file__).with_name("gx_catalog.json")
# Fields every expectation has that live beside `kwargs` in a suite file, not inside it.
_NOT_KWARGS = {"id", "meta", "notes", "rendered_content", "severity"}


@cache
def load() -> dict[str, Any]:
    """The shipped catalog: {"gx_version", "expectations": {type: {"required": [...], "optional": [...]}}}."""
    return dict(json.loads(CATALOG_FILE.read_text(encoding="utf-8")))


def problems(kind: str, kwargs: dict[str, Any]) -> tuple[str | None, list[str]]:
    """What GX would reject in one expectation: (unknown-type message or None, kwargs messages)."""
    types: dict[str, Any] = load()["expectations"]
    spec = types.get(kind)
    if spec is None:
        return f"unknown expectation type '{kind}'{_did_you_mean(kind, types)}", []
    allowed = set(spec["required"]) | set(spec["optional"])
    found = [f"unknown argument '{k}'{_did_you_mean(k, allowed)}" for k in kwargs if k not in allowed]
    found += [f"missing required argument '{k}'" for k in spec["required"] if k not in kwargs]
    return None, found


def _did_you_mean(word: str, known: Any) -> str:
    import difflib  # here: only a misspelt name needs it, not every expectation-suite-lint run (~0.5 ms)

    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def generate() -> dict[str, Any]:
    """The catalog of the installed GX (imports GX): every registered expectation type's fields."""
    import great_expectations as gx
    from great_expectations.expectations.registry import _registered_expectations

    types: dict[str, Any] = {}
    for name, cls in sorted(_registered_expectations.items()):
        fields = getattr(cls, "__fields__", {})
        required = sorted(n for n, f in fields.items() if f.required and n not in _NOT_KWARGS)
        optional = {n for n, f in fields.items() if not f.required and n not in _NOT_KWARGS}
        optional |= {f.alias for n, f in fields.items() if f.alias != n and n not in _NOT_KWARGS}
        types[name] = {"required": required, "optional": sorted(optional - set(required))}
    return {"gx_version": gx.__version__, "expectations": types}


def dump(catalog: dict[str, Any]) -> str:
    return json.dumps(catalog, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dataops_ci.expectations.catalog", description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help=f"regenerate {CATALOG_FILE.name}")
    group.add_argument("--check", action="store_true", help="exit 1 when the shipped catalog is stale")
    args = parser.parse_args(argv)
    text = dump(generate())
    if args.write:
        CATALOG_FILE.write_text(text, encoding="utf-8")
        return 0
    if CATALOG_FILE.read_text(encoding="utf-8") != text:
        print(f"{CATALOG_FILE} is out of date: run python -m dataops_ci.expectations.catalog --write")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
