"""`lineage:` — links from an Avro schema to the tables that carry it, and approved downstream breaks.

Either the short form, schema file -> table(s): `lineage: {schemas/customer.avsc: raw.customers}`, or the
long form `lineage: {links: {...}, allow: [...], cache: true}`; `allow` entries are those of
`schemas.allow` (file, rule, path, reason, expires), matched against blast-radius findings.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, field_validator, model_validator

from dataops_ci.config.base import Section
from dataops_ci.config.schemas import Approval


class LineageConfig(Section):
    # A mapping with none of the keys below is the short form: the value of `links` (config/strict.py
    # checks its keys the same way).
    SHORT_FORM: ClassVar[str] = "links"

    links: dict[str, list[str]] = Field(default_factory=dict)
    allow: list[Approval] = Field(default_factory=list)
    cache: bool = True

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and raw and not any(key in cls.model_fields for key in raw):
            return {cls.SHORT_FORM: raw}
        return raw

    @field_validator("links", mode="before")
    @classmethod
    def _one_table(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value
