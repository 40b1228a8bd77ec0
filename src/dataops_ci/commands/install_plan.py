"""The composite action's install plan: which extras the enabled checks need, where the environment
lives, and the cache key that names it.

action.yml runs this before dataops-ci is installed, with nothing but the standard library:

    PYTHONPATH="$ACTION_PATH/src" python -m dataops_ci.commands.install_plan --checks schema-compat,sql-lint

and reads `extras`, `cache-key`, `venv` and `checks` from $GITHUB_OUTPUT (or stdout outside Actions).
Schema-only runs install no extra at all: GX, pandas and sqlfluff cost seconds to install and import.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from dataops_ci import __version__
from dataops_ci.checks import CHECKS

# Extras a user may add for engines the checks cannot guess from their names (a SQL warehouse, Spark).
OPTIONAL_EXTRAS = ("gx", "postgres", "spark", "sql", "tests", "docs")
SOURCE_ROOT = Path(__file__).resolve().parents[3]


class PlanError(ValueError):
    """An input the action cannot act on (unknown check or extra)."""


def parse_list(value: str) -> list[str]:
    """`a, b` or one per line (how YAML block scalars arrive) -> ['a', 'b']."""
    return [item.strip() for item in value.replace("\n", ",").split(",") if item.strip()]


def selected_checks(value: str) -> list[str]:
    names = parse_list(value) or list(CHECKS)
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        raise PlanError(f"unknown check(s): {', '.join(unknown)}; known: {', '.join(CHECKS)}")
    return names


def extras_for(checks: Iterable[str], extra: Iterable[str] = ()) -> list[str]:
    """The sorted union of the extras the checks need and those asked for explicitly."""
    wanted = {e for name in checks for e in CHECKS[name].extras}
    for name in extra:
        if name not in OPTIONAL_EXTRAS:
            raise PlanError(f"unknown extra '{name}'; known: {', '.join(OPTIONAL_EXTRAS)}")
        wanted.add(name)
    return sorted(wanted)


def source_digest(root: Path = SOURCE_ROOT) -> str:
    """A digest of what gets installed (pyproject + package sources), so a changed action reinstalls
    even when its version number did not change (e.g. `@main`)."""
    digest = hashlib.sha256()
    files = [root / "pyproject.toml", *sorted((root / "src").rglob("*"))]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cache_key(extras: Sequence[str], digest: str, bytecode: bool) -> str:
    python = "py" + ".".join(str(part) for part in sys.version_info[:3])
    system = f"{platform.system()}-{platform.machine()}".lower()
    flavour = "pyc" if bytecode else "nopyc"
    return f"dataops-ci-{__version__}-{system}-{python}-{'+'.join(extras) or 'core'}-{flavour}-{digest}"


def venv_path(tool_cache: str, key: str) -> Path:
    """One environment per key: a persistent self-hosted runner reuses it without any cache download."""
    return Path(tool_cache) / "dataops-ci" / key


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dataops_ci.commands.install_plan", description=__doc__)
    parser.add_argument("--command", default="run", choices=("run", "comment"))
    parser.add_argument("--checks", default="", help="comma-separated checks (empty: all)")
    parser.add_argument("--extras", default="", help="extras to add (e.g. postgres,spark)")
    parser.add_argument("--no-bytecode", action="store_true", help="do not compile .pyc files")
    parser.add_argument("--tool-cache", default=os.environ.get("RUNNER_TOOL_CACHE") or "/tmp")
    return parser


def plan(args: argparse.Namespace) -> dict[str, str]:
    checks = selected_checks(args.checks) if args.command == "run" else []
    extras = extras_for(checks, parse_list(args.extras))
    key = cache_key(extras, source_digest(), bytecode=not args.no_bytecode)
    return {
        "checks": ",".join(checks),
        "extras": ",".join(extras),
        "cache-key": key,
        "venv": str(venv_path(args.tool_cache, key)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        outputs = plan(args)
    except PlanError as exc:
        print(f"::error title=dataops-ci::{exc}", file=sys.stderr)
        return 2
    lines = "".join(f"{name}={value}\n" for name, value in outputs.items())
    sys.stdout.write(lines)
    github_output = os.environ.get("GITHUB_OUTPUT")
    if github_output:
        with open(github_output, "a", encoding="utf-8") as handle:
            handle.write(lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
