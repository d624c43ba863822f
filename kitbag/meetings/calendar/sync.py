"""Syncing an install's calendar: GetCommittees, then GetMeetings per committee, then GetMeeting.

Each good answer is stored as soon as it arrives (services.py), so a sync that fails half-way
keeps everything it had already learnt, and nothing an earlier sync stored is ever removed. A
second sync of unchanged data is a no-op: conditional requests or an unchanged body hash skip the
parse, and writes compare before they save. Every request's outcome feeds the operation's health.

Where requests go: only to the install's base URL, which comes from the registry (imported from
LGSF data) or an operator's --base-url on the command line.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from kitbag.meetings.calendar import moderngov, services
from kitbag.meetings.calendar.client import FetchResult, PoliteClient, Validators
from kitbag.meetings.models import (
    Committee,
    DemocracySystem,
    EndpointStatus,
    FetchValidator,
    Meeting,
    Operation,
    SyncOutcome,
    SyncRun,
)
from kitbag.registry.models import Organisation, OrganisationKind

logger = logging.getLogger(__name__)

MODERNGOV = "moderngov"


class SyncError(Exception):
    """A sync cannot start: no usable base URL for the council asked about."""


def default_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return (
        today - dt.timedelta(days=settings.KITBAG_SYNC_DAYS_BACK),
        today + dt.timedelta(days=settings.KITBAG_SYNC_DAYS_FORWARD),
    )


def moderngov_councils() -> list[Organisation]:
    return list(
        Organisation.objects.current()
        .filter(kind=OrganisationKind.LOCAL_AUTHORITY, democracy_cms__iexact="ModernGov")
        .exclude(democracy_url="")
        .order_by("code")
    )


def systems_from_registry() -> list[DemocracySystem]:
    """One install per distinct normalised base URL; councils sharing a URL share an install."""
    by_url: dict[str, list[Organisation]] = defaultdict(list)
    for council in moderngov_councils():
        base_url = moderngov.normalise_base_url(council.democracy_url)
        if base_url:
            by_url[base_url].append(council)
    return [
        services.link_system(base_url=url, organisations=councils)
        for url, councils in sorted(by_url.items())
    ]


def system_for(*, council: Organisation, base_url: str | None = None) -> DemocracySystem:
    """The install for one council: the operator's --base-url, or the registry's URL."""
    raw = base_url or council.democracy_url
    normalised = moderngov.normalise_base_url(raw)
    if normalised is None:
        raise SyncError(
            f"{council.code or council.slug} has no usable democracy system URL ({raw!r})."
        )
    partners = [council]
    if base_url is None:
        # Councils sharing this install come with it, so its committees can be attributed.
        partners += [
            other
            for other in moderngov_councils()
            if other.pk != council.pk
            and moderngov.normalise_base_url(other.democracy_url) == normalised
        ]
    return services.link_system(base_url=normalised, organisations=partners)


@dataclass
class _Run:
    system: DemocracySystem
    client: PoliteClient
    record: SyncRun
    validators: dict[str, FetchValidator]
    results: dict[str, list[FetchResult]] = field(default_factory=lambda: defaultdict(list))
    states: dict[int, services.Change] = field(default_factory=dict)

    def fetch(self, operation: str, url: str) -> tuple[FetchResult, bool]:
        """The answer, and whether it says what was stored last time (304 or the same body)."""
        known = self.validators.get(url)
        result = self.client.get(
            url,
            validators=Validators(known.etag, known.last_modified) if known else None,
        )
        self.record.requests += result.attempts
        if result.not_modified:
            self.record.not_modified += 1
        unchanged = bool(
            result.ok
            and known is not None
            and (result.not_modified or services.body_hash(result.body) == known.sha256)
        )
        self.results[operation].append(result)
        return result, unchanged

    def invalid(self, operation: str, result: FetchResult, error: Exception) -> None:
        # The request worked, the answer did not: it is the operation's health that says so.
        self.results[operation][-1] = FetchResult(
            url=result.url,
            status=EndpointStatus.INVALID,
            http_status=result.http_status,
            detail=str(error)[:300],
        )
        self.error(f"{operation} {result.url}: {error}")

    def error(self, message: str) -> None:
        logger.warning("Meetings sync of %s: %s", self.system.base_url, message)
        self.record.errors.append(message[:500])

    def remember(self, result: FetchResult) -> None:
        if result.ok and not result.not_modified:
            services.remember_answer(system=self.system, result=result)

    def note(self, meeting: Meeting, change: services.Change) -> None:
        previous = self.states.get(meeting.pk)
        if previous in {services.Change.CREATED, services.Change.UPDATED}:
            return
        self.states[meeting.pk] = change


def sync_system(
    *,
    system: DemocracySystem,
    date_from: dt.date,
    date_to: dt.date,
    client: PoliteClient | None = None,
    triggered_by: str = "command",
) -> SyncRun:
    """Sync one install's meetings dated from `date_from` to `date_to` (both included)."""
    run = _Run(
        system=system,
        client=client or PoliteClient(),
        record=SyncRun.objects.create(
            system=system, triggered_by=triggered_by, date_from=date_from, date_to=date_to
        ),
        validators={v.url: v for v in system.validators.all()},
    )
    service_url, committees = _sync_committees(run)
    if service_url is not None:
        for committee in committees:
            _sync_committee_meetings(run, service_url, committee, date_from, date_to)
    _finish(run, committees_ok=service_url is not None)
    return run.record


def _sync_committees(run: _Run) -> tuple[str | None, list[Committee]]:
    system = run.system
    candidates = [system.service_url] if system.service_url else []
    candidates += [c for c in moderngov.base_url_candidates(system.base_url) if c not in candidates]
    result: FetchResult | None = None
    unchanged = False
    service_url = candidates[0]
    for service_url in candidates:
        result, unchanged = run.fetch(
            Operation.GET_COMMITTEES, moderngov.operation_url(service_url, "GetCommittees")
        )
        # Only "no answer" is worth trying the other scheme for; a refusal would be the same.
        if result.status != EndpointStatus.UNREACHABLE:
            # Health is about the address that answered, not the one that did not.
            run.results[Operation.GET_COMMITTEES] = [result]
            break
    assert result is not None
    if not result.ok:
        run.error(f"GetCommittees {result.url}: {result.detail}")
        return None, []
    if service_url != system.service_url:
        system.service_url = service_url
        system.save(update_fields=["service_url"])
    if not unchanged:
        try:
            records = moderngov.parse_committees(result.body)
        except moderngov.ParseError as error:
            run.invalid(Operation.GET_COMMITTEES, result, error)
            return None, []
        services.record_committees(system=system, service_url=service_url, records=records)
        run.remember(result)
    active = list(system.committees.filter(is_deleted=False, is_expired=False).order_by("pk"))
    run.record.committees_seen = len(active)
    return service_url, active


def _sync_committee_meetings(
    run: _Run, service_url: str, committee: Committee, date_from: dt.date, date_to: dt.date
) -> None:
    params = moderngov.meetings_params(committee.source_id, date_from, date_to)
    result, unchanged = run.fetch(
        Operation.GET_MEETINGS, moderngov.operation_url(service_url, "GetMeetings", params)
    )
    if not result.ok:
        run.error(f"GetMeetings {result.url}: {result.detail}")
        return
    if unchanged:
        meetings = list(
            committee.meetings.between(date_from=date_from, date_to=date_to).order_by("start")
        )
        for meeting in meetings:
            run.note(meeting, services.Change.UNCHANGED)
    else:
        try:
            stubs = moderngov.parse_meetings(
                result.body, committee_id=committee.source_id, date_from=date_from, date_to=date_to
            )
        except moderngov.ParseError as error:
            run.invalid(Operation.GET_MEETINGS, result, error)
            return
        meetings = []
        for stub in stubs:
            meeting, change = services.record_meeting_stub(
                committee=committee, service_url=service_url, stub=stub
            )
            run.note(meeting, change)
            meetings.append(meeting)
        run.remember(result)
    for meeting in meetings:
        _sync_meeting_detail(run, service_url, meeting)


def _sync_meeting_detail(run: _Run, service_url: str, meeting: Meeting) -> None:
    url = moderngov.operation_url(service_url, "GetMeeting", {"lMeetingId": meeting.source_id})
    result, unchanged = run.fetch(Operation.GET_MEETING, url)
    if not result.ok:
        run.error(f"GetMeeting {result.url}: {result.detail}")
        return
    if unchanged:
        return
    try:
        detail = moderngov.parse_meeting(result.body)
    except moderngov.ParseError as error:
        run.invalid(Operation.GET_MEETING, result, error)
        return
    if detail.source_id != meeting.source_id:
        run.invalid(Operation.GET_MEETING, result, ValueError("It describes another meeting."))
        return
    change = services.record_meeting_detail(meeting=meeting, service_url=service_url, detail=detail)
    run.note(meeting, change)
    run.remember(result)


def _finish(run: _Run, *, committees_ok: bool) -> None:
    for operation, results in run.results.items():
        if results:
            services.record_health(system=run.system, operation=operation, results=results)
    record = run.record
    states = list(run.states.values())
    record.meetings_created = states.count(services.Change.CREATED)
    record.meetings_updated = states.count(services.Change.UPDATED)
    record.meetings_unchanged = states.count(services.Change.UNCHANGED)
    if not committees_ok:
        record.outcome = SyncOutcome.FAILED
    elif record.errors:
        record.outcome = SyncOutcome.PARTIAL
    else:
        record.outcome = SyncOutcome.OK
    record.finished_at = timezone.now()
    record.save()
    system = run.system
    system.last_synced_at = record.finished_at
    if record.outcome == SyncOutcome.OK:
        system.last_success_at = record.finished_at
    system.save(update_fields=["last_synced_at", "last_success_at"])


def sync_everything(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    client: PoliteClient | None = None,
    triggered_by: str = "schedule",
) -> list[SyncRun]:
    """Every ModernGov install in the registry, one after another (one client, one rate limit)."""
    default_from, default_to = default_window()
    client = client or PoliteClient()
    runs = []
    for system in systems_from_registry():
        runs.append(
            sync_system(
                system=system,
                date_from=date_from or default_from,
                date_to=date_to or default_to,
                client=client,
                triggered_by=triggered_by,
            )
        )
    return runs
