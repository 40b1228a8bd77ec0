"""The transformation tests: running pytest in its own process group and reading its JUnit XML
(`pytest_run`), and choosing the tests a change touches by static imports (`impacted`).

An engine package: imports foundations only. The `tests` check is `checks/tests.py`; the pytest plugin data
repos use is `dataops_ci/testing.py` (the pytest11 entry point, so it stays at the top level).
"""
