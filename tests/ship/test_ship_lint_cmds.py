"""`dataops-ci avro-schema-lint` and `expectation-suite-lint`: the light commands behind pre-commit hooks."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dataops_ci.cli import main
from tests.conftest import Repo

ADDRESS = {
    "type": "record",
    "name": "Address",
    "namespace": "com.acme",
    "doc": "Where.",
    "fields": [{"name": "zip", "type": "string", "doc": "Postal code."}],
}
CUSTOMER = {
    "type": "record",
    "name": "Customer",
    "namespace": "com.acme",
    "doc": "Who.",
    "fields": [
        {"name": "id", "type": "long", "doc": "Key."},
        {"name": "address", "type": "com.acme.Address", "doc": "Home."},
    ],
}
SUITE = {
    "name": "customers",
    "expectations": [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}],
}
LEGACY = {
    "expectation_suite_name": "customers",
    "expectations": [{"expectation_type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}],
}


def lint(repo: Repo, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main([*argv, "-C", str(repo.root), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return code, report["checks"][0]


def rules(check: dict[str, object]) -> list[str]:
    findings = check["findings"]
    assert isinstance(findings, list)
    return [f["rule"] for f in findings]


def test_named_types_resolve_across_files_but_only_given_files_are_linted(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = {**ADDRESS, "name": "bad-name", "fields": ADDRESS["fields"]}
    repo.write(
        {
            "schemas/address.avsc": json.dumps(ADDRESS),
            "schemas/customer.avsc": json.dumps(CUSTOMER),
            "schemas/other.avsc": json.dumps(bad),
        }
    )
    code, check = lint(repo, capsys, "avro-schema-lint", "schemas/customer.avsc")
    assert (code, rules(check)) == (0, [])
    code, check = lint(repo, capsys, "avro-schema-lint")  # no files: every schema
    assert code == 1 and "invalid-name" in rules(check)


def test_inline_copies_lint_clean_per_file_and_clash_with_shared_references(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    home = {"name": "home", "type": ADDRESS, "doc": "Home."}
    fields = [{"name": "id", "type": "long", "doc": "Key."}, home]
    inline = {**CUSTOMER, "fields": fields}  # each subject inlines its own copy of Address
    supplier = {**inline, "name": "Supplier"}
    repo.write({"schemas/customer.avsc": json.dumps(inline), "schemas/supplier.avsc": json.dumps(supplier)})
    code, check = lint(repo, capsys, "avro-schema-lint")
    assert (code, rules(check)) == (0, [])
    repo.write({"dataops-ci.yml": "schemas:\n  references: shared\n"})
    code, check = lint(repo, capsys, "avro-schema-lint")
    assert (code, rules(check)) == (1, ["duplicate-name"])


def test_unparsable_schema_is_a_could_not_check_error_with_its_line(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write({"schemas/broken.avsc": '{\n  "type": "record",\n  "name": \n}'})
    code, check = lint(repo, capsys, "avro-schema-lint", "schemas/broken.avsc")
    [finding] = check["findings"]  # type: ignore[misc]
    assert code == 1 and check["status"] == "error"
    assert finding["rule"] == "cannot-parse-schema" and finding["line"] == 4


def test_default_of_the_wrong_type_warns_and_fails_only_on_warning(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = {**CUSTOMER, "fields": [{"name": "id", "type": "long", "default": "x", "doc": "Key."}]}
    repo.write({"schemas/customer.avsc": json.dumps(schema, indent=2)})
    code, check = lint(repo, capsys, "avro-schema-lint", "schemas/customer.avsc")
    assert (code, rules(check)) == (0, ["default-type-mismatch"])
    assert lint(repo, capsys, "avro-schema-lint", "--fail-on", "warning", "schemas/customer.avsc")[0] == 1


def test_suites_valid_legacy_and_broken(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    broken = {"name": "x", "expectations": [{"type": "expect_column_values_to_be_unique", "kwargs": "id"}]}
    unknown = {"name": "x", "expectations": [{"type": "column_is_nice", "kwargs": {}}]}
    repo.write(
        {
            "expectations/ok.json": json.dumps(SUITE),
            "expectations/legacy.json": json.dumps(LEGACY),
            "expectations/broken.json": json.dumps(broken, indent=2),
            "expectations/unknown.json": json.dumps(unknown, indent=2),
        }
    )
    assert lint(repo, capsys, "expectation-suite-lint", "expectations/ok.json")[0] == 0
    code, check = lint(repo, capsys, "expectation-suite-lint", "expectations/legacy.json")
    assert (code, rules(check)) == (0, ["legacy-suite-format"])
    code, _ = lint(repo, capsys, "expectation-suite-lint", "--fail-on", "warning", "expectations/legacy.json")
    assert code == 1
    code, check = lint(repo, capsys, "expectation-suite-lint", "expectations/broken.json")
    assert (code, rules(check), check["findings"][0]["line"]) == (1, ["cannot-parse-suite"], 6)  # type: ignore[index]
    code, check = lint(repo, capsys, "expectation-suite-lint", "expectations/unknown.json")
    assert (code, rules(check)) == (1, ["unknown-expectation"])


def test_without_files_the_configured_suites_are_linted(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write(
        {
            "dataops-ci.yml": (
                "expectations:\n  suites:\n    - {suite: expectations/legacy.json, data: data/c.csv}\n"
            ),
            "expectations/legacy.json": json.dumps(LEGACY),
        }
    )
    code, check = lint(repo, capsys, "expectation-suite-lint")
    assert (code, rules(check)) == (0, ["legacy-suite-format"])


def test_the_lint_commands_import_nothing_heavy(make_repo: Callable[..., Repo]) -> None:
    repo = make_repo()
    repo.write({"schemas/a.avsc": json.dumps(ADDRESS), "expectations/s.json": json.dumps(SUITE)})
    probe = (
        "import sys; from dataops_ci.cli import main; "
        "main(['avro-schema-lint', '-C', sys.argv[1]]); main(['expectation-suite-lint', '-C', sys.argv[1], "
        "'expectations/s.json']); "
        "heavy = [m for m in ('great_expectations', 'pandas', 'sqlfluff', 'pyspark', 'numpy') "
        "if m in sys.modules]; "
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(repo.root)], capture_output=True, text=True).stdout
    assert "HEAVY []" in out, out


def test_a_file_outside_the_schema_paths_is_named(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write(
        {"dataops-ci.yml": "schemas:\n  paths: ['schemas/*.avsc']\n", "other/x.avsc": json.dumps(ADDRESS)}
    )
    code, check = lint(repo, capsys, "avro-schema-lint", "other/x.avsc")
    assert (code, rules(check)) == (1, ["cannot-read-file"])
    assert Path("other/x.avsc").as_posix() in check["findings"][0]["message"]  # type: ignore[index]
