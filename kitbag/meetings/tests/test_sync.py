"""Syncing against a fake ModernGov install on 127.0.0.1: idempotent, polite, never losing data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Model

from kitbag.meetings.calendar import sync
from kitbag.meetings.calendar.client import HostRateLimiter, PoliteClient, classify_http_status
from kitbag.meetings.models import (
    AgendaItem,
    Committee,
    DemocracySystem,
    Document,
    EndpointHealth,
    EndpointStatus,
    Meeting,
    MeetingStatus,
    SyncOutcome,
    SyncRun,
)
from kitbag.meetings.tests.conftest import window
from kitbag.meetings.tests.fake_moderngov import FakeMeeting, FakeModernGov, running
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def run_sync(council: Organisation, client: PoliteClient, **kwargs: object) -> SyncRun:
    date_from, date_to = window()
    system = sync.system_for(council=council, **kwargs)  # type: ignore[arg-type]
    return sync.sync_system(system=system, date_from=date_from, date_to=date_to, client=client)


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every stored calendar row, to compare before and after."""
    models: list[type[Model]] = [Committee, Meeting, AgendaItem, Document]
    return {
        model.__name__: sorted(
            tuple(str(v) for v in row)
            for row in model.objects.values_list()  # type: ignore[attr-defined]
        )
        for model in models
    }


def health(operation: str) -> EndpointHealth:
    return EndpointHealth.objects.get(operation=operation)


def test_a_sync_stores_committees_meetings_agenda_items_and_documents(
    council: Organisation, fake: FakeModernGov, polite_client: PoliteClient
) -> None:
    run = run_sync(council, polite_client)
    assert run.outcome == SyncOutcome.OK, run.errors
    assert set(Committee.objects.values_list("title", flat=True)) == {
        "Planning Committee",
        "Cabinet",
    }
    assert Committee.objects.filter(council=council).count() == 2
    # The server sent 2012's meeting too (it ignores the range); only the window is stored.
    assert set(Meeting.objects.values_list("source_id", flat=True)) == {"5000", "5001", "6001"}
    planning = Meeting.objects.get(source_id="5001")
    assert planning.location == "Civic Hall, Committee Room 2"
    assert planning.time_known and planning.local_start.hour == 10
    assert planning.end is not None and planning.end > planning.start
    assert planning.public_url == f"{fake.base_url}/ieListDocuments.aspx?CId=21&MId=5001"
    assert [d.title for d in planning.documents.order_by("pk")] == [
        "Agenda frontsheet",
        "Officer report",
    ]
    assert planning.agenda_items.get().title == "Minutes of the last meeting"
    assert Meeting.objects.get(source_id="6001").is_webcast
    assert run.meetings_created == 3
    assert health("GetCommittees").status == EndpointStatus.OK


def test_syncing_again_changes_nothing_and_mostly_hears_not_modified(
    council: Organisation, fake: FakeModernGov, polite_client: PoliteClient
) -> None:
    run_sync(council, polite_client)
    before = snapshot()
    second = run_sync(council, polite_client)
    assert snapshot() == before
    assert second.outcome == SyncOutcome.OK
    assert second.meetings_created == 0 and second.meetings_updated == 0
    assert second.meetings_unchanged == 3
    assert second.not_modified == second.requests  # every URL answered 304
    conditional = [h for path, h in fake.requests[-second.requests :] if "If-None-Match" in h]
    assert len(conditional) == second.requests


def test_an_unchanged_answer_without_validators_is_still_a_no_op(
    council: Organisation, fake: FakeModernGov, polite_client: PoliteClient
) -> None:
    fake.use_etags = False
    run_sync(council, polite_client)
    before = snapshot()
    second = run_sync(council, polite_client)
    assert snapshot() == before
    assert second.not_modified == 0 and second.meetings_updated == 0


def test_a_cancellation_updates_the_meeting_and_raises_its_sequence(
    council: Organisation, fake: FakeModernGov, polite_client: PoliteClient
) -> None:
    run_sync(council, polite_client)
    meeting = Meeting.objects.get(source_id="5001")
    uid, sequence = meeting.uid, meeting.sequence
    fake.meetings["5001"].status = "Cancelled"
    run = run_sync(council, polite_client)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.uid == uid
    assert meeting.sequence == sequence + 1
    assert run.meetings_updated == 1 and run.meetings_unchanged == 2


def test_a_moved_meeting_keeps_its_identity_and_a_new_meeting_is_added(
    council: Organisation, fake: FakeModernGov, polite_client: PoliteClient
) -> None:
    run_sync(council, polite_client)
    uid = Meeting.objects.get(source_id="6001").uid
    fake.meetings["6001"].date += dt.timedelta(days=1)
    fake.meetings["6001"].time = "7.00 pm"
    fake.add_meeting(FakeMeeting(id="6002", committee_id="34", date=fake.meetings["6001"].date))
    run_sync(council, polite_client)
    moved = Meeting.objects.get(source_id="6001")
    assert moved.uid == uid
    assert moved.local_start.hour == 19
    assert Meeting.objects.filter(source_id="6002").exists()


@pytest.mark.parametrize("status", [403, 404, 500])
def test_a_failing_committee_list_keeps_everything_stored_and_records_its_health(
    council: Organisation, fake: FakeModernGov, polite_client: PoliteClient, status: int
) -> None:
    run_sync(council, polite_client)
    before = snapshot()
    fake.failures["GetCommittees"] = status
    run = run_sync(council, polite_client)
    assert run.outcome == SyncOutcome.FAILED
    assert snapshot() == before
    expected = {403: "forbidden", 404: "not-found", 500: "server-error"}[status]
    row = health("GetCommittees")
    assert row.status == expected and row.http_status == status
    assert row.last_ok_at is not None  # it worked at the first sync


def test_failing_meeting_lists_and_details_make_a_partial_sync_that_loses_nothing(
    council: Organisation, fake: FakeModernGov, polite_client: PoliteClient
) -> None:
    run_sync(council, polite_client)
    before = snapshot()
    fake.failures["GetMeetings"] = 500
    run = run_sync(council, polite_client)
    assert run.outcome == SyncOutcome.PARTIAL
    assert snapshot() == before
    assert health("GetMeetings").status == EndpointStatus.SERVER_ERROR
    del fake.failures["GetMeetings"]
    fake.failures["GetMeeting:5001"] = 404
    fake.meetings["6001"].status = "Cancelled"
    run = run_sync(council, polite_client)
    assert run.outcome == SyncOutcome.PARTIAL
    assert Meeting.objects.get(source_id="6001").status == MeetingStatus.CANCELLED
    assert Meeting.objects.get(source_id="5001").documents.count() == 2
    assert health("GetMeeting").status == EndpointStatus.NOT_FOUND


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><body>Please enable JavaScript</body></html>", b"<committees><committee><commi"],
)
def test_an_empty_or_broken_answer_never_removes_stored_meetings(
    council: Organisation, fake: FakeModernGov, polite_client: PoliteClient, body: bytes
) -> None:
    run_sync(council, polite_client)
    before = snapshot()
    fake.raw_bodies["GetCommittees"] = body
    fake.raw_bodies["GetMeetings"] = body
    fake.raw_bodies["GetMeeting"] = body
    run_sync(council, polite_client)
    assert snapshot() == before


def test_a_slow_server_times_out_is_retried_and_is_recorded_as_unreachable(
    council: Organisation, fake: FakeModernGov
) -> None:
    fake.delays["GetCommittees"] = 1.5
    slept: list[float] = []
    client = PoliteClient(
        user_agent="Kitbag tests",
        timeout=0.3,
        retries=2,
        backoff=0.01,
        rate_limiter=HostRateLimiter(0),
        sleep=slept.append,
    )
    run = run_sync(council, client)
    assert run.outcome == SyncOutcome.FAILED
    row = health("GetCommittees")
    assert row.status == EndpointStatus.UNREACHABLE
    assert "No answer within" in row.detail
    assert fake.request_count("GetCommittees") == 3  # the first try and two retries
    assert slept == [0.01, 0.02]  # exponential backoff


def test_a_server_error_is_retried_then_succeeds(
    council: Organisation, fake: FakeModernGov, polite_client: PoliteClient
) -> None:
    answers = iter([503, 503])
    original = fake.answer

    def flaky(path: str, query: dict[str, list[str]]) -> tuple[int, str | bytes]:
        if path.endswith("/GetCommittees"):
            status = next(answers, None)
            if status:
                return status, "busy"
        return original(path, query)

    fake.answer = flaky  # type: ignore[method-assign]
    run = run_sync(council, polite_client)
    assert run.outcome == SyncOutcome.OK
    assert fake.request_count("GetCommittees") == 3


def test_an_unreachable_host_is_recorded_and_nothing_is_lost(
    council: Organisation, fake: FakeModernGov, polite_client: PoliteClient
) -> None:
    run_sync(council, polite_client)
    before = snapshot()
    fake.stop()
    run = run_sync(council, polite_client)
    assert run.outcome == SyncOutcome.FAILED
    assert health("GetCommittees").status == EndpointStatus.UNREACHABLE
    assert snapshot() == before


def test_every_request_carries_the_honest_user_agent_from_settings(
    council: Organisation, fake: FakeModernGov, settings: object
) -> None:
    settings.KITBAG_SYNC_USER_AGENT = "Kitbag/0.1 (+https://kitbag.example; data@kitbag.example)"  # type: ignore[attr-defined]
    run_sync(council, PoliteClient(rate_limiter=HostRateLimiter(0), backoff=0.01))
    agents = {headers.get("User-Agent") for _, headers in fake.requests}
    assert agents == {"Kitbag/0.1 (+https://kitbag.example; data@kitbag.example)"}


def test_the_rate_limiter_spaces_requests_to_a_host_by_the_interval() -> None:
    now = [1000.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    limiter = HostRateLimiter(1.0, clock=lambda: now[0], sleep=sleep)
    starts = []
    for _ in range(4):
        limiter.wait("democracy.example.gov.uk")
        starts.append(now[0])
    limiter.wait("other.example.gov.uk")  # another host has its own slots
    assert all(b - a >= 1.0 for a, b in zip(starts, starts[1:], strict=False))
    assert now[0] - starts[-1] <= 1.0


def test_a_second_limiter_sharing_the_cache_waits_its_turn() -> None:
    """Two processes share Django's cache; two limiters stand in for them here."""
    now = [5000.0]
    first = HostRateLimiter(1.0, clock=lambda: now[0], sleep=lambda s: None)
    second = HostRateLimiter(1.0, clock=lambda: now[0], sleep=lambda s: None)
    first.wait("shared.example.gov.uk")
    slept: list[float] = []
    second.sleep = slept.append
    second.wait("shared.example.gov.uk")
    assert slept and slept[0] >= 1.0


def test_http_statuses_map_to_the_five_health_states() -> None:
    assert classify_http_status(200) == "ok"
    assert classify_http_status(304) == "ok"
    assert classify_http_status(403) == "forbidden"
    assert classify_http_status(401) == "forbidden"
    assert classify_http_status(404) == "not-found"
    assert classify_http_status(410) == "not-found"
    assert classify_http_status(500) == "server-error"
    assert classify_http_status(429) == "server-error"


def test_a_redirect_to_another_host_is_not_followed(polite_client: PoliteClient) -> None:
    class Redirecting(FakeModernGov):
        def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str | bytes]:
            return 200, ""

    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = polite_client.get(f"http://127.0.0.1:{server.server_address[1]}/x")
    finally:
        server.shutdown()
        server.server_close()
    assert result.status == EndpointStatus.NOT_FOUND
    assert "another host" in result.detail


def test_councillors_home_addresses_and_phones_are_never_stored(
    council: Organisation, fake: FakeModernGov, polite_client: PoliteClient
) -> None:
    run_sync(council, polite_client)
    tables = [
        model._meta.db_table
        for model in (Committee, Meeting, AgendaItem, Document, EndpointHealth, DemocracySystem)
    ]
    tables += ["meetings_fetchvalidator", "meetings_syncrun"]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (table names are ours)
            text = repr(cursor.fetchall())
            assert "Secret Lane" not in text and "07700 900123" not in text, table
            assert "Ada Example" not in text, table


def test_a_shared_install_attributes_committees_to_each_council_or_joint(
    polite_client: PoliteClient,
) -> None:
    server = FakeModernGov(base_path="/moderngov")
    server.add_committee("1", "Adur Planning Committee")
    server.add_committee("2", "Worthing Planning Committee")
    server.add_committee("3", "Joint Strategic Committee")
    with running(server):
        adur = OrganisationFactory.create(
            name="Adur District Council",
            short_name="Adur",
            code="ADU",
            democracy_cms="ModernGov",
            democracy_url=server.base_url,
        )
        worthing = OrganisationFactory.create(
            name="Worthing Borough Council",
            short_name="Worthing",
            code="WOT",
            democracy_cms="ModernGov",
            democracy_url=server.base_url + "/",
        )
        run_sync(adur, polite_client)
    assert DemocracySystem.objects.count() == 1
    assert DemocracySystem.objects.get().is_shared
    owners = dict(Committee.objects.values_list("source_id", "council__code"))
    assert owners == {"1": "ADU", "2": "WOT", "3": None}
    from kitbag.meetings.calendar import queries

    assert {c.title for c in queries.council_committees(worthing)} == {
        "Worthing Planning Committee",
        "Joint Strategic Committee",
    }


def test_the_command_syncs_one_council_by_code_with_an_operators_base_url(
    fake: FakeModernGov, settings: object
) -> None:
    settings.KITBAG_SYNC_MIN_INTERVAL_SECONDS = 0  # type: ignore[attr-defined]
    OrganisationFactory.create(
        name="Elsewhere Council",
        slug="elsewhere",
        code="ELS",
        democracy_cms="ModernGov",
        democracy_url="https://unreachable.invalid/",
    )
    out = io.StringIO()
    date_from, date_to = window()
    call_command(
        "sync_meetings",
        "--council",
        "els",
        "--base-url",
        fake.base_url,
        "--from",
        date_from.isoformat(),
        "--to",
        date_to.isoformat(),
        stdout=out,
    )
    assert "ok; 2 committees, 3 meetings new" in out.getvalue()
    assert {r[0].split("?")[0].split("/")[2] for r in fake.requests} <= {"mgWebService.asmx"}


def test_the_command_refuses_an_unknown_council_bad_dates_and_a_stray_base_url() -> None:
    with pytest.raises(CommandError, match="No council"):
        call_command("sync_meetings", "--council", "NOPE")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("sync_meetings", "--from", "01/02/2026")
    with pytest.raises(CommandError, match="give --council"):
        call_command("sync_meetings", "--base-url", "https://anywhere.example/")


def test_the_scheduled_task_syncs_every_moderngov_council_in_the_registry(
    council: Organisation, fake: FakeModernGov, settings: object
) -> None:
    from kitbag.core.background import run_in_background
    from kitbag.meetings.tasks import sync_all_meetings

    settings.KITBAG_SYNC_MIN_INTERVAL_SECONDS = 0  # type: ignore[attr-defined]
    OrganisationFactory.create(
        name="Cmis Council", democracy_cms="CMIS", democracy_url="https://x.invalid"
    )
    handle = run_in_background(sync_all_meetings)
    assert handle.wait() == {"installs": 1, "ok": 1}
    assert Meeting.objects.count() == 3
    assert "sync-meetings-calendars" in settings.CELERY_BEAT_SCHEDULE  # type: ignore[attr-defined]
