"""pytest plugin with helpers for transformation tests (being built)."""

from __future__ import annotations
