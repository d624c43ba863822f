"""`kitbag resolve`: names in on standard input or from a CSV column, one line out per name."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kitbag.registry.models import OrganisationKind
from kitbag.registry.resolver import invalidate_index
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def registry() -> None:
    OrganisationFactory(name="London Borough of Camden", short_name="Camden", code="CMD")
    OrganisationFactory(name="Bristol City Council", short_name="Bristol", code="BST")
    OrganisationFactory(
        kind=OrganisationKind.POLICE_FORCE,
        name="Kent Police",
        short_name="",
        slug="kent-police",
        code="kent",
    )
    invalidate_index()


def resolve(stdin: str = "", *args: str) -> list[list[str]]:
    out = io.StringIO()
    call_command("resolve", *args, stdin=io.StringIO(stdin), stdout=out)
    return [line.split("\t") for line in out.getvalue().splitlines()]


def test_each_line_in_gives_code_kind_score_and_official_name_out() -> None:
    assert resolve("LB Camden\nBristol CC\n") == [
        ["LB Camden", "CMD", "local-authority", "0.98", "London Borough of Camden"],
        ["Bristol CC", "BST", "local-authority", "0.98", "Bristol City Council"],
    ]


def test_a_name_with_no_confident_match_keeps_its_line_with_empty_fields() -> None:
    assert resolve("County Council\nCamden\n") == [
        ["County Council", "", "", "0.00", ""],
        ["Camden", "CMD", "local-authority", "0.97", "London Borough of Camden"],
    ]


def test_blank_lines_give_empty_lines_so_output_lines_up_with_input() -> None:
    rows = resolve("Camden\n\n   \nBristol")
    assert [row[1] for row in rows] == ["CMD", "", "", "BST"]
    assert rows[1] == ["", "", "", "", ""]
    assert rows[2] == ["   ", "", "", "", ""]


def test_windows_line_endings_are_not_part_of_the_name() -> None:
    assert resolve("Camden\r\nBristol\r\n")[0][:2] == ["Camden", "CMD"]


def test_kind_limits_the_bodies_matched() -> None:
    assert resolve("Kent Police\n")[0][1] == "kent"
    assert resolve("Kent Police\n", "--kind", "local-authority")[0][1:] == ["", "", "0.00", ""]


def test_names_can_come_from_a_csv_column(tmp_path: Path) -> None:
    path = tmp_path / "suppliers.csv"
    path.write_text(
        '\ufeffid,buyer\n1,LB Camden\n2,\n3,"Bristol, City of"\n4,Nowhere\n', encoding="utf-8"
    )

    rows = resolve("", "--csv", str(path), "--column", "buyer")

    assert [row[:2] for row in rows] == [
        ["LB Camden", "CMD"],
        ["", ""],
        ["Bristol, City of", "BST"],
        ["Nowhere", ""],
    ]


def test_a_tab_or_line_break_inside_a_csv_name_cannot_break_the_lines(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text('name\n"London Borough\nof Camden"\n"Bristol\tCC"\n', encoding="utf-8")

    rows = resolve("", "--csv", str(path), "--column", "name")

    assert [row[:2] for row in rows] == [
        ["London Borough of Camden", "CMD"],
        ["Bristol CC", "BST"],
    ]


def test_a_missing_csv_file_is_named_in_the_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(CommandError, match=f"CSV file not found: {missing}"):
        resolve("", "--csv", str(missing), "--column", "name")


def test_a_missing_column_is_named_with_the_file_and_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("id,organisation\n1,Camden\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        resolve("", "--csv", str(path), "--column", "name")

    message = str(error.value)
    assert "'name'" in message and str(path) in message and "'organisation'" in message


def test_csv_and_column_go_together(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--csv and --column go together"):
        resolve("", "--column", "name")


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(CommandError, match="invalid choice: 'council'"):
        resolve("Camden", "--kind", "council")


def test_the_command_line_shows_errors_as_a_message_and_exit_status() -> None:
    # Through the real entry point, as a person would run it.
    completed = subprocess.run(
        [sys.executable, "-m", "kitbag", "resolve", "--column", "name"],
        capture_output=True,
        text=True,
        input="",
        check=False,
    )
    assert completed.returncode == 1
    assert "--csv and --column go together" in completed.stderr
