"""`metrics:` and `history:` — the Prometheus labels, Pushgateway job, grouping and auth; the quality history
branch."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from dataops_ci.config.base import Section

_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Labels every series already carries: a config label of the same name would be ambiguous.
RESERVED_LABELS = frozenset({"dataset", "suite", "check", "severity", "le", "quantile", "job", "instance"})


def _check_labels(value: dict[str, str], what: str) -> dict[str, str]:
    for name in value:
        if not _LABEL.match(name) or name.startswith("__"):
            raise ValueError(f"{what} {name!r} is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)")
        if name in RESERVED_LABELS:
            raise ValueError(f"{what} {name!r} is set by dataops-ci itself; pick another name")
    return value


class MetricsConfig(Section):
    # Labels on every series, on top of `repo` and `ref` (from GITHUB_REPOSITORY / GITHUB_REF_NAME, or git).
    labels: dict[str, str] = Field(default_factory=dict)
    job: str = Field(default="dataops-ci", min_length=1)
    # Pushgateway grouping key (besides the job); values may name labels above with "{label}".
    grouping: dict[str, str] = Field(default_factory=lambda: {"repo": "{repo}", "ref": "{ref}"})
    # Names of the environment variables holding the credentials (never the credentials themselves).
    username_env: str = "PUSHGATEWAY_USERNAME"
    password_env: str = "PUSHGATEWAY_PASSWORD"
    token_env: str = "PUSHGATEWAY_TOKEN"
    timeout_s: float = Field(default=10.0, gt=0)

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_labels(value, "metrics.labels")

    @field_validator("grouping")
    @classmethod
    def _grouping(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_labels(value, "metrics.grouping")

    @field_validator("username_env", "password_env", "token_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        if not _ENV.match(value):
            raise ValueError(f"{value!r} is not an environment variable name")
        return value


class HistoryConfig(Section):
    branch: str = Field(default="dataops-ci-history", min_length=1)
    file: str = Field(default="history.jsonl", min_length=1)
    remote: str = "origin"
    # Runs of the base branch shown in the PR comment's trend chart.
    runs: int = Field(default=20, ge=2, le=200)
    push_attempts: int = Field(default=5, ge=1, le=20)
