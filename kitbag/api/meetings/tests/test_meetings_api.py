"""GET /api/v1/meetings: by council and date, ISO 8601 starts with offsets, paginated, in the schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import timezone

from kitbag.meetings.calendar import sync
from kitbag.meetings.calendar.client import HostRateLimiter, PoliteClient
from kitbag.meetings.models import Meeting
from kitbag.meetings.tests.fake_moderngov import FakeMeeting, FakeModernGov, running
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council() -> Iterator[Organisation]:
    fake = FakeModernGov()
    fake.add_committee("21", "Planning Committee")
    # One meeting in winter (GMT) and one in summer (BST), and one cancelled.
    fake.add_meeting(FakeMeeting(id="1", committee_id="21", date=dt.date(2026, 1, 13)))
    fake.add_meeting(
        FakeMeeting(
            id="2",
            committee_id="21",
            date=dt.date(2026, 7, 14),
            time="2.30 pm",
            webcast=True,
            documents=[("91", "Agenda frontsheet")],
        )
    )
    fake.add_meeting(
        FakeMeeting(id="3", committee_id="21", date=dt.date(2026, 8, 11), status="Cancelled")
    )
    with running(fake):
        organisation = OrganisationFactory.create(
            name="Riverside District Council",
            slug="riverside",
            code="RIV",
            democracy_cms="ModernGov",
            democracy_url=fake.base_url,
        )
        client = PoliteClient(rate_limiter=HostRateLimiter(0), backoff=0.01, timeout=2)
        sync.sync_system(
            system=sync.system_for(council=organisation),
            date_from=dt.date(2026, 1, 1),
            date_to=dt.date(2026, 12, 31),
            client=client,
        )
        yield organisation


def test_meetings_of_a_council_in_a_date_range_with_starts_in_london_time(
    client: Client, council: Organisation
) -> None:
    response = client.get("/api/v1/meetings?organisation=RIV&from=2026-01-01&to=2026-07-31")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["next"] is None
    winter, summer = body["results"]
    assert winter["start"] == "2026-01-13T10:00:00+00:00"
    assert summer["start"] == "2026-07-14T14:30:00+01:00"
    assert summer["end"] is None  # the planned finish (12.30 pm) is before the start
    assert summer["webcast"] is True
    assert summer["status"] == "confirmed"
    assert summer["location"] == "Civic Hall, Committee Room 2"
    assert summer["committee"] == {
        "id": Meeting.objects.get(source_id="2").committee_id,
        "title": "Planning Committee",
        "organisation": "RIV",
        "joint": False,
    }
    assert summer["documents"][0]["title"] == "Agenda frontsheet"
    assert summer["source_url"].endswith("/ieListDocuments.aspx?CId=21&MId=2")
    assert summer["html_url"].startswith("http://testserver/meetings/riverside/meetings/")
    assert summer["id"] == str(Meeting.objects.get(source_id="2").uid)


def test_a_cancelled_meeting_says_so(client: Client, council: Organisation) -> None:
    body = client.get("/api/v1/meetings?organisation=riv&from=2026-08-01").json()
    assert [m["status"] for m in body["results"]] == ["cancelled"]


def test_the_list_is_paginated_like_every_list(client: Client, council: Organisation) -> None:
    first = client.get("/api/v1/meetings?organisation=RIV&page_size=2").json()
    assert first["count"] == 3 and len(first["results"]) == 2
    assert first["next"].endswith("page=2&page_size=2") or "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["previous"] is not None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("organisation=NOPE", "organisation"),
        ("from=13/01/2026", "from"),
        ("to=2026-02-30", "to"),
        ("from=2026-05-01&to=2026-04-01", "to"),
        ("page_size=0", "page_size"),
    ],
)
def test_wrong_parameters_are_a_400_naming_the_parameter(
    client: Client, council: Organisation, query: str, field: str
) -> None:
    response = client.get(f"/api/v1/meetings?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_the_endpoint_and_its_parameters_are_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/meetings"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"organisation", "from", "to", "page", "page_size"} <= names
    assert operation["operationId"] == "meetings_list"


def test_today_by_default_every_meeting_is_listed(client: Client, council: Organisation) -> None:
    assert timezone.localdate()  # the list is not limited to the future unless asked
    assert client.get("/api/v1/meetings").json()["count"] == 3
