"""The one rule for text Kitbag stores, and the validator forms and serializers share."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kitbag.cases.models import Case
from kitbag.core.text_limits import LONG_TEXT_MAX_LENGTH, Problem, max_length_of, text_problem
from kitbag.core.validators import TextValidator, field_name


@pytest.mark.parametrize(
    "value",
    [
        "Text reminders cut missed bins",
        "Ynys Môn, Caerdydd – “quoted” ½ 🚮",
        "tab\tseparated",
        "two\nlines\r\nand a carriage return\r",
        "\u0085 and \u00a0 are not C0 controls",
        "x" * LONG_TEXT_MAX_LENGTH,
        "",
    ],
)
def test_ordinary_text_passes(value: str) -> None:
    assert text_problem(value) is None


@pytest.mark.parametrize(
    ("value", "code_point", "position"),
    [
        ("Text\x00 reminders", "U+0000", 5),
        ("\x07bell", "U+0007", 1),
        ("escape \x1b[31m", "U+001B", 8),
        ("form\x0cfeed", "U+000C", 5),
        ("vertical\x0btab", "U+000B", 9),
        ("delete\x7f", "U+007F", 7),
        ("lone \ud800 surrogate", "U+D800", 6),
    ],
)
def test_nul_and_other_control_characters_are_refused_saying_where(
    value: str, code_point: str, position: int
) -> None:
    problem = text_problem(value)
    assert problem is not None
    assert problem.kind is Problem.CONTROL_CHARACTER
    assert problem.describe() == (
        f"the value contains the control character {code_point} at character {position}"
    )
    assert problem.sentence("Title") == (
        f"Title must not contain control characters: remove the {code_point} "
        f"at character {position}"
    )


def test_a_one_line_field_refuses_line_breaks() -> None:
    assert text_problem("one\nline", single_line=True) is not None
    assert text_problem("one\rline", single_line=True) is not None
    problem = text_problem("one\tline", single_line=True)
    assert problem is None


def test_text_over_its_length_is_refused_and_ten_megabytes_is_quick() -> None:
    problem = text_problem("x" * 10 * 1024 * 1024 + "\x00")
    assert problem is not None
    assert problem.kind is Problem.TOO_LONG
    assert problem.describe() == (
        "the value is 10,485,761 characters long; the most it can be is 20,000"
    )
    assert problem.sentence("Summary") == (
        "Summary must be 20,000 characters or fewer (it is 10,485,761)"
    )
    assert text_problem("x" * 256, max_length=255) is not None
    assert text_problem("x" * 10**6, max_length=None) is None


def test_a_char_field_holds_its_max_length_and_a_text_field_the_long_text_cap() -> None:
    assert max_length_of(Case._meta.get_field("title")) == 255
    assert max_length_of(Case._meta.get_field("summary")) == LONG_TEXT_MAX_LENGTH


def test_the_validator_names_the_field_in_its_message() -> None:
    validator = TextValidator(name="Notes", max_length=10)
    validator("fine")
    with pytest.raises(ValidationError) as refused:
        validator("far too long for it")
    assert refused.value.messages == ["Notes must be 10 characters or fewer (it is 19)"]
    assert refused.value.code == "too_long"


@pytest.mark.parametrize(
    ("label", "name", "subject"),
    [
        ("Anything others should know (optional)", "notes", "Anything others should know"),
        ("What changed on the way? (optional)", "changes_made", "What changed on the way"),
        ("name", "display_name", "Name"),
        (None, "changes_made", "Changes made"),
    ],
)
def test_a_field_is_named_by_its_label(label: str | None, name: str, subject: str) -> None:
    assert field_name(label, name) == subject
