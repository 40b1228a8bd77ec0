"""The folders below are data repositories with their own tests (some fail, hang or crash on purpose).
They are run by tests/checks/test_tests.py in temp git repos, never collected by our own test run."""

collect_ignore_glob = ["*"]
