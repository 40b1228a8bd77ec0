"""Typed configuration: `dataops-ci.yml` at the repo root, or `[tool.dataops-ci]` in pyproject.toml.

Loaded and validated once. Every key is optional. An unknown key anywhere is a ConfigError (exit 2) naming
it, its file:line and the closest known key (`strict`, one walk over the models for every section); an
invalid value is a ConfigError naming the key and what is allowed.

One module per section (`schemas`, `expectations`, `pipelines`, `lineage`, `sql`, `tests`, `comment`,
`metrics` with `history`), the root model (`model`) and loading (`load`). A foundation: imports pydantic,
PyYAML and the standard library
only; never a check, renderer, command or the GitHub layer. The names below are the package's public face.

Importing the package imports no pydantic: the pre-commit hooks' start-up pays for it only when a config has
to be validated (`cached.load_config`, the loader the CLI uses). The model names load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from dataops_ci.config.cached import load_config
from dataops_ci.config.errors import ConfigError
from dataops_ci.config.names import COMPATIBILITY_MODES, CONFIG_FILES

if TYPE_CHECKING:
    from dataops_ci.config.base import Section
    from dataops_ci.config.comment import CommentConfig
    from dataops_ci.config.expectations import DataSource, ExpectationsConfig, SuiteEntry
    from dataops_ci.config.lineage import LineageConfig
    from dataops_ci.config.load import parse_config, unknown_keys
    from dataops_ci.config.metrics import HistoryConfig, MetricsConfig
    from dataops_ci.config.model import Config
    from dataops_ci.config.pipelines import PipelinesConfig
    from dataops_ci.config.schemas import Approval, Mode, SchemasConfig
    from dataops_ci.config.sql import SqlConfig
    from dataops_ci.config.tests import TestsConfig

# name -> module that defines it (imported, with pydantic, on first access)
_LAZY = {
    "Section": "base",
    "CommentConfig": "comment",
    "DataSource": "expectations",
    "ExpectationsConfig": "expectations",
    "SuiteEntry": "expectations",
    "LineageConfig": "lineage",
    "parse_config": "load",
    "unknown_keys": "load",
    "Config": "model",
    "PipelinesConfig": "pipelines",
    "Approval": "schemas",
    "Mode": "schemas",
    "SchemasConfig": "schemas",
    "SqlConfig": "sql",
    "TestsConfig": "tests",
    "MetricsConfig": "metrics",
    "HistoryConfig": "metrics",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "COMPATIBILITY_MODES",
    "CONFIG_FILES",
    "Approval",
    "CommentConfig",
    "Config",
    "ConfigError",
    "DataSource",
    "ExpectationsConfig",
    "HistoryConfig",
    "MetricsConfig",
    "LineageConfig",
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
