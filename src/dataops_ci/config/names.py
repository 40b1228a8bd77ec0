"""Names the light paths need without the models (so without pydantic): the config files looked for and
the compatibility modes."""

from __future__ import annotations

CONFIG_FILES = ("dataops-ci.yml", "dataops-ci.yaml", ".dataops-ci.yml")
# No key can raise this: the config cannot configure how it is read. pyproject.toml files are larger.
MAX_CONFIG_BYTES = 1 << 20

COMPATIBILITY_MODES = (
    "NONE",
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
)
