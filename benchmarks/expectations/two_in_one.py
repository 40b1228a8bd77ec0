"""Both suites of the parallel measurement in one process, in sequence: python two_in_one.py DATA...."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from dataops_ci.config import DataSource, ExpectationsConfig
from dataops_ci.expectations import gx_run

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    suite = json.loads((HERE / "suite.json").read_text())["expectations"]
    for name in sys.argv[1:]:
        data = Path(name)
        outcome = gx_run.validate(
            suite, DataSource(path=data.name), data.parent, name="bench", options=ExpectationsConfig()
        )
        print(outcome.passed, outcome.evaluated)
