"""Every part can be found: the service navigation and the home page both list every part of
Kitbag (kitbag/core/parts.py), each with what it is for and a few live figures, at a fixed cost."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kitbag.cases.models import Adoption
from kitbag.cases.tests.factories import CaseFactory
from kitbag.core.parts import Figure, Part, all_parts, part_of, register_part, unregister_part
from kitbag.meetings.models import Committee, DemocracySystem, Meeting, MeetingStatus
from kitbag.meetings.openness import services as openness_services
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.vocabularies.builtin import BUILTIN_LISTS
from kitbag.vocabularies.models import Code
from kitbag.vocabularies.services import write_code_list

# The parts that exist today; later ones (the network) add themselves.
PARTS = {
    "Organisations": "/organisations/",
    "Innovation library": "/cases/",
    "Council meetings": "/meetings/",
    "Meeting openness": "/meetings/openness/",
    "Performance": "/performance/",
    "Projects": "/projects/",
    "Consultations": "/consultations/",
    "Conversations": "/conversations/",
    "Events": "/events/",
    "Resources": "/resources/",
    "People": "/people/",
}


def navigation(html: str) -> dict[str, str]:
    """The service navigation's links, text to address."""
    menu = html.split('class="govuk-service-navigation__list"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'href="([^"]+)"[^>]*>(?:<strong[^>]*>)?([^<]+)<', menu)
    return {text.strip(): href for href, text in links}


def main(html: str) -> str:
    return html.split('<main class="govuk-main-wrapper"', 1)[1].split("</main>", 1)[0]


def current_item(html: str) -> str | None:
    found = re.search(r'aria-current="true"><strong[^>]*>([^<]+)<', html)
    return found.group(1) if found else None


@pytest.fixture
def another_part() -> Iterator[None]:
    """A part a later app would register in its AppConfig.ready()."""
    register_part(
        Part(
            name="network",
            label="The network",
            url_name="core:accessibility",
            purpose="People who work on public services, their events and what they share.",
            figures=lambda: [Figure(label="People", value=7)],
            # After every real part, whatever order they registered with.
            order=999,
        )
    )
    yield
    unregister_part("network")


@pytest.fixture
def town(db: None) -> dict[str, Any]:
    """Two published cases (one adopted), a draft, a council with a known policy, one with only
    the law, and three meetings: two upcoming (one of them cancelled) and one past."""
    for builtin in BUILTIN_LISTS:
        write_code_list(wanted=builtin.list, codes=builtin.codes)
    riverside = OrganisationFactory.create(name="Riverside District Council", slug="riverside")
    glen = OrganisationFactory.create(name="Glen Council", slug="glen", nation="Scotland")
    adopted = CaseFactory.create(lead_organisation=riverside)
    CaseFactory.create(lead_organisation=riverside)
    CaseFactory.create(lead_organisation=riverside, status="draft")
    Adoption.objects.create(
        case=adopted,
        adopter=glen,
        status=Code.objects.get(code_list__slug="adoption-status", code="live"),
    )
    openness_services.record_policy(
        council=riverside,
        activity="filming",
        change=openness_services.PolicyChange(status="prohibited"),
        by=None,
        check_permission=False,
    )
    system = DemocracySystem.objects.create(base_url="https://democracy.riverside.example/")
    system.councils.add(riverside)
    committee = Committee.objects.create(
        system=system, council=riverside, source_id="1", title="Planning Committee"
    )
    today = timezone.localdate()
    for n, (days, status) in enumerate(
        [(3, MeetingStatus.CONFIRMED), (10, MeetingStatus.CANCELLED), (-5, MeetingStatus.CONFIRMED)]
    ):
        start = timezone.now() + dt.timedelta(days=days)
        Meeting.objects.create(
            system=system,
            committee=committee,
            source_id=str(n),
            start=start,
            start_date=today + dt.timedelta(days=days),
            status=status,
        )
    return {"riverside": riverside, "glen": glen}


def test_every_part_registers_itself_in_order() -> None:
    assert [str(part.label) for part in all_parts()][: len(PARTS)] == list(PARTS)
    assert {str(part.label): part.url for part in all_parts()} == PARTS


@pytest.mark.django_db
def test_the_navigation_leads_to_every_part_then_the_api(client: Client) -> None:
    links = navigation(client.get("/about-the-data/").content.decode())
    assert list(links)[: len(PARTS) + 1] == [*PARTS, "API"]
    assert {text: links[text] for text in PARTS} == PARTS
    assert links["API"] == reverse("api_docs")


@pytest.mark.django_db
def test_the_home_page_says_what_each_part_is_for_and_links_to_it(client: Client) -> None:
    html = main(client.get("/").content.decode())
    for part in all_parts():
        assert f'href="{part.url}">{part.label}</a></h3>' in html
        assert str(part.purpose).replace("'", "&#x27;") in html
    assert 'href="/organisations/councils/map/"' in html


@pytest.mark.django_db
def test_a_newcomer_reaches_the_meetings_in_one_click_from_the_home_page(client: Client) -> None:
    html = client.get("/").content.decode()
    assert navigation(html)["Council meetings"] == "/meetings/"
    assert 'href="/meetings/">Council meetings</a>' in main(html)
    assert client.get("/meetings/").status_code == 200


@pytest.mark.django_db
def test_a_new_part_appears_in_the_navigation_and_on_the_home_page_by_registering_itself(
    client: Client, another_part: None
) -> None:
    html = client.get("/").content.decode()
    assert navigation(html)["The network"] == reverse("core:accessibility")
    # By its order, before the API.
    assert list(navigation(html))[len(PARTS)] == "The network"
    assert "their events and what they share." in main(html)
    assert "People" in main(html) and ">7<" in main(html)


@pytest.mark.django_db
def test_the_home_page_shows_live_figures_of_what_the_public_may_see(
    client: Client, town: dict[str, Any]
) -> None:
    html = main(client.get("/").content.decode())
    figures = dict(
        re.findall(
            r'summary-list__key">([^<]+)</dt>\s*<dd class="govuk-summary-list__value">([^<]+)<',
            html,
        )
    )
    assert figures == {
        "Public bodies": "2",
        "Cases": "2",  # the draft is not counted
        "Adoptions recorded": "1",
        "Upcoming meetings": "1",  # not the cancelled one, nor the past one
        "Councils with a calendar": "1",
        "Councils with a known policy": "1",  # Glen has only the law of Scotland
        "Open consultations": "0",
        "Comments": "0",
        "Official responses": "0",
        "Indicators": "0",
        "Published figures": "0",
        "Public projects": "0",
        "Conversations": "0",
        "Votes": "0",
        "Upcoming events": "0",
        "Unconferences": "0",
        "Resources": "0",
        "Resource tags": "0",
        "People who can help": "0",
        "Offering mentoring": "0",
    }


@pytest.mark.django_db
def test_the_figures_cost_a_fixed_number_of_queries_then_none_until_a_public_change(
    client: Client,
    town: dict[str, Any],
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # One query per figure, however many rows there are.
    figures = sum(len(part.figures()) for part in all_parts() if part.figures)
    with django_assert_num_queries(figures):
        client.get("/")
    CaseFactory.create_batch(5, lead_organisation=town["riverside"])
    with django_assert_num_queries(0):  # counted already: the home page makes no query at all
        html = client.get("/").content.decode()
    assert '"govuk-summary-list__value">2<' in html  # the cases, as they were counted

    # A public write makes them fresh at once.
    with django_capture_on_commit_callbacks(execute=True):
        CaseFactory.create(lead_organisation=town["glen"])
    with django_assert_num_queries(figures):
        html = client.get("/").content.decode()
    assert "Cases</dt>" in html and '"govuk-summary-list__value">8<' in html


@pytest.mark.django_db
def test_without_a_page_cache_the_figures_are_counted_on_every_visit(
    client: Client, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.KITBAG_PAGE_CACHE_SECONDS = 0
    figures = sum(len(part.figures()) for part in all_parts() if part.figures)
    for _visit in range(2):
        with django_assert_num_queries(figures):
            client.get("/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", None),
        ("/organisations/", "Organisations"),
        ("/organisations/councils/map/", "Organisations"),
        ("/cases/", "Innovation library"),
        ("/meetings/", "Council meetings"),
        ("/meetings/riverside/", "Council meetings"),
        ("/meetings/openness/", "Meeting openness"),
        ("/meetings/openness/law/", "Meeting openness"),
        ("/meetings/riverside/openness/", "Meeting openness"),
        ("/conversations/", "Conversations"),
        ("/resources/", "Resources"),
        ("/resources/tags/anything/", "Resources"),
        ("/api/docs", "API"),
        ("/about-the-data/", None),
    ],
)
def test_the_navigation_marks_the_part_the_page_belongs_to(
    client: Client, path: str, current: str | None
) -> None:
    OrganisationFactory.create(name="Riverside District Council", slug="riverside")
    html = client.get(path).content.decode()
    assert current_item(html) == current
    assert html.count('aria-current="true"') == (1 if current else 0)


def test_the_longest_matching_prefix_decides_the_part() -> None:
    assert part_of("meetings:openness_council") is not None
    assert part_of("meetings:openness_council").name == "meeting-openness"  # type: ignore[union-attr]
    assert part_of("meetings:council_calendar").name == "council-meetings"  # type: ignore[union-attr]
    assert part_of("registry:council_map").name == "organisations"  # type: ignore[union-attr]
    assert part_of("core:home") is None
    assert part_of(None) is None


@pytest.mark.django_db
def test_the_phase_banner_is_inside_the_one_header_landmark(client: Client) -> None:
    html = client.get("/").content.decode()
    assert html.count("<header") == 1
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert 'class="govuk-header"' in header
    assert 'class="govuk-service-navigation"' in header
    assert 'class="govuk-phase-banner"' in header
