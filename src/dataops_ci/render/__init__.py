"""The renderer registry: format name -> module with `render(report: Report, **options) -> str`.

Renderers only read the Report; they never run checks.
"""

from __future__ import annotations

import importlib
from typing import Any

from dataops_ci.report import Report

RENDERERS: dict[str, str] = {
    "text": "dataops_ci.render.text",
    "json": "dataops_ci.render.json",
}


def render(report: Report, fmt: str, **options: Any) -> str:
    module = importlib.import_module(RENDERERS[fmt])
    text: str = module.render(report, **options)
    return text
