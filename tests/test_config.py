from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dataops_ci.config import ConfigError, load_config


def test_defaults_without_any_config(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.schemas.paths == ["**/*.avsc"]
    assert config.schemas.compatibility == "BACKWARD"
    assert config.expectations.min_quality_score == 0.95
    assert config.source is None and config.warnings == ()


def test_yaml_file(tmp_path: Path) -> None:
    (tmp_path / "dataops-ci.yml").write_text(
        "schemas:\n"
        "  compatibility: full_transitive\n"
        "  overrides: {'schemas/events/**': forward}\n"
        "  allow:\n"
        "    - {file: schemas/customer.avsc, rule: field-removed, reason: gone, expires: 2027-01-31}\n"
        "teams: {marketing_team: '@acme/marketing'}\n"
    )
    config = load_config(tmp_path)
    assert config.schemas.compatibility == "FULL_TRANSITIVE"
    assert config.schemas.overrides == {"schemas/events/**": "FORWARD"}
    assert config.schemas.allow[0].expires == dt.date(2027, 1, 31)
    assert config.teams["marketing_team"] == "@acme/marketing"


def test_pyproject_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.dataops-ci.sql]\ndialect = "bigquery"\n')
    config = load_config(tmp_path)
    assert config.sql.dialect == "bigquery"
    assert config.source == "pyproject.toml [tool.dataops-ci]"


def test_invalid_value_names_the_key_and_what_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "dataops-ci.yml").write_text("expectations:\n  min_quality_score: 2\n")
    with pytest.raises(ConfigError, match=r"expectations\.min_quality_score.*less than or equal to 1"):
        load_config(tmp_path)


def test_invalid_yaml_has_line(tmp_path: Path) -> None:
    (tmp_path / "dataops-ci.yml").write_text("schemas:\n  paths: [a\n")
    with pytest.raises(ConfigError, match=r"dataops-ci\.yml:\d+:\d+: not valid YAML"):
        load_config(tmp_path)


def test_unknown_keys_are_errors(tmp_path: Path) -> None:
    (tmp_path / "dataops-ci.yml").write_text("shemas: {}\nsql:\n  dilect: x\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value).splitlines() == [
        "dataops-ci.yml:1: unknown key 'shemas'; did you mean 'schemas'?",
        "dataops-ci.yml:3: unknown key 'dilect' in 'sql'; did you mean 'dialect'?",
    ]


def test_explicit_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path, "nope.yml")


def test_the_lineage_short_form_keys_are_checked_as_links_and_a_typo_in_the_long_form_is_named(
    tmp_path: Path,
) -> None:
    from dataops_ci.config import ConfigError, load_config

    (tmp_path / "dataops-ci.yml").write_text("lineage:\n  schemas/customer.avsc: raw.customers\n", "utf-8")
    assert load_config(tmp_path).lineage.links == {"schemas/customer.avsc": ["raw.customers"]}
    (tmp_path / "dataops-ci.yml").write_text("lineage:\n  links: {a.avsc: t}\n  alow: []\n", "utf-8")
    expected = r"dataops-ci.yml:3: unknown key 'alow' in 'lineage'; did you mean 'allow'"
    with pytest.raises(ConfigError, match=expected):
        load_config(tmp_path)
