"""Writes of the meetings calendar: one verb each, one transaction each, never a delete.

A sync calls these as answers arrive (sync.py), so that what one good answer says is stored even
when the next request fails. Each write compares before it saves: storing the same answer twice
changes nothing, not even a timestamp a calendar would see.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.db import models, transaction
from django.utils import timezone

from kitbag.meetings.calendar import moderngov
from kitbag.meetings.calendar.client import FetchResult
from kitbag.meetings.models import (
    AgendaItem,
    Committee,
    DemocracySystem,
    Document,
    EndpointHealth,
    EndpointStatus,
    FetchValidator,
    Meeting,
    SystemCouncil,
)
from kitbag.registry.models import Organisation

# What a calendar app shows of a meeting: a change to any of these is a new SEQUENCE.
CALENDAR_FIELDS = frozenset(
    {"start", "start_date", "time_known", "end", "status", "location", "room", "is_webcast"}
    | {"committee_id"}
)


class Change(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@transaction.atomic
def link_system(*, base_url: str, organisations: Iterable[Organisation]) -> DemocracySystem:
    """The install at `base_url` (already normalised), serving each of `organisations`."""
    system, _ = DemocracySystem.objects.get_or_create(base_url=base_url)
    for organisation in organisations:
        SystemCouncil.objects.get_or_create(system=system, organisation=organisation)
    return system


def _apply(instance: models.Model, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def _council_names(organisation: Organisation) -> list[str]:
    names = {organisation.short_name, organisation.name}
    for suffix in (" District Council", " Borough Council", " City Council", " Council"):
        if organisation.name.endswith(suffix):
            names.add(organisation.name.removesuffix(suffix))
    return sorted(name for name in names if name)


@transaction.atomic
def record_committees(
    *, system: DemocracySystem, service_url: str, records: Sequence[moderngov.CommitteeRecord]
) -> list[Committee]:
    councils = {org.pk: org for org in system.councils.all()}
    names = {str(pk): _council_names(org) for pk, org in councils.items()}
    now = timezone.now()
    existing = {c.source_id: c for c in system.committees.all()}
    stored = []
    for record in records:
        council_key = moderngov.attribute_committee(record.title, names)
        values: dict[str, Any] = {
            "title": record.title[:500],
            "category": record.category[:255],
            "is_deleted": record.is_deleted,
            "is_expired": record.is_expired,
            "council_id": int(council_key) if council_key else None,
            "public_url": moderngov.public_committee_url(service_url, record.source_id),
        }
        committee = existing.get(record.source_id)
        if committee is None:
            committee = Committee.objects.create(
                system=system, source_id=record.source_id, first_seen_at=now, **values
            )
        elif _apply(committee, values):
            committee.last_seen_at = now
            committee.save()
        stored.append(committee)
    return stored


def _upgrade_document_url(url: str, service_url: str) -> str:
    """A document on the install's own host is fetched the way the service answered (https)."""
    document, service = urlsplit(url), urlsplit(service_url)
    same_host = (document.hostname or "").lower() == (service.hostname or "").lower()
    if service.scheme == "https" and document.scheme == "http" and same_host:
        return urlunsplit(("https", *document[1:]))
    return url


def _save_meeting(meeting: Meeting, changed: list[str], now: dt.datetime) -> None:
    if any(name in CALENDAR_FIELDS for name in changed):
        meeting.sequence += 1
        meeting.changed_at = now
    meeting.last_seen_at = now
    meeting.save()


@transaction.atomic
def record_meeting_stub(
    *, committee: Committee, service_url: str, stub: moderngov.MeetingStub
) -> tuple[Meeting, Change]:
    """A meeting as GetMeetings lists it: created, or its date, time, status and webcast updated."""
    now = timezone.now()
    start = stub.start
    values: dict[str, Any] = {
        "committee_id": committee.pk,
        "start": start,
        "start_date": stub.date,
        "time_known": stub.time is not None,
        "status": str(stub.status),
        "status_raw": stub.status_raw[:64],
        "is_webcast": stub.is_webcast,
        "public_url": moderngov.public_meeting_url(
            service_url, committee.source_id, stub.source_id
        ),
    }
    meeting = Meeting.objects.filter(
        system_id=committee.system_id, source_id=stub.source_id
    ).first()
    if meeting is None:
        meeting = Meeting.objects.create(
            system_id=committee.system_id,
            source_id=stub.source_id,
            first_seen_at=now,
            changed_at=now,
            **values,
        )
        return meeting, Change.CREATED
    changed = _apply(meeting, values)
    if not changed:
        return meeting, Change.UNCHANGED
    _save_meeting(meeting, changed, now)
    return meeting, Change.UPDATED


@transaction.atomic
def record_meeting_detail(
    *, meeting: Meeting, service_url: str, detail: moderngov.MeetingDetail
) -> Change:
    """What GetMeeting adds: place, planned end, publication flags, agenda items, documents.

    Items and documents the server no longer lists are kept: an earlier sync's record stays.
    """
    now = timezone.now()
    values: dict[str, Any] = {
        "start_date": detail.date,
        "status": str(detail.status) if detail.status_raw else meeting.status,
        "status_raw": detail.status_raw[:64] or meeting.status_raw,
        "location": detail.location[:500],
        "room": detail.room[:255],
        "end": detail.end,
        "is_webcast": detail.is_webcast,
        "agenda_published": detail.agenda_published,
        "minutes_published": detail.minutes_published,
        "decisions_published": detail.decisions_published,
    }
    # A detail without a time keeps the time the list gave.
    time = detail.time
    if time is None and meeting.time_known:
        time = timezone.localtime(meeting.start).time()
    values["start"] = moderngov.local_datetime(detail.date, time)
    values["time_known"] = time is not None
    changed = _apply(meeting, values)
    items_changed = _record_agenda(meeting=meeting, detail=detail, service_url=service_url)
    first_detail = meeting.detail_fetched_at is None
    if changed or first_detail:
        meeting.detail_fetched_at = now
        _save_meeting(meeting, changed, now)
    if changed or items_changed:
        return Change.UPDATED
    return Change.UNCHANGED


def _record_agenda(*, meeting: Meeting, detail: moderngov.MeetingDetail, service_url: str) -> bool:
    changed_any = False
    items = {item.source_id: item for item in meeting.agenda_items.all()}
    for record in detail.agenda_items:
        values: dict[str, Any] = {
            "order": record.order,
            "display_number": record.display_number[:32],
            "title": record.title[:1000],
            "text_html": record.text_html,
            "minutes_html": record.minutes_html,
            "is_restricted": record.is_restricted,
            "public_can_speak": record.public_can_speak,
            "is_decision": record.is_decision,
        }
        item = items.get(record.source_id)
        if item is None:
            items[record.source_id] = AgendaItem.objects.create(
                meeting=meeting, source_id=record.source_id, **values
            )
            changed_any = True
        elif _apply(item, values):
            item.save()
            changed_any = True
    documents = {document.url: document for document in meeting.documents.all()}
    for document_record in detail.documents:
        url = _upgrade_document_url(document_record.url, service_url)
        item = (
            items.get(document_record.agenda_item_source_id)
            if document_record.agenda_item_source_id
            else None
        )
        values = {
            "agenda_item_id": item.pk if item else None,
            "source_id": document_record.source_id[:32],
            "title": document_record.title[:1000],
            "kind": str(document_record.kind),
            "is_external": document_record.is_external,
            "is_restricted": document_record.is_restricted,
            "publication_date": document_record.publication_date,
        }
        document = documents.get(url)
        if document is None:
            documents[url] = Document.objects.create(meeting=meeting, url=url, **values)
            changed_any = True
        elif _apply(document, values):
            document.save()
            changed_any = True
    return changed_any


@transaction.atomic
def record_health(
    *, system: DemocracySystem, operation: str, results: Sequence[FetchResult]
) -> EndpointHealth:
    """One operation's health from this sync's answers: working only if every answer was."""
    now = timezone.now()
    health, _ = EndpointHealth.objects.get_or_create(system=system, operation=operation)
    failures = [result for result in results if result.status != EndpointStatus.OK]
    last = failures[-1] if failures else results[-1]
    health.status = last.status
    health.http_status = last.http_status
    health.url = last.url[:1000]
    if failures:
        health.detail = (
            f"{len(failures)} of {len(results)} requests failed; the last: {last.detail}"
        )[:500]
    else:
        not_modified = sum(1 for result in results if result.not_modified)
        health.detail = f"{len(results)} requests answered ({not_modified} not modified)."
        health.last_ok_at = now
    health.checked_at = now
    health.save()
    return health


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@transaction.atomic
def remember_answer(*, system: DemocracySystem, result: FetchResult) -> None:
    """Keep a URL's validators and body hash (never the body) after its answer was stored."""
    FetchValidator.objects.update_or_create(
        system=system,
        url=result.url[:1000],
        defaults={
            "etag": result.etag[:255],
            "last_modified": result.last_modified[:64],
            "sha256": body_hash(result.body),
            "fetched_at": timezone.now(),
        },
    )
