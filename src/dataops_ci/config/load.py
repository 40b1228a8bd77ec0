"""Finding and loading the config: `dataops-ci.yml` (or .yaml, .dataops-ci.yml) at the repo root, an explicit
file, or `[tool.dataops-ci]` in pyproject.toml; then validating it into a `Config`."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from dataops_ci.config.base import ConfigError
from dataops_ci.config.model import Config
from dataops_ci.config.names import CONFIG_FILES, MAX_CONFIG_BYTES
from dataops_ci.config.strict import KeyPath
from dataops_ci.config.strict import unknown_keys as unknown_raw_keys
from dataops_ci.config.toml_lines import toml_line

# Where a key is: its 1-based line, or None when it cannot be told.
Locate = Callable[[KeyPath], int | None]
RESERVED = frozenset({"source", "warnings"})  # fields of Config the loader fills, never keys of a file
PYPROJECT_TABLE = ("tool", "dataops-ci")


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


def parse_config(raw: Any, source: str, file: str | None = None, locate: Locate | None = None) -> Config:
    """Validate `raw` (from `source`). Unknown keys anywhere are errors that say where they are (`file`
    and the line `locate` gives) and what was probably meant."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the configuration must be a mapping of keys, got {type(raw).__name__}")
    reserved = RESERVED & raw.keys()
    if reserved:
        raise ConfigError(f"{source}: '{sorted(reserved)[0]}' is not a configuration key")
    unknown = unknown_raw_keys(Config, raw, RESERVED)
    if unknown:
        raise ConfigError("\n".join(_at(u.path, file or source, locate) + u.describe() for u in unknown))
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        lines = [_format_error(dict(e), source) for e in exc.errors()]
        raise ConfigError("\n".join(lines)) from None
    return config.model_copy(update={"source": source})


def _at(path: KeyPath, file: str, locate: Locate | None) -> str:
    line = locate(path) if locate is not None else None
    return f"{file}:{line}: " if line else f"{file}: "


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


def _yaml_lines(text: str) -> Locate:
    def locate(path: KeyPath) -> int | None:
        from dataops_ci.located_yaml import YamlParseError, parse_located

        try:
            return parse_located(text).line(path)
        except YamlParseError:
            return None

    return locate


def _load_yaml(path: Path) -> tuple[Any, Locate]:
    text = _read_text(path)
    try:
        return yaml.safe_load(text), _yaml_lines(text)
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


def _load_pyproject(path: Path) -> tuple[Any | None, Locate]:
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise _too_deep(path) from None
    return data.get("tool", {}).get("dataops-ci"), lambda key: toml_line(text, PYPROJECT_TABLE, key)


def load_config(root: Path, explicit: str | None = None) -> Config:
    """Find and load the config for the repository at `root` (or the explicit file)."""
    if explicit:
        path = Path(explicit)
        if not path.is_absolute():
            path = root / path if not path.exists() else path
        if not path.exists():
            raise ConfigError(f"{explicit}: config file not found")
        raw, locate = _load_pyproject(path) if path.suffix == ".toml" else _load_yaml(path)
        return parse_config(raw, str(explicit), str(explicit), locate)
    for name in CONFIG_FILES:
        if (root / name).is_file():
            raw, locate = _load_yaml(root / name)
            return parse_config(raw, name, name, locate)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        section, locate = _load_pyproject(pyproject)
        if section is not None:
            return parse_config(section, "pyproject.toml [tool.dataops-ci]", "pyproject.toml", locate)
    return Config()
