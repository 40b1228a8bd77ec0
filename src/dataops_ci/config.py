"""Typed configuration: `dataops-ci.yml` at the repo root, or `[tool.dataops-ci]` in pyproject.toml.

Loaded and validated once. Every key is optional. Unknown keys are warnings (named), invalid values are a
ConfigError (exit 2) naming the key and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CONFIG_FILES = ("dataops-ci.yml", "dataops-ci.yaml", ".dataops-ci.yml")

COMPATIBILITY_MODES = (
    "NONE",
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
)
Mode = Literal[
    "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"
]


class ConfigError(Exception):
    """The configuration cannot be used; nothing can be checked (exit 2)."""


class Section(BaseModel):
    # extra="allow" so unknown keys survive validation and can be reported as warnings, not errors.
    model_config = ConfigDict(extra="allow", frozen=True)


class Approval(Section):
    file: str | None = None
    rule: str | None = None
    path: str | None = None
    reason: str
    expires: dt.date | None = None


class SchemasConfig(Section):
    paths: list[str] = Field(default_factory=lambda: ["**/*.avsc"])
    compatibility: Mode = "BACKWARD"
    overrides: dict[str, Mode] = Field(default_factory=dict)
    allow: list[Approval] = Field(default_factory=list)
    deleted_severity: Literal["error", "warning", "notice"] = "error"
    max_file_bytes: int = Field(default=1_048_576, gt=0)

    @field_validator("compatibility", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("overrides", mode="before")
    @classmethod
    def _upper_overrides(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: v.upper() if isinstance(v, str) else v for k, v in value.items()}
        return value


class DataSource(Section):
    engine: Literal["pandas", "sql", "spark"] = "pandas"
    path: str | None = None
    format: str | None = None
    url: str | None = None
    table: str | None = None
    query: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class SuiteEntry(Section):
    suite: str
    data: str | DataSource


class ExpectationsConfig(Section):
    min_quality_score: float = Field(default=0.95, ge=0.0, le=1.0)
    suites: list[SuiteEntry] = Field(default_factory=list)
    compare_base: bool = False
    spark_master: str = "local[*]"
    connect_timeout_s: int = Field(default=10, gt=0)
    query_timeout_s: int = Field(default=300, gt=0)
    unexpected_examples: int = Field(default=5, ge=0)


class PipelinesConfig(Section):
    paths: list[str] = Field(default_factory=lambda: ["pipelines/*.yml", "pipelines/*.yaml"])


class SqlConfig(Section):
    paths: list[str] = Field(default_factory=lambda: ["**/*.sql"])
    dialect: str | None = None
    report: Literal["changed-lines", "all"] = "changed-lines"
    fail_on: Literal["error", "warning", "never"] = "error"
    templater_fallback: str | None = None
    cache: bool = True
    processes: int | None = None


class TestsConfig(Section):
    paths: list[str] = Field(default_factory=lambda: ["tests/"])
    args: list[str] = Field(default_factory=list)
    timeout_s: int = Field(default=600, gt=0)
    changed_only: bool = False
    python: str | None = None
    capture_output: bool = False


class CommentConfig(Section):
    key: str = ""
    approve_label: str = "data-breaking-change-approved"
    author: str | None = None
    # Total seconds the GitHub client may spend waiting out rate limits and retrying 5xx answers.
    retry_cap_s: float = Field(default=120.0, ge=0)


class Config(Section):
    schemas: SchemasConfig = Field(default_factory=SchemasConfig)
    expectations: ExpectationsConfig = Field(default_factory=ExpectationsConfig)
    pipelines: PipelinesConfig = Field(default_factory=PipelinesConfig)
    sql: SqlConfig = Field(default_factory=SqlConfig)
    tests: TestsConfig = Field(default_factory=TestsConfig)
    teams: dict[str, str] = Field(default_factory=dict)
    comment: CommentConfig = Field(default_factory=CommentConfig)

    # Where it came from (None: defaults) and the unknown keys found, for the warnings.
    source: str | None = None
    warnings: tuple[str, ...] = ()


def unknown_keys(model: BaseModel, prefix: str = "") -> list[str]:
    """Dotted names of every key that no model declared, recursively."""
    found = [f"{prefix}{k}" for k in (model.model_extra or {})]
    for name in type(model).model_fields:
        value = getattr(model, name)
        values = value if isinstance(value, list) else [value]
        for i, item in enumerate(values):
            if isinstance(item, BaseModel):
                suffix = f"[{i}]" if isinstance(value, list) else ""
                found.extend(unknown_keys(item, f"{prefix}{name}{suffix}."))
    return found


def _format_error(error: dict[str, Any], source: str) -> str:
    key = ".".join(str(p) for p in error["loc"])
    return f"{source}: invalid value for '{key}': {error['msg']}"


def parse_config(raw: Any, source: str) -> Config:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the configuration must be a mapping of keys, got {type(raw).__name__}")
    reserved = {"source", "warnings"} & raw.keys()
    if reserved:
        raise ConfigError(f"{source}: '{sorted(reserved)[0]}' is not a configuration key")
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        lines = [_format_error(dict(e), source) for e in exc.errors()]
        raise ConfigError("\n".join(lines)) from None
    warnings = tuple(f"{source}: unknown key '{k}' ignored" for k in unknown_keys(config))
    return config.model_copy(update={"source": source, "warnings": warnings})


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def _load_pyproject(path: Path) -> Any | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return data.get("tool", {}).get("dataops-ci")


def load_config(root: Path, explicit: str | None = None) -> Config:
    """Find and load the config for the repository at `root` (or the explicit file)."""
    if explicit:
        path = Path(explicit)
        if not path.is_absolute():
            path = root / path if not path.exists() else path
        if not path.exists():
            raise ConfigError(f"{explicit}: config file not found")
        if path.suffix == ".toml":
            return parse_config(_load_pyproject(path), str(explicit))
        return parse_config(_load_yaml(path), str(explicit))
    for name in CONFIG_FILES:
        if (root / name).is_file():
            return parse_config(_load_yaml(root / name), name)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        section = _load_pyproject(pyproject)
        if section is not None:
            return parse_config(section, "pyproject.toml [tool.dataops-ci]")
    return Config()
