"""The mapping tables of the importers: what a case's own words say plainly, and nothing more."""

from __future__ import annotations

import pytest

from kitbag.cases.importers import mapping


@pytest.mark.parametrize(
    ("text", "services"),
    [
        ("Sensors report potholes to the highways team", ("557",)),
        ("A chatbot answers council tax queries and books bin collections", ("524", "58")),
        ("Cameras spot fly-tipping in lay-bys", ("587",)),
        ("Technology Enabled Care for older residents", ("313",)),
        ("Detecting welfare fraud with risk profiles", ("726",)),
        ("Matching job seekers with vacancies", ("343",)),
        ("Smart traffic lights give buses priority", ("567",)),
        # Words that only hint at a service, or name one in another sense, give nothing.
        ("Fostering efficiency in land registry requests", ()),
        ("A platform that uses open data on migrants' skills", ()),
        ("School dropout in higher education", ()),
        ("A chatbot for a city's parking services", ()),
        ("The valuation of homes for a council tax revaluation", ()),
    ],
)
def test_services_are_named_plainly_or_not_at_all(text: str, services: tuple[str, ...]) -> None:
    assert mapping.services_named(text) == services


def test_only_the_title_and_first_sentences_say_what_a_case_is_about() -> None:
    summary = (
        "Nacka built a robot employee. It automates three processes. "
        "Another unit runs adult education and labour market programmes."
    )
    assert mapping.lede("Yasmine", summary) == (
        "Yasmine\nNacka built a robot employee.\nIt automates three processes."
    )
    assert mapping.services_named(mapping.lede("Yasmine", summary)) == ()


def test_every_service_code_is_an_lgsl_number_listed_once() -> None:
    codes = [code for code, _pattern in mapping.SERVICE_PATTERNS]
    assert len(codes) == len(set(codes))
    assert all(code.isdigit() for code in codes)


@pytest.mark.parametrize(
    ("body", "text", "sector"),
    [
        ("HMRC", "Ask HMRC online", "01"),
        ("DWP", "Universal Credit advances", "10"),
        ("NICE", "Search NICE guidance", "07"),
        ("Hampshire and Thames Valley Police", "Domestic abuse risk", "03"),
        ("DfE", "Attendance reports using similar schools", "09"),
        ("Natural England", "Mapping upland peat", "05"),
        ("DVLA", "Contact centre chatbot", "04"),
        ("MOD", "Job adverts", "02"),
        # "nice" in words is not NICE; a body and words naming nothing leave the sector blank.
        ("NS&I", "A nice chatbot for product queries", ""),
    ],
)
def test_atrs_sector_comes_from_the_body_or_the_words(body: str, text: str, sector: str) -> None:
    assert mapping.atrs_sector(body=body, text=text) == sector


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("Ask Ops Chatbot is a prototype tool", ("planned", "alpha")),
        ("Smart Pedestrian Crossing Trial", ("pilot", "beta")),
        ("A pilot of technology enabled care", ("pilot", "beta")),
        ("Classifies randomised controlled trials in papers", ("", "")),
        ("A tool used by caseworkers every day", ("", "")),
    ],
)
def test_atrs_stage_only_where_the_record_says_it(text: str, stage: tuple[str, str]) -> None:
    assert mapping.atrs_stage(text) == stage
