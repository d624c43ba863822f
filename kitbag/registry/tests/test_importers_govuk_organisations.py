"""GOV.UK's organisations API on small fixture files: new bodies, succession, acronyms, websites,
and how it adds to the 2017 register without undoing it (run twice: everything unchanged)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kitbag.core.importing.files import SourceError
from kitbag.core.importing.importer import Importer
from kitbag.core.importing.report import ImportReport
from kitbag.core.models import ImportRun
from kitbag.core.sources import DATA_SOURCES
from kitbag.registry import resolver
from kitbag.registry.importers.government import GovernmentOrganisationImporter
from kitbag.registry.importers.govuk_organisations import GovukOrganisationImporter
from kitbag.registry.models import (
    IdentifierScheme,
    Organisation,
    OrganisationKind,
    ParentRelation,
    Succession,
)
from kitbag.registry.tests.fixtures import FIXTURES, copy_of_fixtures, registry_snapshot

pytestmark = pytest.mark.django_db

MAIN = Path("govuk_organisations_api") / "organisations.json"


def run(importer: type[Importer[Any]], data_dir: Path = FIXTURES) -> ImportReport:
    return importer(data_dir=data_dir).run()


def both(data_dir: Path = FIXTURES) -> ImportReport:
    run(GovernmentOrganisationImporter, data_dir)
    return run(GovukOrganisationImporter, data_dir)


def body(register_id: str) -> Organisation:
    return Organisation.objects.get(
        identifiers__scheme=IdentifierScheme.GOVERNMENT_ORGANISATION,
        identifiers__value=register_id,
    )


def aliases(organisation: Organisation) -> set[str]:
    return set(organisation.names.values_list("name", flat=True))


def successors(organisation: Organisation) -> dict[str, dt.date | None]:
    return {
        link.successor.code: link.date
        for link in Succession.objects.filter(predecessor=organisation).select_related("successor")
    }


# The happy path


def test_bodies_created_since_2017_are_added_and_the_register_s_are_matched_by_id() -> None:
    report = both()

    assert (report.rows_read, report.created, report.updated, report.unchanged) == (14, 8, 4, 2)
    assert report.rejected == 0
    dsit = body("D1381")
    assert dsit.kind == OrganisationKind.CENTRAL_GOVERNMENT
    assert dsit.name == "Department for Science, Innovation and Technology"
    assert dsit.code == dsit.slug == "department-for-science-innovation-and-technology"
    assert (dsit.classification_code, dsit.classification_name) == ("other", "Other")
    assert dsit.is_current
    # Matched on the register id: one body each, not a second copy.
    assert Organisation.objects.filter(name="Attorney General's Office").count() == 1
    assert Organisation.objects.of_kind(OrganisationKind.CENTRAL_GOVERNMENT).count() == 6 + 8


def test_a_body_gets_its_govuk_slug_and_register_id_as_identifiers() -> None:
    both()

    identifiers = {(i.scheme, i.value) for i in body("D1380").identifiers.all()}

    assert identifiers == {
        (IdentifierScheme.GOVERNMENT_ORGANISATION, "D1380"),
        (IdentifierScheme.GOVUK_SLUG, "department-for-energy-security-and-net-zero"),
    }


def test_a_new_body_s_parents_come_from_govuk() -> None:
    both()

    space = body("EA1")

    assert [(link.parent.code, link.relation) for link in space.parent_links.all()] == [
        ("department-for-science-innovation-and-technology", ParentRelation.PARENT_ORGANISATION)
    ]


# Never an edit of what the 2017 register has


def test_a_title_changed_under_the_same_id_becomes_an_alias_and_the_name_stays() -> None:
    both()

    health = body("D12")

    assert health.name == "Department of Health"
    assert health.code == "department-of-health"
    assert {"DHSC", "Department of Health and Social Care"} <= aliases(health)
    assert health.is_current


def test_the_register_s_parents_and_dates_are_kept() -> None:
    both()

    resolution = body("OT488")
    fraud = body("PB29")

    assert [link.parent.code for link in resolution.parent_links.all()] == ["department-of-health"]
    assert fraud.end_date == dt.date(2014, 3, 1)  # the register's, not GOV.UK's 2014-03-31


def test_a_body_closed_since_2017_is_closed_by_the_day_its_record_last_changed() -> None:
    report = both()

    treasury_solicitor = body("D73")

    assert treasury_solicitor.end_date == dt.date(2015, 4, 1)
    assert not treasury_solicitor.is_current
    assert successors(treasury_solicitor) == {}
    assert (
        "organisations.json, line 107, field superseding_organisations: no other organisation "
        "'government-legal-department'; succession not recorded"
    ) in report.skipped


def test_the_2017_register_run_again_does_not_undo_what_govuk_added() -> None:
    both()

    again = run(GovernmentOrganisationImporter)

    assert (again.updated, again.unchanged) == (0, 6)
    assert body("D73").end_date == dt.date(2015, 4, 1)


# Succession


def test_a_split_department_is_kept_with_its_successors() -> None:
    both()

    beis = body("D1198")

    assert beis.end_date == dt.date(2023, 2, 7)
    assert not beis.is_current
    assert successors(beis) == {
        "department-for-energy-security-and-net-zero": dt.date(2023, 2, 7),
        "department-for-science-innovation-and-technology": dt.date(2023, 2, 7),
        "department-for-business-and-trade": dt.date(2023, 2, 7),
    }


def test_renames_are_successions_of_separate_records() -> None:
    both()

    first, levelling_up, current = body("D4"), body("D1342"), body("D1419")

    assert successors(first) == {levelling_up.code: dt.date(2021, 9, 19)}
    # No closed_at: the succession has no date, though the body is closed by its last change.
    assert successors(levelling_up) == {current.code: None}
    assert levelling_up.end_date == dt.date(2024, 8, 16)
    assert levelling_up.name == "Department for Levelling Up, Housing and Communities"
    assert current.is_current and not first.is_current and not levelling_up.is_current


# Acronyms


def test_acronyms_are_aliases_and_resolve_to_the_current_body() -> None:
    both()

    for acronym, register_id in [
        ("DSIT", "D1381"),
        ("DESNZ", "D1380"),
        ("DBT", "D1382"),
        ("MHCLG", "D1419"),  # not the 2018 MHCLG, which is closed
        ("BEIS", "D1198"),
        ("DHSC", "D12"),
    ]:
        match = resolver.resolve_name(acronym).best
        assert match is not None, acronym
        assert match.organisation_id == body(register_id).pk, acronym
    assert "DSIT" in aliases(body("D1381"))


# Websites


def test_a_new_body_s_website_is_its_govuk_page_and_a_given_one_is_kept() -> None:
    both()

    assert (
        body("D1382").website
        == "https://www.gov.uk/government/organisations/department-for-business-and-trade"
    )
    assert body("D12").website == "https://www.gov.uk/government/organisations/department-of-health"


# Idempotency


def test_a_second_run_reports_every_body_unchanged_and_changes_nothing() -> None:
    both()
    before = registry_snapshot()
    del before["ImportRun"]

    again = run(GovukOrganisationImporter)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 14)
    after = registry_snapshot()
    del after["ImportRun"]
    assert after == before


def test_the_source_alone_on_an_empty_registry_creates_every_body_once() -> None:
    first = run(GovukOrganisationImporter)
    again = run(GovukOrganisationImporter)

    assert (first.created, again.created, again.updated, again.unchanged) == (14, 0, 0, 14)
    assert body("D12").name == "Department of Health and Social Care"


def test_the_command_runs_it_by_its_source_name_and_credits_it() -> None:
    out = StringIO()

    call_command(
        "import_registry", data_dir=str(FIXTURES), source=["govuk-organisations"], stdout=out
    )

    assert "govuk-organisations: 14 rows read, 14 created" in out.getvalue()
    assert ImportRun.objects.get().source == "govuk-organisations"
    credited = {source.name: source for source in DATA_SOURCES}["govuk-organisations"]
    assert credited.licence == "Open Government Licence v3.0"


# Bad input: file, line and field, and nothing written


def spoil(tmp_path: Path, change: Any) -> Path:
    data_dir = copy_of_fixtures(tmp_path)
    path = data_dir / MAIN
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return data_dir


def record_line(data_dir: Path, index: int) -> int:
    """The line the index-th record starts on (each starts with "{" alone on its line)."""
    lines = (data_dir / MAIN).read_text(encoding="utf-8").splitlines()
    starts = [number for number, line in enumerate(lines, start=1) if line == "  {"]
    return starts[index]


@pytest.mark.parametrize(
    ("index", "change", "message"),
    [
        (
            1,
            lambda d: d[1].update(analytics_identifier=None),
            "field analytics_identifier: a register id is required",
        ),
        (
            2,
            lambda d: d[2].update(analytics_identifier="D1"),
            "field analytics_identifier: duplicate record 'D1' (first on line 2)",
        ),
        (
            1,
            lambda d: d[1]["details"].update(govuk_status="abolished"),
            "field details: govuk_status 'abolished' is not one of closed, exempt, joining, live, "
            "transitioning",
        ),
        (
            4,
            lambda d: d[4]["details"].update(closed_at="31/03/2014"),
            "field details: closed_at '31/03/2014' is not a date and time (ISO 8601)",
        ),
        (
            4,
            lambda d: d[4].update(updated_at=20140331),
            "field updated_at: updated_at 20140331 is not a date and time (ISO 8601)",
        ),
        (
            6,
            lambda d: d[6].update(superseding_organisations=[{"web_url": "x"}]),
            "field superseding_organisations: {'web_url': 'x'} is not a link with an id",
        ),
        (
            0,
            lambda d: d[0].update(web_url="gov.uk"),
            "field web_url: 'gov.uk' is not a web address",
        ),
        (
            0,
            lambda d: d[0]["details"].update(slug="Attorney General"),
            "field details: slug 'Attorney General' is not a GOV.UK slug",
        ),
        (
            3,
            lambda d: d[3].update(title="x" * 256),
            f"field title: title {'x' * 40!r}... is longer than 255",
        ),
        (
            3,
            lambda d: d[3].update(details="nhs-resolution"),
            "field details: must be an object",
        ),
    ],
)
def test_bad_input_names_file_line_and_field_and_changes_nothing(
    tmp_path: Path, index: int, change: Any, message: str
) -> None:
    data_dir = spoil(tmp_path, change)
    run(GovernmentOrganisationImporter, data_dir)
    before = registry_snapshot()

    with pytest.raises(SourceError) as refused:
        run(GovukOrganisationImporter, data_dir)

    assert str(refused.value) == (
        f"organisations.json, line {record_line(data_dir, index)}, {message}"
    )
    assert registry_snapshot() == before


def test_a_document_that_is_not_a_list_is_refused_by_the_command(tmp_path: Path) -> None:
    data_dir = copy_of_fixtures(tmp_path)
    (data_dir / MAIN).write_text('{"results": []}', encoding="utf-8")

    with pytest.raises(
        CommandError, match="organisations.json: the file must be a list of records"
    ):
        call_command(
            "import_registry",
            data_dir=str(data_dir),
            source=["govuk-organisations"],
            stdout=StringIO(),
        )
    assert not Organisation.objects.exists()
