"""The ModernGov parser on fixtures written in the shapes real installs send (no Django needed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kitbag.meetings.calendar import moderngov
from kitbag.meetings.calendar.moderngov import DocumentKind, MeetingStatus, ParseError

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.00 am", dt.time(10, 0)),
        ("2.30 pm", dt.time(14, 30)),
        ("7.00pm", dt.time(19, 0)),
        ("10:30", dt.time(10, 30)),
        ("14.15", dt.time(14, 15)),
        ("10am", dt.time(10, 0)),
        ("12.00 pm", dt.time(12, 0)),
        ("12.00 am", dt.time(0, 0)),
        ("12 noon", dt.time(12, 0)),
        ("6.30 p.m.", dt.time(18, 30)),
        ("10.00 am - 12.30 pm", dt.time(10, 0)),
        ("  \n  ", None),
        ("TBC", None),
        ("25.00", None),
    ],
)
def test_times_are_read_in_every_form_councils_write_them(raw: str, expected: dt.time) -> None:
    assert moderngov.parse_time(raw) == expected


def test_dates_are_day_first_and_unspecified_or_impossible_dates_are_none() -> None:
    assert moderngov.parse_date("04/03/2026") == dt.date(2026, 3, 4)
    assert moderngov.parse_date(" 4/3/2026 00:00:00") == dt.date(2026, 3, 4)
    assert moderngov.parse_date("2026-03-04") == dt.date(2026, 3, 4)
    assert moderngov.parse_date("unspecified") is None
    assert moderngov.parse_date("31/02/2026") is None
    assert moderngov.parse_date("") is None


def test_padded_counts_and_true_false_text_are_read_as_numbers_and_booleans() -> None:
    assert moderngov.parse_int("   4") == 4
    assert moderngov.parse_int("") is None
    assert moderngov.parse_bool("True") is True
    assert moderngov.parse_bool(" false ") is False
    assert moderngov.parse_bool("\n   ") is None


def test_a_start_is_europe_london_local_time_in_summer_and_winter() -> None:
    winter = moderngov.local_datetime(dt.date(2026, 1, 13), dt.time(10, 0))
    summer = moderngov.local_datetime(dt.date(2026, 7, 14), dt.time(10, 0))
    assert winter.isoformat() == "2026-01-13T10:00:00+00:00"
    assert summer.isoformat() == "2026-07-14T10:00:00+01:00"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://democracy.example.gov.uk/", "https://democracy.example.gov.uk"),
        ("https://www.example.gov.uk/localgov/", "https://www.example.gov.uk/localgov"),
        ("https://www.example.gov.uk/Committees", "https://www.example.gov.uk/Committees"),
        ("http://ww5.example.gov.uk/moderngov", "http://ww5.example.gov.uk/moderngov"),
        (
            "https://democracy.example.gov.uk/mgCalendarMonthView.aspx?GL=1",
            "https://democracy.example.gov.uk",
        ),
        (
            "https://example.moderngov.co.uk/mgWebService.asmx",
            "https://example.moderngov.co.uk",
        ),
        ("  HTTPS://Democracy.Example.GOV.uk/ieDocHome.aspx  ", "https://democracy.example.gov.uk"),
        ("democracy.example.gov.uk", "https://democracy.example.gov.uk"),
        ("Custom Base", None),
        ("", None),
        ("ftp://example.gov.uk/", None),
    ],
)
def test_base_urls_keep_their_path_and_lose_page_names(raw: str, expected: str | None) -> None:
    assert moderngov.normalise_base_url(raw) == expected


def test_https_is_tried_before_a_registrys_http_address() -> None:
    assert moderngov.base_url_candidates("http://ww5.example.gov.uk/moderngov") == [
        "https://ww5.example.gov.uk/moderngov",
        "http://ww5.example.gov.uk/moderngov",
    ]
    assert moderngov.base_url_candidates("https://a.example") == ["https://a.example"]


def test_operations_are_plain_gets_under_the_base_path_with_day_first_dates() -> None:
    params = moderngov.meetings_params("21", dt.date(2026, 3, 1), dt.date(2026, 6, 30))
    url = moderngov.operation_url("https://www.example.gov.uk/localgov", "GetMeetings", params)
    assert url == (
        "https://www.example.gov.uk/localgov/mgWebService.asmx/GetMeetings"
        "?lCommitteeId=21&sFromDate=01%2F03%2F2026&sToDate=30%2F06%2F2026"
    )


def test_committees_are_read_with_flags_and_an_optional_category() -> None:
    committees = moderngov.parse_committees(fixture("committees.xml"))
    assert [c.source_id for c in committees] == ["21", "34", "8", "9"]
    planning, scrutiny, transport, old = committees
    assert planning.category == "Regulatory committees"
    assert scrutiny.title == "Overview & Scrutiny Board"
    assert scrutiny.category == ""
    assert transport.is_expired and not transport.is_deleted
    assert transport.category == ""  # whitespace only
    assert old.is_deleted


def test_a_soap_envelope_is_read_like_the_bare_answer() -> None:
    committees = moderngov.parse_committees(fixture("committees_soap.xml"))
    assert committees == [moderngov.CommitteeRecord(source_id="55", title="Cabinet")]


def test_a_truncated_answer_gives_what_it_has_and_loses_the_broken_end() -> None:
    committees = moderngov.parse_committees(fixture("committees_truncated.xml"))
    assert [c.title for c in committees][0] == "Planning Committee"


def test_meetings_outside_the_requested_range_are_dropped_when_the_server_ignores_it() -> None:
    stubs = moderngov.parse_meetings(
        fixture("meetings_whole_history.xml"),
        committee_id="21",
        date_from=dt.date(2026, 3, 1),
        date_to=dt.date(2026, 5, 31),
    )
    assert [s.source_id for s in stubs] == ["5110", "5111", "5112"]
    cancelled, webcast, draft = stubs
    assert cancelled.status == MeetingStatus.CANCELLED
    assert cancelled.start.isoformat() == "2026-03-17T10:00:00+00:00"
    assert webcast.is_webcast and webcast.start.isoformat() == "2026-04-14T14:30:00+01:00"
    assert draft.time is None and draft.status == MeetingStatus.TENTATIVE
    assert draft.status_raw == "Draft"


def test_a_response_with_counts_and_no_meetings_is_an_empty_list() -> None:
    assert moderngov.parse_meetings(fixture("meetings_counts_only.xml"), committee_id="21") == []


def test_a_single_meeting_with_raw_unbalanced_html_and_a_bare_ampersand_is_read() -> None:
    stubs = moderngov.parse_meetings(
        fixture("meetings_single_with_raw_html.xml"), committee_id="34"
    )
    assert len(stubs) == 1
    assert stubs[0].source_id == "777"
    # The unclosed <b> did not swallow what follows it.
    assert stubs[0].is_webcast is True
    assert stubs[0].start.isoformat() == "2026-06-09T18:00:00+01:00"


def test_a_meeting_detail_gives_place_end_agenda_in_order_and_deduplicated_documents() -> None:
    detail = moderngov.parse_meeting(fixture("meeting_detail.xml"))
    assert detail.location == "Guildhall, Council Chamber"
    assert detail.room == ""
    assert detail.end is not None and detail.end.isoformat() == "2026-04-14T17:00:00+01:00"
    assert detail.agenda_published and not detail.minutes_published
    assert [i.source_id for i in detail.agenda_items] == ["9001", "9002", "9003"]
    minutes, application, exempt = detail.agenda_items
    assert minutes.text_html == "<p>To confirm the minutes of 17 March.</p>"  # twice escaped
    assert application.text_html == "<p>Erection of 12 homes.</p>"  # no style, no script
    assert application.public_can_speak and application.is_decision
    assert exempt.is_restricted and exempt.text_html == ""
    assert len(detail.documents) == 2
    by_id = {d.source_id: d for d in detail.documents}
    assert by_id["40001"].kind == DocumentKind.MINUTES
    assert by_id["40101"].kind == DocumentKind.OTHER
    assert by_id["40101"].agenda_item_source_id == "9002"
    assert by_id["40101"].publication_date == dt.date(2026, 4, 6)


def test_a_cancelled_meeting_with_an_empty_agenda_is_read() -> None:
    detail = moderngov.parse_meeting(fixture("meeting_cancelled_empty_agenda.xml"))
    assert detail.status == MeetingStatus.CANCELLED
    assert detail.agenda_items == () and detail.documents == ()
    assert detail.location == "" and detail.end is None


def test_councillors_home_addresses_and_phone_numbers_never_leave_the_parser() -> None:
    detail = moderngov.parse_meeting(fixture("meeting_detail.xml"))
    everything = repr(detail)
    for private in ("12 Private Close", "ZZ1 1ZZ", "01632 960001", "07700 900456"):
        assert private not in everything


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"<html><head><title>Access denied</title></head><body>Blocked</body></html>",
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><committees>&b;</committees>',
        b'<?xml version="1.0"?><!DOCTYPE c SYSTEM "file:///etc/passwd"><committees/>',
        b"not xml at all",
    ],
)
def test_empty_html_and_entity_declaring_answers_are_refused(body: bytes) -> None:
    with pytest.raises(ParseError):
        moderngov.parse_committees(body)


def test_an_answer_in_windows_1252_is_read() -> None:
    body = (
        "<committees><committee><committeeid>1</committeeid>"
        "<committeetitle>Caf\u00e9 Licensing \u2013 Sub-Committee</committeetitle>"
        "</committee></committees>"
    ).encode("cp1252")
    assert moderngov.parse_committees(body)[0].title == "Caf\u00e9 Licensing \u2013 Sub-Committee"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Confirmed", MeetingStatus.CONFIRMED),
        ("Scheduled", MeetingStatus.CONFIRMED),
        ("Cancelled", MeetingStatus.CANCELLED),
        ("Postponed", MeetingStatus.POSTPONED),
        ("Rescheduled", MeetingStatus.RESCHEDULED),
        ("Draft", MeetingStatus.TENTATIVE),
        ("", MeetingStatus.TENTATIVE),
    ],
)
def test_statuses_are_normalised_and_anything_unknown_is_tentative(
    raw: str, expected: MeetingStatus
) -> None:
    assert moderngov.normalise_status(raw) == expected


def test_a_shared_install_attributes_committees_by_the_council_they_name() -> None:
    councils = {"a": ["Adur", "Adur District Council"], "w": ["Worthing"]}
    assert moderngov.attribute_committee("Adur Planning Committee", councils) == "a"
    assert moderngov.attribute_committee("Worthing Licensing Committee", councils) == "w"
    assert moderngov.attribute_committee("Joint Strategic Committee", councils) is None
    assert moderngov.attribute_committee("Adur and Worthing Audit", councils) is None
    assert moderngov.attribute_committee("Audit Committee", councils) is None
    assert moderngov.attribute_committee("Anything", {"only": ["Solo"]}) == "only"
