"""Council policies: append-only versions, the stricter-than-law flag, who may set one, evidence,
and the statutory position shown where no policy is recorded."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client

from kitbag.accounts.models import ModerationLogEntry, User
from kitbag.meetings.models import PolicyBasis, PolicyVersion
from kitbag.meetings.openness import queries as openness_queries
from kitbag.meetings.openness import services as openness_services
from kitbag.meetings.openness.services import NotPermitted, PolicyChange
from kitbag.meetings.tests.openness_world import World, make_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% standing orders\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def world() -> World:
    return make_world()


def _record(
    world: World,
    status: str,
    *,
    council: object = None,
    activity: str = "filming",
    by: User | None = None,
) -> PolicyVersion:
    return openness_services.record_policy(
        council=council or world.riverside,  # type: ignore[arg-type]
        activity=activity,
        change=PolicyChange(
            status=status,
            evidence_url="https://riverside.example/standing-orders.pdf",
            evidence_date=dt.date(2024, 5, 1),
            note=f"Standing orders say {status}",
        ),
        by=by or world.editor,
    )


def test_each_new_policy_is_a_new_version_and_the_old_one_stays_in_the_history(
    world: World,
) -> None:
    first = _record(world, "permission-required")
    second = _record(world, "allowed-with-conditions")
    third = _record(world, "allowed")

    versions = list(PolicyVersion.objects.filter(council=world.riverside, activity="filming"))
    assert [v.number for v in versions] == [3, 2, 1]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "permission-required" and first.superseded_at is not None
    assert second.superseded_at is not None and third.superseded_at is None
    assert [v.status for v in versions] == [
        "allowed",
        "allowed-with-conditions",
        "permission-required",
    ]

    history = {
        item.cell.activity: item for item in openness_queries.council_openness(world.riverside)
    }
    assert history["filming"].cell.version == third
    assert [v.number for v in history["filming"].history] == [3, 2, 1]


def test_a_council_can_have_only_one_current_version_per_activity(world: World) -> None:
    version = _record(world, "allowed")
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.create(
            council=world.riverside,
            activity="filming",
            number=version.number + 1,
            status="prohibited",
            verified_by_label="x",
        )


def test_activities_are_versioned_separately(world: World) -> None:
    _record(world, "allowed", activity="filming")
    photo = _record(world, "allowed", activity="photography")
    assert photo.number == 1


def test_refusing_filming_in_england_is_flagged_as_stricter_than_the_law(world: World) -> None:
    assert _record(world, "prohibited").stricter_than_law
    assert _record(world, "permission-required").stricter_than_law
    assert not _record(world, "allowed-with-conditions").stricter_than_law


def test_refusing_filming_where_the_law_leaves_it_to_the_council_is_not_flagged(
    world: World,
) -> None:
    glen_editor = world.outsider_editor
    assert not _record(world, "prohibited", council=world.glen, by=glen_editor).stricter_than_law
    assert not _record(world, "prohibited", council=world.cwm, by=world.moderator).stricter_than_law


def test_a_welsh_council_that_does_not_webcast_full_council_is_flagged(world: World) -> None:
    version = _record(
        world, "prohibited", council=world.cwm, activity="council-webcast", by=world.moderator
    )
    assert version.stricter_than_law
    no_duty = _record(world, "prohibited", council=world.riverside, activity="council-webcast")
    assert not no_duty.stricter_than_law


def test_a_northern_irish_council_that_publishes_no_recordings_is_flagged(world: World) -> None:
    version = _record(
        world,
        "prohibited",
        council=world.lough,
        activity="published-recordings",
        by=world.moderator,
    )
    assert version.stricter_than_law


def test_oral_commentary_may_be_refused_in_england_without_a_flag(world: World) -> None:
    assert not _record(world, "prohibited", activity="oral-commentary").stricter_than_law


def test_without_a_policy_a_council_shows_its_nations_statutory_position(world: World) -> None:
    cells = {i.cell.activity: i.cell for i in openness_queries.council_openness(world.riverside)}
    assert cells["filming"].from_law and cells["filming"].status == "allowed"
    assert cells["filming"].source == "law" and "2014/2095" in cells["filming"].law_citation
    assert cells["oral-commentary"].from_law and cells["oral-commentary"].status == "unknown"
    assert cells["oral-commentary"].source == "unknown"
    assert cells["filming"].rule is not None and "2014/2095" in cells["filming"].rule.instrument
    glen = {i.cell.activity: i.cell for i in openness_queries.council_openness(world.glen)}
    assert glen["filming"].from_law and glen["filming"].status == "unknown"


def test_without_a_policy_a_statutory_duty_is_the_answer_never_unknown(world: World) -> None:
    """Wales must broadcast full council; Northern Ireland must publish its recordings."""
    cwm = {i.cell.activity: i.cell for i in openness_queries.council_openness(world.cwm)}
    for activity in ("council-webcast", "published-recordings"):
        assert (cwm[activity].status, cwm[activity].source) == ("allowed", "law")
        assert cwm[activity].status_label == "Required by law"
        assert cwm[activity].law_citation.endswith("(Wales) Act 2021, section 46")
        assert cwm[activity].law_url.startswith("https://www.legislation.gov.uk/")
    lough = {i.cell.activity: i.cell for i in openness_queries.council_openness(world.lough)}
    assert (lough["published-recordings"].status, lough["published-recordings"].source) == (
        "allowed",
        "law",
    )
    assert lough["council-webcast"].source == "unknown"


def test_a_policy_answers_over_the_law_and_one_saying_unknown_leaves_the_law_standing(
    world: World,
) -> None:
    _record(world, "unknown", council=world.cwm, activity="council-webcast", by=world.moderator)
    _record(world, "prohibited", council=world.cwm, activity="filming", by=world.moderator)
    cwm = {i.cell.activity: i.cell for i in openness_queries.council_openness(world.cwm)}
    webcast = cwm["council-webcast"]
    assert (webcast.status, webcast.source, webcast.from_law) == ("allowed", "law", False)
    assert webcast.version is not None  # its evidence is still shown
    assert (cwm["filming"].status, cwm["filming"].source) == ("prohibited", "policy")


def test_a_policy_from_an_accepted_report_says_so(world: World) -> None:
    openness_services.record_policy(
        council=world.glen,
        activity="filming",
        change=PolicyChange(status="prohibited"),
        by=world.moderator,
        basis=PolicyBasis.ACCEPTED_REPORT,
    )
    glen = {i.cell.activity: i.cell for i in openness_queries.council_openness(world.glen)}
    assert (glen["filming"].status, glen["filming"].source) == ("prohibited", "reports")


def test_every_policy_version_is_in_the_public_moderation_log(world: World) -> None:
    version = _record(world, "allowed")
    entry = ModerationLogEntry.objects.get(object_type="openness-policy", object_id=str(version.pk))
    assert entry.visibility == ModerationLogEntry.Visibility.PUBLIC
    assert entry.reason == "Standing orders say allowed"
    assert "editor@" not in entry.actor_label
    assert version.verified_by == world.editor
    assert version.verified_by_label == "a verified member of Riverside"
    assert version.basis == PolicyBasis.EVIDENCE


@pytest.mark.parametrize("who", ["editor", "admin", "moderator", "staff"])
def test_the_councils_editors_admins_moderators_and_staff_may_set_its_policy(
    world: World, who: str
) -> None:
    assert _record(world, "allowed", by=getattr(world, who)).number == 1


@pytest.mark.parametrize("who", ["member", "other", "reporter", "outsider_editor"])
def test_members_without_an_editing_role_and_everyone_else_may_not(world: World, who: str) -> None:
    with pytest.raises(NotPermitted):
        _record(world, "allowed", by=getattr(world, who))
    assert not PolicyVersion.objects.exists()


def test_nobody_signed_out_may_set_a_policy(world: World) -> None:
    with pytest.raises(NotPermitted):
        openness_services.record_policy(
            council=world.riverside,
            activity="filming",
            change=PolicyChange(status="allowed"),
            by=None,
        )


# --- The pages ----------------------------------------------------------------------------------


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "activity": "filming",
        "status": "permission-required",
        "conditions": "Ask the chair in writing 24 hours before.",
        "evidence_url": "https://riverside.example/protocol",
        "evidence_date": "2024-05-01",
        "note": "New protocol",
    }
    data.update(overrides)
    return data


def test_an_editor_records_a_policy_through_the_form_and_sees_it_flagged(
    world: World, client: Client
) -> None:
    client.force_login(world.editor)
    page = client.get("/meetings/riverside/openness/policy/?activity=filming")
    assert page.status_code == 200
    assert len(re.findall(r"<h1[\s>]", page.content.decode())) == 1
    response = client.post("/meetings/riverside/openness/policy/", _form())
    assert response.status_code == 302
    version = PolicyVersion.objects.get()
    assert version.status == "permission-required" and version.stricter_than_law
    html = client.get("/meetings/riverside/openness/").content.decode()
    assert "Stricter than the law" in html
    assert "Ask the chair in writing 24 hours before." in html


def test_a_member_without_an_editing_role_is_refused_the_form(world: World, client: Client) -> None:
    client.force_login(world.member)
    assert client.get("/meetings/riverside/openness/policy/").status_code == 403
    assert client.post("/meetings/riverside/openness/policy/", _form()).status_code == 403
    assert not PolicyVersion.objects.exists()


def test_someone_signed_out_is_sent_to_sign_in(world: World, client: Client) -> None:
    response = client.get("/meetings/riverside/openness/policy/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_a_policy_needs_evidence_and_a_date_and_the_errors_are_summarised(
    world: World, client: Client
) -> None:
    client.force_login(world.editor)
    response = client.post(
        "/meetings/riverside/openness/policy/", _form(evidence_url="", evidence_date="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "<title>Error:" in html
    assert "Give a link to the evidence or upload it" in html
    assert "Enter the date" in html
    assert not PolicyVersion.objects.exists()


def test_an_uploaded_pdf_is_stored_under_a_random_name_and_served_to_anyone(
    world: World, client: Client, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    client.force_login(world.editor)
    upload = SimpleUploadedFile("Standing Orders <2024>.pdf", PDF, content_type="application/pdf")
    response = client.post(
        "/meetings/riverside/openness/policy/", _form(evidence_url="", evidence_file=upload)
    )
    assert response.status_code == 302
    version = PolicyVersion.objects.get()
    name = version.evidence_file.name or ""
    assert name.startswith("openness/evidence/")
    assert "Standing" not in name and name.endswith(".pdf")
    client.logout()
    served = client.get(f"/meetings/openness/policies/{version.pk}/evidence")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF  # type: ignore[attr-defined]
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.exe", b"MZ", "The file must be a PDF, PNG or JPEG"),
        ("fake.pdf", b"<html><script>", "The file is not really a PDF"),
        ("photo.png", b"\xff\xd8\xff not a png", "The file is not really a PNG"),
    ],
)
def test_uploads_of_the_wrong_type_are_refused(
    world: World, client: Client, name: str, content: bytes, message: str
) -> None:
    client.force_login(world.editor)
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        "/meetings/riverside/openness/policy/", _form(evidence_url="", evidence_file=upload)
    )
    assert message in response.content.decode()
    assert not PolicyVersion.objects.exists()


def test_uploads_that_are_too_big_are_refused(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kitbag.meetings.openness import forms as openness_forms

    monkeypatch.setattr(openness_forms, "MAX_EVIDENCE_BYTES", 16)
    client.force_login(world.editor)
    upload = SimpleUploadedFile("big.png", PNG)
    response = client.post(
        "/meetings/riverside/openness/policy/", _form(evidence_url="", evidence_file=upload)
    )
    assert "The file must be smaller than" in response.content.decode()
    assert not PolicyVersion.objects.exists()


def test_the_council_page_shows_history_and_labels_the_statutory_position(
    world: World, client: Client
) -> None:
    _record(world, "permission-required")
    _record(world, "allowed")
    html = client.get("/meetings/riverside/openness/").content.decode()
    assert "History (2 versions)" in html
    # The other activities: the law's answer, naming the regulations, or what nothing settles.
    assert (
        "from the law: The Openness of Local Government Bodies Regulations 2014 (SI 2014/2095), "
        "regulation 4; no council policy recorded" in html
    )
    assert "no council policy recorded, and the law does not settle it" in html
    assert "/meetings/riverside/openness/policy/" not in html  # not for an anonymous reader
    client.force_login(world.editor)
    assert (
        "/meetings/riverside/openness/policy/"
        in client.get("/meetings/riverside/openness/").content.decode()
    )


def test_the_registry_page_of_a_council_gains_its_openness_section(
    world: World, client: Client
) -> None:
    _record(world, "prohibited")
    html = client.get(world.riverside.get_absolute_url()).content.decode()
    assert 'id="meeting-openness"' in html
    assert "Stricter than the law" in html
    assert "/meetings/riverside/openness/" in html


def test_the_registry_section_agrees_with_the_council_page_and_costs_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    _record(world, "prohibited")
    for council in (world.riverside, world.glen, world.cwm, world.lough):
        with django_assert_num_queries(1):
            summary = openness_queries.council_summary(council)
        full = [item.cell for item in openness_queries.council_openness(council)]
        assert [
            (c.activity, c.status, c.source, c.from_law, c.stricter_than_law, c.law_citation)
            for c in summary
        ] == [
            (c.activity, c.status, c.source, c.from_law, c.stricter_than_law, c.law_citation)
            for c in full
        ]
