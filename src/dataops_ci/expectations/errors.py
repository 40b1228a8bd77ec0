"""The one error of data loading: the data could not be reached or read (a could-not-check finding)."""

from __future__ import annotations


class DataLoadError(Exception):
    """The data could not be reached or read. `rule` is the finding's rule id, `hint` what to do."""

    def __init__(
        self, message: str, rule: str = "cannot-read-data", hint: str | None = None, missing: bool = False
    ) -> None:
        super().__init__(message)
        self.rule = rule
        self.hint = hint
        self.missing = missing  # the data does not exist: the config, not the data, is what to fix
