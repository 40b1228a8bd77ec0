"""Finding and loading the config: `dataops-ci.yml` (or .yaml, .dataops-ci.yml) at the repo root, an explicit
file, or `[tool.dataops-ci]` in pyproject.toml; then validating it into a `Config`."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from dataops_ci.config.base import ConfigError
from dataops_ci.config.model import Config
from dataops_ci.config.names import CONFIG_FILES, MAX_CONFIG_BYTES


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


def _read_text(path: Path) -> str:
    """The config file's text; every way it can be unreadable is a ConfigError saying where and what to do."""
    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(
                f"{path}: {size:,} bytes, over the {MAX_CONFIG_BYTES:,} bytes a config file may have; "
                "a dataops-ci config is a few dozen lines"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError(
            f"{path}:{line}:{column}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None


def _too_deep(path: Path) -> ConfigError:
    return ConfigError(f"{path}:1: nested too deeply to read; a dataops-ci config is a few levels deep")


def _load_yaml(path: Path) -> Any:
    text = _read_text(path)
    try:
        return yaml.safe_load(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ConfigError(
            f"{path}:{line}: not valid YAML: character U+{code:04X} is not allowed; remove it"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except RecursionError:
        raise _too_deep(path) from None


def _load_pyproject(path: Path) -> Any | None:
    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise _too_deep(path) from None
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
