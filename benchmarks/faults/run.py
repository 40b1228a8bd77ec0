"""Bad-input benchmark: peak RSS and wall time of `dataops-ci run` on each kind of bad input.

    python benchmarks/faults/run.py [--repeat 1] [CASE ...]

Runs every case folder of tests/faults/cases (or the ones named) the way tests/faults/test_battery.py does:
a fresh git repo (the healthy skeleton, then the case's files and its generated inputs: sparse multi-GiB
files, a 2,000,000-column CSV, deep nesting, a test printing 200 MB, a hanging or trickling GitHub API),
then `dataops-ci run --all-files` in a subprocess. Peak RSS is the largest process of the run's tree (from
wait4: dataops-ci, and pytest, git, sqlfluff workers it waited for), and dataops-ci's own process alone
(VmHWM from /proc, polled); wall time includes interpreter start.
Prints a Markdown table (copy it into benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.faults import battery, github_case  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="case folder names (default: all)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the best wall time is shown")
    args = parser.parse_args(argv)
    names = args.cases or battery.case_names()
    print("| bad input | exit | peak RSS (tree) | peak RSS (dataops-ci) | wall |")
    print("|---|---|---|---|---|")
    for name in names:
        runs = []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory(prefix=f"faults-{name}-") as tmp:
                measured, _, _ = github_case.run_named(name, Path(tmp))
            runs.append(measured)
        best = min(runs, key=lambda m: m.wall_s)
        peak = max(m.peak_rss_bytes for m in runs) / 2**20
        own = max(m.own_peak_rss_bytes for m in runs) / 2**20
        description = battery.expected(name).get("description", "")
        row = f"| `{name}`: {description} | {best.returncode} | {peak:,.0f} MiB | {own:,.0f} MiB |"
        print(f"{row} {best.wall_s:.1f} s |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
