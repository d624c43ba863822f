"""Crowd reports: submitting, the moderation workflow and its log, telling the reporter, the
council's right of reply, and that a report nobody may see never leaks on any channel."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kitbag.accounts.models import ModerationLogEntry
from kitbag.meetings.models import (
    Committee,
    CouncilReply,
    DemocracySystem,
    OpennessReport,
    PolicyBasis,
    PolicyVersion,
    ReportState,
)
from kitbag.meetings.openness import services as openness_services
from kitbag.meetings.openness.services import NotPermitted, OpennessError, PolicyChange
from kitbag.meetings.tests.openness_world import World, a_report, make_world

pytestmark = pytest.mark.django_db

SECRET = "The chair gave out a mobile number 07700 900123"


@pytest.fixture
def world() -> World:
    return make_world()


def _log(report: OpennessReport) -> list[ModerationLogEntry]:
    return list(
        ModerationLogEntry.objects.filter(
            object_type="openness-report", object_id=str(report.pk)
        ).order_by("created_at", "pk")
    )


# --- The workflow -------------------------------------------------------------------------------


def test_a_report_moves_through_triage_and_needs_info_to_accepted_each_step_logged_with_its_reason(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        report = a_report(world)
        openness_services.move_report(
            report=report, to_state="triaged", reason="Looks credible", by=world.moderator
        )
        openness_services.move_report(
            report=report, to_state="needs-info", reason="Which item was it?", by=world.moderator
        )
        openness_services.add_information(
            report=report, text="Item 5, the Mill Road application.", by=world.reporter
        )
        openness_services.move_report(
            report=report, to_state="accepted", reason="The video shows it", by=world.moderator
        )
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    assert "Item 5, the Mill Road application." in report.narrative
    log = _log(report)
    assert [entry.action for entry in log] == [
        "openness-report-submitted",
        "openness-report-triaged",
        "openness-report-needs-info",
        "openness-report-information-added",
        "openness-report-accepted",
    ]
    assert [entry.reason for entry in log[1:3]] == ["Looks credible", "Which item was it?"]
    assert log[-1].visibility == ModerationLogEntry.Visibility.PUBLIC
    assert all(e.visibility == ModerationLogEntry.Visibility.MODERATORS for e in log[:-1])
    assert all("reporter@" not in e.actor_label and "reporter@" not in e.object_label for e in log)


def test_the_reporter_is_emailed_at_submission_and_at_each_outcome_with_the_reason(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        report = a_report(world)
        openness_services.move_report(
            report=report,
            to_state="rejected",
            reason="No evidence of the meeting",
            by=world.moderator,
        )
    assert [m.to for m in mail.outbox] == [["reporter@example.org"], ["reporter@example.org"]]
    assert "We have your report" in mail.outbox[0].subject
    assert "Rejected" in mail.outbox[1].subject
    assert "No evidence of the meeting" in mail.outbox[1].body
    assert f"/meetings/openness/reports/{report.pk}/" in mail.outbox[1].body


def test_a_step_that_fails_emails_nobody(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    report = a_report(world)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(OpennessError):  # type: ignore[operator]
        openness_services.move_report(
            report=report, to_state="accepted", reason="", by=world.moderator
        )
    assert mail.outbox == []
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("accepted", "rejected"),
        ("duplicate", "triaged"),
        ("rejected", "accepted"),
        ("submitted", "submitted"),
    ],
)
def test_steps_the_workflow_does_not_have_are_refused(world: World, start: str, to: str) -> None:
    report = a_report(world)
    OpennessReport.objects.filter(pk=report.pk).update(state=start)
    with pytest.raises(OpennessError):
        openness_services.move_report(
            report=report, to_state=to, reason="because", by=world.moderator
        )


def test_a_rejected_report_can_be_looked_at_again(world: World) -> None:
    report = a_report(world)
    openness_services.move_report(
        report=report, to_state="rejected", reason="no", by=world.moderator
    )
    openness_services.move_report(
        report=report, to_state="triaged", reason="new video", by=world.moderator
    )
    report.refresh_from_db()
    assert report.state == ReportState.TRIAGED


def test_a_duplicate_names_the_report_it_repeats_about_the_same_council(world: World) -> None:
    first = a_report(world)
    second = a_report(world)
    elsewhere = a_report(world, council=world.glen)
    with pytest.raises(OpennessError):
        openness_services.move_report(
            report=second, to_state="duplicate", reason="same", by=world.moderator
        )
    with pytest.raises(OpennessError):
        openness_services.move_report(
            report=second,
            to_state="duplicate",
            reason="same",
            by=world.moderator,
            duplicate_of=elsewhere,
        )
    openness_services.move_report(
        report=second, to_state="duplicate", reason="same", by=world.moderator, duplicate_of=first
    )
    second.refresh_from_db()
    assert second.state == ReportState.DUPLICATE and second.duplicate_of == first


@pytest.mark.parametrize("who", ["reporter", "member", "editor", "admin", "other"])
def test_only_moderators_and_staff_may_moderate(world: World, who: str) -> None:
    report = a_report(world)
    with pytest.raises(NotPermitted):
        openness_services.move_report(
            report=report, to_state="triaged", reason="x", by=getattr(world, who)
        )
    openness_services.move_report(report=report, to_state="triaged", reason="x", by=world.staff)


def test_accepting_can_record_a_new_policy_version_from_the_report(world: World) -> None:
    report = a_report(world)
    openness_services.move_report(
        report=report,
        to_state="accepted",
        reason="Video evidence",
        by=world.moderator,
        policy=PolicyChange(status="prohibited"),
    )
    version = PolicyVersion.objects.get(council=world.riverside, activity="filming")
    assert version.status == "prohibited" and version.stricter_than_law
    assert version.basis == PolicyBasis.ACCEPTED_REPORT and version.source_report == report
    assert version.evidence_url == "https://example.org/video"
    assert version.evidence_date == dt.date(2025, 3, 3)


@pytest.mark.parametrize("to", ["triaged", "needs-info", "rejected"])
def test_no_other_step_can_change_a_policy(world: World, to: str) -> None:
    report = a_report(world)
    with pytest.raises(OpennessError):
        openness_services.move_report(
            report=report,
            to_state=to,
            reason="x",
            by=world.moderator,
            policy=PolicyChange(status="prohibited"),
        )
    assert not PolicyVersion.objects.exists()


def test_rejected_and_duplicate_reports_never_touch_a_policy(world: World) -> None:
    first = a_report(world)
    second = a_report(world)
    openness_services.move_report(report=first, to_state="rejected", reason="x", by=world.moderator)
    openness_services.move_report(
        report=second, to_state="duplicate", reason="x", by=world.moderator, duplicate_of=first
    )
    assert not PolicyVersion.objects.exists()


def test_only_the_reporter_may_add_information_and_only_when_asked(world: World) -> None:
    report = a_report(world)
    with pytest.raises(OpennessError):
        openness_services.add_information(report=report, text="more", by=world.reporter)
    openness_services.move_report(
        report=report, to_state="needs-info", reason="?", by=world.moderator
    )
    with pytest.raises(NotPermitted):
        openness_services.add_information(report=report, text="more", by=world.other)


def test_a_meeting_date_in_the_future_is_refused(world: World) -> None:
    with pytest.raises(OpennessError):
        a_report(world, observed_on=dt.date.today() + dt.timedelta(days=3))


# --- Replies ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor", "admin", "staff"])
def test_the_councils_editors_and_admins_may_reply(world: World, who: str) -> None:
    report = a_report(world)
    reply = openness_services.reply_to_report(
        report=report, text="We allow filming.", by=getattr(world, who)
    )
    assert reply.council == world.riverside


@pytest.mark.parametrize("who", ["member", "outsider_editor", "reporter", "other", "moderator"])
def test_nobody_else_may_reply_for_the_council(world: World, who: str) -> None:
    report = a_report(world)
    with pytest.raises(NotPermitted):
        openness_services.reply_to_report(report=report, text="x", by=getattr(world, who))


def test_the_reporter_is_told_of_a_reply(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    report = a_report(world)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        openness_services.reply_to_report(report=report, text="We allow filming.", by=world.editor)
    assert mail.outbox[-1].to == ["reporter@example.org"]
    assert "We allow filming." in mail.outbox[-1].body


# --- Pages --------------------------------------------------------------------------------------


def _report_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "observed_on": "2025-03-03",
        "committee": "",
        "committee_name": "Planning Committee",
        "activity": "filming",
        "claimed_status": "prohibited",
        "narrative": "I was told to stop filming. <script>alert(1)</script>",
        "evidence_url": "https://example.org/video",
    }
    data.update(overrides)
    return data


def test_the_report_form_preselects_no_answer_and_marks_only_the_optional_questions(
    world: World, client: Client
) -> None:
    # A report was once sent with an activity the page had chosen for the reporter.
    client.force_login(world.other)
    page = client.get("/meetings/riverside/openness/report/").content.decode()
    inputs = re.findall(r"<input[^>]*>", page)
    radios = [tag for tag in inputs if 'type="radio"' in tag]
    assert {re.search(r'name="([^"]+)"', tag).group(1) for tag in radios} == {  # type: ignore[union-attr]
        "activity",
        "claimed_status",
    }
    assert not [tag for tag in radios if " checked" in tag]
    for required in (
        "Date of the meeting",
        "What were you doing, or trying to do?",
        "What happened",
    ):
        assert f"{required}</" in page, required
    for optional in ("Link to evidence (optional)", "Upload evidence (optional)"):
        assert optional in page, optional
    # Sending it without choosing says so, with a link to the first radio of each question.
    response = client.post(
        "/meetings/riverside/openness/report/",
        _report_form(activity="", claimed_status=""),
    )
    answer = response.content.decode()
    assert '<a href="#id_activity">Choose what you were doing</a>' in answer
    assert '<a href="#id_claimed_status">Choose what you were told</a>' in answer
    assert 'id="id_activity"' in answer and 'id="id_claimed_status"' in answer
    assert not OpennessReport.objects.exists()


def test_anyone_signed_in_can_report_and_lands_on_their_report(
    world: World, client: Client
) -> None:
    system = DemocracySystem.objects.create(base_url="http://127.0.0.1:1/")
    system.councils.add(world.riverside)
    committee = Committee.objects.create(
        system=system, source_id="21", council=world.riverside, title="Planning"
    )
    client.force_login(world.other)
    form = client.get("/meetings/riverside/openness/report/")
    assert form.status_code == 200 and "Planning" in form.content.decode()
    response = client.post(
        "/meetings/riverside/openness/report/",
        _report_form(committee=str(committee.pk), committee_name=""),
    )
    report = OpennessReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.committee == committee and report.reporter == world.other
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Submitted" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_signing_in_is_needed_to_report(world: World, client: Client) -> None:
    response = client.post("/meetings/riverside/openness/report/", _report_form())
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert not OpennessReport.objects.exists()


def test_a_report_needs_a_committee_and_a_past_date(world: World, client: Client) -> None:
    client.force_login(world.other)
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    html = client.post(
        "/meetings/riverside/openness/report/", _report_form(committee_name="", observed_on=future)
    ).content.decode()
    assert (
        "Choose the committee or type the meeting&#x27;s name" in html
        or "Choose the committee" in html
    )
    assert "must be today or in the past" in html
    assert not OpennessReport.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            {"narrative": "I was told\x00 to stop."},
            "What happened must not contain control characters: remove the U+0000 at character 11",
        ),
        (
            {"committee_name": "Planning\r\nCommittee"},
            "Committee or meeting name, if not listed must be on one line",
        ),
        ({"narrative": "x" * 8001}, "Ensure this value has at most 8000 characters (it has 8001)."),
    ],
    ids=["nul", "line-break", "too-long"],
)
def test_a_report_refuses_text_no_field_can_store_and_keeps_what_was_typed(
    world: World, client: Client, typed: dict[str, str], message: str
) -> None:
    client.force_login(world.other)
    html = client.post("/meetings/riverside/openness/report/", _report_form(**typed)).content
    assert message in html.decode().replace("&#x27;", "'")
    assert "https://example.org/video" in html.decode()
    assert not OpennessReport.objects.exists()


def test_report_evidence_uploads_are_checked_and_kept_private_until_accepted(
    world: World, client: Client, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    client.force_login(world.reporter)
    bad = SimpleUploadedFile("photo.jpg", b"GIF89a")
    html = client.post(
        "/meetings/riverside/openness/report/", _report_form(evidence_file=bad)
    ).content.decode()
    assert "The file is not really a JPG" in html
    good = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 jpeg")
    client.post("/meetings/riverside/openness/report/", _report_form(evidence_file=good))
    report = OpennessReport.objects.get()
    url = f"/meetings/openness/reports/{report.pk}/evidence"
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 404
    openness_services.move_report(
        report=report, to_state="accepted", reason="ok", by=world.moderator
    )
    assert client.get(url).status_code == 200


def test_report_submission_is_rate_limited(world: World, client: Client) -> None:
    client.force_login(world.other)
    for _ in range(10):
        assert (
            client.post("/meetings/riverside/openness/report/", _report_form()).status_code == 302
        )
    response = client.post("/meetings/riverside/openness/report/", _report_form())
    assert response.status_code == 429 and "Retry-After" in response
    assert OpennessReport.objects.count() == 10


def test_a_moderator_accepts_a_report_on_its_page_and_the_policy_changes(
    world: World, client: Client
) -> None:
    report = a_report(world)
    client.force_login(world.moderator)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Moderate this report" in page and "reporter@example.org" in page
    response = client.post(
        f"/meetings/openness/reports/{report.pk}/moderate",
        {
            "to_state": "accepted",
            "reason": "The video shows it",
            "change_policy": "on",
            "policy_status": "prohibited",
        },
    )
    assert response.status_code == 302
    assert PolicyVersion.objects.get().source_report == report
    council_page = client.get("/meetings/riverside/openness/").content.decode()
    assert "Stricter than the law" in council_page


def test_the_moderation_form_explains_its_errors(world: World, client: Client) -> None:
    report = a_report(world)
    client.force_login(world.moderator)
    response = client.post(
        f"/meetings/openness/reports/{report.pk}/moderate",
        {"to_state": "triaged", "reason": "", "change_policy": "on"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "Give a reason" in html
    assert "Only an accepted report can change a policy" in html


def test_a_council_editor_replies_on_the_page(world: World, client: Client) -> None:
    report = a_report(world)
    client.force_login(world.editor)
    assert "Reply for the council" in client.get(report.get_absolute_url()).content.decode()
    response = client.post(
        f"/meetings/openness/reports/{report.pk}/reply", {"reply-text": "We allow filming."}
    )
    assert response.status_code == 302
    assert CouncilReply.objects.get().text == "We allow filming."
    client.force_login(world.member)
    assert (
        client.post(
            f"/meetings/openness/reports/{report.pk}/reply", {"reply-text": "x"}
        ).status_code
        == 403
    )


def test_the_moderation_queue_is_for_moderators(world: World, client: Client) -> None:
    report = a_report(world)
    client.force_login(world.other)
    assert client.get("/meetings/openness/moderation/").status_code == 403
    client.force_login(world.moderator)
    assert (
        report.get_absolute_url() in client.get("/meetings/openness/moderation/").content.decode()
    )


def test_your_reports_lists_your_own_in_every_state(world: World, client: Client) -> None:
    mine = a_report(world)
    theirs = a_report(world, by=world.other)
    client.force_login(world.reporter)
    html = client.get("/meetings/openness/reports/mine/").content.decode()
    assert mine.get_absolute_url() in html and theirs.get_absolute_url() not in html


# --- Every channel ------------------------------------------------------------------------------


def _channels(client: Client) -> dict[str, str]:
    """Every place a report could show: pages, downloads and the API."""
    api = client.get("/api/v1/openness/reports").content.decode()
    return {
        "council page": client.get("/meetings/riverside/openness/").content.decode(),
        "registry page": client.get("/organisations/riverside/").content.decode(),
        "national page": client.get("/meetings/openness/").content.decode(),
        "csv": client.get("/meetings/openness/openness.csv").getvalue().decode("utf-8-sig"),
        "json": client.get("/meetings/openness/openness.json").content.decode(),
        "api reports": api,
        "api council": client.get("/api/v1/openness/councils/RIV").content.decode(),
        "api councils": client.get("/api/v1/openness/councils").content.decode(),
        "moderation log": client.get("/account/moderation-log/").content.decode()
        if client.get("/account/moderation-log/").status_code == 200
        else "",
        "api moderation log": client.get("/api/v1/moderation-log").content.decode(),
    }


@pytest.mark.parametrize("state", ["submitted", "triaged", "needs-info", "rejected", "duplicate"])
@pytest.mark.parametrize("who", [None, "other", "outsider_editor"])
def test_a_report_that_is_not_accepted_never_leaks_on_any_channel(
    world: World, client: Client, state: str, who: str | None
) -> None:
    report = a_report(world, narrative=SECRET)
    OpennessReport.objects.filter(pk=report.pk).update(state=state)
    if who:
        client.force_login(getattr(world, who))
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(f"/meetings/openness/reports/{report.pk}/evidence").status_code == 404
    for channel, body in _channels(client).items():
        assert SECRET not in body, channel
        assert report.get_absolute_url() not in body, channel
    rows = list(csv.DictReader(io.StringIO(_channels(client)["csv"])))
    assert {row["accepted_reports"] for row in rows if row["council_slug"] == "riverside"} == {"0"}


@pytest.mark.parametrize("who", ["reporter", "member", "editor", "admin", "moderator", "staff"])
def test_the_reporter_the_councils_members_and_moderators_see_a_report_before_it_is_accepted(
    world: World, client: Client, who: str
) -> None:
    report = a_report(world, narrative=SECRET)
    client.force_login(getattr(world, who))
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200 and SECRET in page.content.decode()
    assert report.get_absolute_url() in client.get("/meetings/riverside/openness/").content.decode()
    # The API is anonymous whoever asks: it lists accepted reports only.
    assert SECRET not in client.get("/api/v1/openness/reports").content.decode()


def test_an_accepted_report_is_public_everywhere_without_naming_the_reporter(
    world: World, client: Client
) -> None:
    report = a_report(world, narrative=SECRET)
    openness_services.move_report(
        report=report, to_state="accepted", reason="Video", by=world.moderator
    )
    openness_services.reply_to_report(report=report, text="We disagree.", by=world.editor)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "We disagree." in page
    assert "reporter@example.org" not in page
    api = client.get("/api/v1/openness/reports?organisation=RIV").json()
    assert api["count"] == 1 and api["results"][0]["narrative"] == SECRET
    assert api["results"][0]["replies"][0]["text"] == "We disagree."
    assert "reporter" not in api["results"][0]
    assert client.get("/api/v1/openness/reports?organisation=NOPE").json()["count"] == 0
    rows = list(csv.DictReader(io.StringIO(_channels(client)["csv"])))
    assert {row["accepted_reports"] for row in rows if row["council_slug"] == "riverside"} == {"1"}
    for channel in ("csv", "json", "api reports", "council page"):
        assert "reporter@example.org" not in _channels(client)[channel]


def test_the_public_sees_only_the_public_steps_of_an_accepted_report(
    world: World, client: Client
) -> None:
    report = a_report(world)
    openness_services.move_report(
        report=report, to_state="triaged", reason="internal note", by=world.moderator
    )
    openness_services.move_report(
        report=report, to_state="accepted", reason="Video", by=world.moderator
    )
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Video" in html and "internal note" not in html
    client.force_login(world.reporter)
    assert "internal note" in client.get(report.get_absolute_url()).content.decode()


def test_the_reporter_adds_information_on_the_page_when_asked(world: World, client: Client) -> None:
    report = a_report(world)
    client.force_login(world.reporter)
    assert "Add the information" not in client.get(report.get_absolute_url()).content.decode()
    openness_services.move_report(
        report=report, to_state="needs-info", reason="Which item?", by=world.moderator
    )
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Add the information the moderators asked for" in page and "Which item?" in page
    url = f"/meetings/openness/reports/{report.pk}/information"
    assert client.post(url, {"info-text": ""}).status_code == 400
    assert client.post(url, {"info-text": "Item 5."}).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.TRIAGED and "Item 5." in report.narrative
    client.force_login(world.editor)
    assert client.post(url, {"info-text": "x"}).status_code == 403
