"""Typed configuration: `dataops-ci.yml` at the repo root, or `[tool.dataops-ci]` in pyproject.toml.

Loaded and validated once. Every key is optional. Unknown keys are warnings (named), invalid values are a
ConfigError (exit 2) naming the key and what is allowed.

One module per section (`schemas`, `expectations`, `pipelines`, `sql`, `tests`, `comment`), the root
model (`model`) and loading (`load`). A foundation: imports pydantic, PyYAML and the standard library
only; never a check, renderer, command or the GitHub layer. The names below are the package's public face.
"""

from __future__ import annotations

from dataops_ci.config.base import ConfigError, Section
from dataops_ci.config.comment import CommentConfig
from dataops_ci.config.expectations import DataSource, ExpectationsConfig, SuiteEntry
from dataops_ci.config.load import CONFIG_FILES, load_config, parse_config, unknown_keys
from dataops_ci.config.model import Config
from dataops_ci.config.pipelines import PipelinesConfig
from dataops_ci.config.schemas import COMPATIBILITY_MODES, Approval, Mode, SchemasConfig
from dataops_ci.config.sql import SqlConfig
from dataops_ci.config.tests import TestsConfig

__all__ = [
    "COMPATIBILITY_MODES",
    "CONFIG_FILES",
    "Approval",
    "CommentConfig",
    "Config",
    "ConfigError",
    "DataSource",
    "ExpectationsConfig",
    "Mode",
    "PipelinesConfig",
    "SchemasConfig",
    "Section",
    "SqlConfig",
    "SuiteEntry",
    "TestsConfig",
    "load_config",
    "parse_config",
    "unknown_keys",
]
