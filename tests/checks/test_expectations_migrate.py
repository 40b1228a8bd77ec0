"""`dataops-ci migrate-suite`: GX 0.x suites rewritten to 1.x, and the suite parser's line locating."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dataops_ci.cli import main
from dataops_ci.expectations.suites import SuiteError, parse_suite
from tests.conftest import CASES

LEGACY = CASES / "expectations/legacy/head/expectations/customers.json"


def test_migrate_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate-suite", str(LEGACY)]) == 0
    suite = json.loads(capsys.readouterr().out)
    assert suite == {
        "name": "customers",
        "expectations": [
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "customer_id"}},
            {
                "type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": "segment", "value_set": ["enterprise", "smb", "consumer"]},
                "meta": {"notes": "segments agreed with marketing"},
            },
        ],
    }


def test_migrate_in_place_then_the_suite_is_not_legacy(tmp_path: Path) -> None:
    target = tmp_path / "customers.json"
    shutil.copy(LEGACY, target)
    assert parse_suite(target.read_text()).legacy
    assert main(["migrate-suite", str(target), "--in-place"]) == 0
    migrated = parse_suite(target.read_text())
    assert not migrated.legacy
    assert [e["type"] for e in migrated.expectations] == [
        e["type"] for e in parse_suite(LEGACY.read_text()).expectations
    ]


def test_migrate_to_output_file_and_bad_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out/suite.json"
    out.parent.mkdir()
    assert main(["migrate-suite", str(LEGACY), "-o", str(out)]) == 0
    assert json.loads(out.read_text())["name"] == "customers"
    (tmp_path / "bad.json").write_text('{"expectations": [\n  {"type": }\n]}')
    assert main(["migrate-suite", str(tmp_path / "bad.json")]) == 1
    assert "bad.json:2: not valid JSON" in capsys.readouterr().err
    assert main(["migrate-suite", str(tmp_path / "absent.json")]) == 2


def test_parse_suite_locates_each_expectation() -> None:
    text = "\n".join(
        [
            "{",
            '  "name": "s",',
            '  "expectations": [',
            '    {"type": "a", "kwargs": {}},',
            "",
            "    {",
            '      "type": "b",',
            '      "kwargs": {"column": "x"}',
            "    }",
            "  ]",
            "}",
        ]
    )
    suite = parse_suite(text)
    assert suite.lines == [4, 6]
    assert suite.kwargs_lines == [4, 8]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('{"name": "s",\n "expectations": [\n  {"type": 3, "kwargs": {}}]}', "needs a 'type'", 3),
        (
            '{"name": "s",\n "expectations": [\n  {"type": "t",\n   "kwargs": []}]}',
            "'kwargs' must be an object",
            4,
        ),
        ('{"name": "s",\n "expectations": {}}', "needs an 'expectations' list", 2),
        ("[1, 2]", "must be a JSON object", 1),
    ],
)
def test_parse_suite_shape_errors_have_lines(text: str, message: str, line: int) -> None:
    with pytest.raises(SuiteError, match=message) as caught:
        parse_suite(text)
    assert caught.value.line == line
