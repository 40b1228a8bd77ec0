"""Benchmark of the `pipelines` check: definition lint, quality checks through GX, and the data contract.

python benchmarks/pipelines/run.py [ROWS ...]   (default 10000 100000 1000000)

Prints a Markdown table: per size, the check's time in-process (GX already imported: validation and the
contract, each timed alone) against a hand-written pandas floor of the same seven checks, plus the
start-up cost of the CLI with and without reading data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import write  # noqa: E402

CLOCK = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]


def make_repo(root: Path, rows: int) -> None:
    write(root, rows)
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "bench"], cwd=root, check=True)


def best_of(runs: int, action: object) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def pandas_floor(root: Path) -> None:
    """The same seven checks written by hand in pandas (what GX's numbers are compared with)."""
    import pandas as pd

    frame = pd.read_csv(root / "data/customers.csv")
    floor = pd.Timestamp(CLOCK) - pd.Timedelta(hours=4)
    results = [
        frame["customer_id"].notna().mean() >= 0.99,
        frame["email"].notna().mean() >= 0.99,
        pd.to_datetime(frame["updated_at"], utc=True, format="ISO8601").max() >= floor,
        not frame["customer_id"].duplicated().any(),
        len(frame) >= 1000,
        frame["segment"].dropna().isin(["gold", "silver", "bronze"]).all(),
        frame["lifetime_value"].dropna().between(0, 100000).all(),
        frame["email"].dropna().str.match(r"^[^@ ]+@[^@ ]+$").all(),
    ]
    assert all(results), results


def measure(rows: int) -> dict[str, float]:
    from dataops_ci import runner
    from dataops_ci.checks import pipelines
    from dataops_ci.pipelines.contract import contract_findings
    from dataops_ci.pipelines.definition import dataset_source
    from dataops_ci.pipelines.select import load_all

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_repo(root, rows)
        ctx = runner.build_context(cwd=root, base=None, head=None, config_file=None, all_files=True, env={})
        ctx = dataclasses.replace(ctx, clock=lambda: CLOCK)
        result = pipelines.run(ctx)  # warm-up (GX import and context on the first size)
        assert result.status == "passed", [f.message for f in result.findings]
        file = load_all(ctx)[0]
        lint = dataclasses.replace(ctx, options={"pipelines_no_data": True})
        return {
            "check": best_of(3, lambda: pipelines.run(ctx)),
            "contract": best_of(3, lambda: contract_findings(file, dataset_source(file.definition), root)),
            "floor": best_of(3, lambda: pandas_floor(root)),
            "lint": best_of(3, lambda: pipelines.run(lint)),
        }


def startup() -> dict[str, float]:
    """Wall time of the CLI as a process on 10k rows: --no-data (the pre-commit hook) and with data."""
    exe = str(Path(sys.executable).with_name("dataops-ci"))
    with tempfile.TemporaryDirectory() as tmp:
        make_repo(Path(tmp), 10_000)
        out = {}
        for label, extra in (("cli --no-data", ["--no-data"]), ("cli with data", [])):
            started = time.perf_counter()
            subprocess.run(
                [exe, "pipelines", "--all-files", *extra],
                cwd=tmp,
                capture_output=True,
                env={**os.environ, "GITHUB_ACTIONS": ""},
            )
            out[label] = time.perf_counter() - started
        return out


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000]
    print(
        "| rows | pipelines check (8 expectations + contract) | of which contract | pandas floor "
        "| check / floor | --no-data |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for rows in sizes:
        m = measure(rows)
        print(
            f"| {rows:,} | {m['check']:.2f} s | {m['contract']:.2f} s | {m['floor']:.3f} s "
            f"| {m['check'] / m['floor']:.1f}x | {m['lint'] * 1000:.0f} ms |"
        )
    for label, seconds in startup().items():
        print(f"\n{label} (process, 10k rows): {seconds:.2f} s", end="")
    print()


if __name__ == "__main__":
    main()
