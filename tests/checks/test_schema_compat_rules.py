"""Mode selection and the allowlist of approved breaks, on their own."""

from __future__ import annotations

import datetime as dt

from dataops_ci.checks.schema_compat.allow import apply_approvals, approval_matches, useless_approvals
from dataops_ci.checks.schema_compat.plan import mode_for, split_mode
from dataops_ci.config import Approval
from dataops_ci.report import Finding

TODAY = dt.date(2026, 11, 24)
BREAK = Finding(
    "error",
    "field-removed",
    "field fax was removed (breaks writers)",
    file="schemas/customer.avsc",
    line=9,
    path="Customer.fax",
    hint="keep the field",
    data={"breaks": "writers"},
)


def test_mode_precedence_exact_file_then_last_glob_then_cli_then_default() -> None:
    overrides = {
        "schemas/events/**": "FULL_TRANSITIVE",
        "schemas/events/legacy/*": "NONE",
        "schemas/x.avsc": "FULL",
    }
    assert mode_for("schemas/x.avsc", "BACKWARD", overrides, "FORWARD") == "FULL"
    assert mode_for("schemas/events/click.avsc", "BACKWARD", overrides, "FORWARD") == "FULL_TRANSITIVE"
    assert mode_for("schemas/events/legacy/old.avsc", "BACKWARD", overrides, None) == "NONE"
    assert mode_for("schemas/customer.avsc", "BACKWARD", overrides, "FORWARD") == "FORWARD"
    assert mode_for("schemas/customer.avsc", "BACKWARD", overrides, None) == "BACKWARD"


def test_split_mode() -> None:
    assert split_mode("FULL_TRANSITIVE") == ("FULL", True)
    assert split_mode("BACKWARD") == ("BACKWARD", False)


def test_approval_turns_a_break_into_a_notice_with_its_reason() -> None:
    approval = Approval(file="schemas/*.avsc", rule="field-removed", path="Customer.*", reason="fax is gone")
    [approved] = apply_approvals([BREAK], [approval], TODAY)
    assert approved.severity == "notice"
    assert "fax is gone" in approved.message and approved.data["approved"] == "fax is gone"
    assert approved.data["original_severity"] == "error"


def test_expired_approval_fails_again_and_says_it_expired() -> None:
    approval = Approval(rule="field-removed", reason="fax is gone", expires=dt.date(2026, 11, 23))
    [still] = apply_approvals([BREAK], [approval], TODAY)
    assert still.severity == "error"
    assert "expired on 2026-11-23" in still.message and "fax is gone" in still.message
    on_the_day = Approval(rule="field-removed", reason="r", expires=TODAY)
    assert apply_approvals([BREAK], [on_the_day], TODAY)[0].severity == "notice"


def test_live_approval_wins_over_an_expired_one() -> None:
    old = Approval(rule="field-removed", reason="old", expires=dt.date(2020, 1, 1))
    new = Approval(rule="field-removed", reason="new")
    assert apply_approvals([BREAK], [old, new], TODAY)[0].data["approved"] == "new"


def test_approval_must_match_every_key_it_gives() -> None:
    assert approval_matches(Approval(file="schemas/customer.avsc", reason="r"), BREAK)
    assert not approval_matches(
        Approval(file="schemas/customer.avsc", rule="type-changed", reason="r"), BREAK
    )
    assert not approval_matches(Approval(path="Customer.email", reason="r"), BREAK)
    assert not approval_matches(Approval(file="other/*.avsc", reason="r"), BREAK)
    renamed = Finding(
        "error", "field-removed", "m", file="new/c.avsc", data={"old_file": "schemas/customer.avsc"}
    )
    assert approval_matches(Approval(file="schemas/customer.avsc", reason="r"), renamed)


def test_approval_without_keys_approves_nothing_and_is_reported() -> None:
    empty = Approval(reason="everything, please")
    assert apply_approvals([BREAK], [empty], TODAY) == [BREAK]
    [warning] = useless_approvals([empty])
    assert warning.rule == "approval-matches-nothing" and "schemas.allow[0]" in warning.message


def test_notices_are_never_rewritten_by_approvals() -> None:
    notice = Finding("notice", "doc-changed", "doc changed", file="schemas/customer.avsc")
    assert apply_approvals([notice], [Approval(rule="*", reason="r")], TODAY) == [notice]
