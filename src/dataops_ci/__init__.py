"""dataops-ci: CI for data repositories.

The package is layered; a module imports only from its own layer or the layers below it
(tests/test_layers.py walks every import and enforces it):

1. entry points: `cli`, `__main__`, `commands/`, `testing` (the pytest plugin)
2. orchestration: `runner`, `github/`
3. one check or one output format per module: `checks/`, `render/` (checks never render, renderers never
   check: neither imports the other)
4. engines: `avro/`, `expectations/`, `pipelines/`, `contracts/`, `sqllint/`, `testsuite/`
5. foundations: `report`, `config`, `context`, `git/`, `located_yaml`, `json_lines`, `limits`, this module

The one exception, listed in tests/test_layers.py: `from dataops_ci import validate` (the Python API for
pipelines, publish/api.py) is a lazy re-export. `import dataops_ci` itself stays light: the API and its
imports load on first use of the name.
"""

from __future__ import annotations

# The one version: pyproject.toml reads it (setuptools dynamic version), the release tag is v<this>, and
# the docs' `rev:` / `@v…` follow it (tests/ship/test_ship_version.py).
__version__ = "1.0.0"

_LAZY = {"validate": "validate", "ValidationResult": "ValidationResult", "QualityError": "QualityError"}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'dataops_ci' has no attribute {name!r}")
    from dataops_ci.publish import api

    value = getattr(api, _LAZY[name])
    globals()[name] = value
    return value
