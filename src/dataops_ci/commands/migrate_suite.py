"""Rewrite a legacy GX 0.x expectation suite (expectation_suite_name, expectation_type) as GX 1.x JSON.

dataops-ci migrate-suite FILE              print the 1.x suite
dataops-ci migrate-suite FILE --in-place   rewrite FILE
dataops-ci migrate-suite FILE -o OUT       write OUT
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dataops_ci.expectations.suites import dump_suite, is_legacy, migrate

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("suite_file", metavar="FILE", help="the suite JSON to migrate")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--in-place", action="store_true", help="rewrite FILE")
    target.add_argument("-o", "--output", metavar="OUT", help="write the 1.x suite to OUT")


def main(args: argparse.Namespace) -> int:
    path = Path(args.suite_file)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return _fail(f"{path}: cannot read: {exc.strerror}", EXIT_USAGE)
    except json.JSONDecodeError as exc:
        return _fail(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}", EXIT_FAILED)
    if not isinstance(raw, dict) or not isinstance(raw.get("expectations"), list):
        return _fail(f"{path}: not an expectation suite (an object with an 'expectations' list)", EXIT_FAILED)
    text = dump_suite(migrate(raw))
    legacy = is_legacy(raw)
    if args.in_place or args.output:
        out = path if args.in_place else Path(args.output)
        out.write_text(text, encoding="utf-8")
        what = "migrated to GX 1.x" if legacy else "already GX 1.x; rewritten unchanged in content"
        print(f"dataops-ci: {path}: {what} -> {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _fail(message: str, code: int) -> int:
    print(f"dataops-ci: error: {message}", file=sys.stderr)
    return code
