"""The renderer registry: format name -> module with `render(report: Report, **options) -> str`.

Renderers only read the Report; they never run checks. Every text taken from the report reaches an
output through `escape.py`.

Imports only foundations (`report`) and its own modules; never a check, the GitHub layer or a command.
"""

from __future__ import annotations

import importlib
from typing import Any

from dataops_ci.report import Report

RENDERERS: dict[str, str] = {
    "text": "dataops_ci.render.text",
    "json": "dataops_ci.render.json",
    "markdown": "dataops_ci.render.markdown",
    "annotations": "dataops_ci.render.annotations",
    "github": "dataops_ci.render.github",
    "sarif": "dataops_ci.render.sarif",
    "junit": "dataops_ci.render.junit",
}


def render(report: Report, fmt: str, **options: Any) -> str:
    module = importlib.import_module(RENDERERS[fmt])
    text: str = module.render(report, **options)
    return text


# `from __future__ import annotations` bound the name `annotations` in this package; without this,
# `from dataops_ci.render import annotations` would return that flag instead of the render.annotations module.
del annotations
