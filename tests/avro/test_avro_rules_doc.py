"""RULES documents every rule, every rule is unit-tested, and docs/avro-rules.md is generated from RULES."""

from __future__ import annotations

from pathlib import Path

from dataops_ci.avro import RULES
from dataops_ci.avro.rules import rules_document
from tests.avro.test_avro_compare import CASES
from tests.avro.test_avro_lint import LINT_CASES
from tests.avro.test_avro_parse import INVALID

DOC = Path(__file__).resolve().parents[2] / "docs" / "avro-rules.md"
# Rules with their own dedicated tests rather than a row in the tables.
DEDICATED = {"invalid-json", "field-readded-with-other-type", "ambiguous-type"}  # test_avro_references


def test_every_rule_is_documented_with_examples() -> None:
    for rule, doc in RULES.items():
        assert rule == rule.lower() and " " not in rule
        assert doc.summary and doc.bad and doc.good, rule
        assert doc.kind in {"wire", "warning", "notice", "lint", "parse"}


def test_every_rule_has_a_test_case_and_every_tested_rule_is_documented() -> None:
    tested = {rule for case in CASES for rule, _, _ in case[4]}
    tested |= {case[2] for case in LINT_CASES} | {case[2] for case in INVALID} | DEDICATED
    assert tested == set(RULES)


def test_docs_file_is_generated_from_rules() -> None:
    assert DOC.read_text(encoding="utf-8") == rules_document(), (
        'regenerate: python -c "from dataops_ci.avro.rules import rules_document; '
        "print(rules_document(), end='')\" > docs/avro-rules.md"
    )


def test_readme_rule_list_is_generated_from_rules() -> None:
    from dataops_ci.avro.rules import rules_markdown

    readme = (DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    section = (
        readme.split("<!-- avro-rules:start", 1)[1].split("-->", 1)[1].split("<!-- avro-rules:end -->")[0]
    )
    # The README nests the generated headings one level deeper (under "### Avro schemas").
    assert section.strip() == rules_markdown().replace("### ", "#### ").strip()
