"""One suite in its own process (for the parallel measurement): python worker.py DATA_FILE."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from dataops_ci.config import DataSource, ExpectationsConfig
from dataops_ci.expectations import gx_run

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    data = Path(sys.argv[1])
    suite = json.loads((HERE / "suite.json").read_text())["expectations"]
    outcome = gx_run.validate(
        suite, DataSource(path=data.name), data.parent, name="bench", options=ExpectationsConfig()
    )
    print(outcome.passed, outcome.evaluated)
