"""The Python API for pipelines: the same checks as the CI, inside an Airflow task (or any Python).

    from dataops_ci import validate
    validate("pipelines/customer_pipeline.yml").raise_for_quality(0.95)

`validate` runs a pipeline definition's quality checks, a GX suite against data (a path, or a pandas
DataFrame), and returns a frozen `ValidationResult`; nothing is printed and no git history is needed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dataops_ci.config import Config, SuiteEntry
from dataops_ci.config.load import load_config
from dataops_ci.context import CheckContext
from dataops_ci.publish.datasets import DatasetScore, dataset_scores
from dataops_ci.publish.folder import open_repo
from dataops_ci.report import CheckResult, Finding, Report


class QualityError(Exception):
    """The data's quality score is below the threshold (or nothing could be scored)."""

    def __init__(self, result: ValidationResult, minimum: float) -> None:
        self.result, self.minimum = result, minimum
        super().__init__(self._message())

    def _message(self) -> str:
        score = self.result.score
        head = (
            f"no quality score: nothing could be validated (minimum {self.minimum:.1%})"
            if score is None
            else f"quality score {score:.1%} is below the minimum {self.minimum:.1%}"
        )
        failed = [f"  - {f.rule}: {f.message}" for f in self.result.findings if f.severity == "error"][:10]
        return "\n".join([head, *failed])


@dataclass(frozen=True)
class ValidationResult:
    score: float | None  # passed / evaluated expectations; None when nothing was evaluated
    findings: tuple[Finding, ...]
    report: Report = field(repr=False)
    datasets: tuple[DatasetScore, ...] = ()

    @property
    def passed(self) -> bool:
        return self.report.status == "passed"

    def raise_for_quality(self, minimum: float = 0.95) -> ValidationResult:
        """This result when its score is at least `minimum`; else QualityError (a could-not-check too)."""
        if self.score is None or self.score < minimum:
            raise QualityError(self, minimum)
        return self

    def metrics(self, labels: Mapping[str, str] | None = None) -> bytes:
        """The Prometheus text of this run (needs the `metrics` extra)."""
        from dataops_ci.publish.metrics import build_registry, exposition

        return exposition(build_registry(self.report, dict(labels or {})))

    def push_metrics(
        self, gateway: str, config: Config | None = None, labels: Mapping[str, str] | None = None
    ) -> CheckResult:
        """Push to a Pushgateway as `run --pushgateway` does; the outcome is returned, never raised."""
        from dataops_ci.publish.push import push

        return push(self.report, gateway, config or Config(), dict(labels or {}))


def validate(
    target: str | os.PathLike[str] | Any = None,
    *,
    suite: str | os.PathLike[str] | None = None,
    data: str | os.PathLike[str] | Any = None,
    repo: str | os.PathLike[str] = ".",
    config: str | None = None,
) -> ValidationResult:
    """validate("pipelines/x.yml"), validate(suite="expectations/s.json", data="data/d.csv"), or
    validate(frame, suite=...): paths are relative to `repo` (default: the current directory)."""
    root = open_repo(Path(repo)).root
    if _is_frame(target) or _is_frame(data):
        frame = target if _is_frame(target) else data
        if suite is None:
            raise ValueError("validate(frame) needs suite=: the expectations to check the frame against")
        return _validate_frame(frame, Path(root, suite), root, config, _relative(root, suite))
    if target is not None:
        if not Path(root, target).is_file():
            raise FileNotFoundError(f"no pipeline definition {Path(root, target)}")
        return _run("pipelines", _context(root, config, files=(_relative(root, target),)))
    if suite is None or data is None:
        raise ValueError("validate() needs a pipeline definition, or suite= and data=")
    entry = SuiteEntry(suite=_relative(root, suite), data=_relative(root, data))
    return _run("expectations", _context(root, config, suites=[entry]))


def _is_frame(value: Any) -> bool:
    return hasattr(value, "to_parquet") and hasattr(value, "columns")


def _relative(root: Path, path: str | os.PathLike[str]) -> str:
    absolute = Path(root, path).absolute()
    try:
        return absolute.relative_to(Path(root).absolute()).as_posix()
    except ValueError:
        return Path(path).as_posix()  # outside the repository: the check refuses it with a finding


def _context(
    root: Path,
    config_file: str | None,
    files: tuple[str, ...] | None = None,
    suites: list[SuiteEntry] | None = None,
) -> CheckContext:
    repo = open_repo(root)
    config = load_config(repo.root, config_file)
    # Inside a pipeline there is one revision, the data as it is: no base to compare with.
    update: dict[str, Any] = {"compare_base": False}
    if suites is not None:
        update["suites"] = suites
    config = config.model_copy(update={"expectations": config.expectations.model_copy(update=update)})
    return CheckContext(
        repo=repo, config=config, base="", head=None, changed=(), all_files=files is None, files=files,
        log=lambda _message: None, options={"gx_projects": False},  # what was asked for, no GX projects
    )  # fmt: skip


def _validate_frame(
    frame: Any, suite: Path, root: Path, config_file: str | None, label: str
) -> ValidationResult:
    """The frame as Parquet (its dtypes kept) next to a copy of the suite, in a folder of its own."""
    config = load_config(root, config_file)
    with tempfile.TemporaryDirectory(prefix="dataops-ci-frame-") as tmp:
        (Path(tmp) / "suite.json").write_bytes(suite.read_bytes())
        frame.to_parquet(Path(tmp) / "frame.parquet", index=False)
        entry = SuiteEntry(suite="suite.json", data="frame.parquet")
        expectations = config.expectations.model_copy(update={"suites": [entry], "compare_base": False})
        ctx = _context(Path(tmp), None, suites=[entry])
        ctx = replace(ctx, config=config.model_copy(update={"expectations": expectations}))
        return _run("expectations", ctx, names={"suite.json": label, "frame.parquet": "DataFrame"})


def _run(check: str, ctx: CheckContext, names: Mapping[str, str] | None = None) -> ValidationResult:
    from dataops_ci import runner

    report = runner.run_checks([check], ctx, explicit=True)
    if names:
        report = report.with_checks(_renamed(c, names) for c in report.checks)
    findings = tuple(f for _, f in report.findings())
    return ValidationResult(report.quality_score, findings, report, tuple(dataset_scores(report)))


def _renamed(check: CheckResult, names: Mapping[str, str]) -> CheckResult:
    """Stand-in names of a frame run (the suite copy, the Parquet frame) as the caller knows them."""
    suites = [
        {
            **s,
            "suite": names.get(s.get("suite"), s.get("suite")),
            "data": names.get(s.get("data"), s.get("data")),
        }
        for s in check.data.get("suites") or []
    ]
    findings = tuple(replace(f, file=names.get(f.file or "", f.file)) for f in check.findings)
    return replace(check, data={**check.data, "suites": suites}, findings=findings)
