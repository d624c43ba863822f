"""The initial state of every radio question in the meetings and registry forms (issue 16): none is
answered for the person, not even from the address; an answer they gave is kept when the form comes
back with an error; and the form marks what is optional rather than what is required."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kitbag.meetings.tests.openness_world import World, a_report, make_world
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def _radios(html: str) -> dict[str, list[str]]:
    """Each radio group's name with the values checked in it."""
    groups: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*type=\"radio\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        assert name is not None and value is not None
        checked = groups.setdefault(name.group(1), [])
        if re.search(r"\schecked(\s|>|$)", tag):
            checked.append(value.group(1))
    return groups


def _selects(html: str) -> list[str]:
    return re.findall(r'<select[^>]*name="([^"]+)"', html)


def test_the_report_form_chooses_nothing_even_when_the_address_names_an_activity(
    world: World, client: Client
) -> None:
    client.force_login(world.other)
    for url in (
        "/meetings/riverside/openness/report/",
        "/meetings/riverside/openness/report/?activity=filming",
        "/meetings/riverside/openness/report/?activity=filming&claimed_status=prohibited",
    ):
        groups = _radios(client.get(url).content.decode())
        assert groups == {"activity": [], "claimed_status": []}, url


def test_the_policy_form_asks_activity_and_status_as_radios_with_none_chosen(
    world: World, client: Client
) -> None:
    client.force_login(world.editor)
    for url in (
        "/meetings/riverside/openness/policy/",
        "/meetings/riverside/openness/policy/?activity=photography",
    ):
        html = client.get(url).content.decode()
        assert _radios(html) == {"activity": [], "status": []}, url
        # No select shows its first option as if it were the answer.
        assert _selects(html) == []
    html = client.get("/meetings/riverside/openness/policy/").content.decode()
    assert "What changed (optional)" in html and "Or upload the evidence (optional)" in html


def test_an_answer_given_is_kept_when_the_policy_form_comes_back_with_an_error(
    world: World, client: Client
) -> None:
    client.force_login(world.editor)
    response = client.post(
        "/meetings/riverside/openness/policy/",
        {"activity": "photography", "status": "", "evidence_url": "", "evidence_date": ""},
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert _radios(html) == {"activity": ["photography"], "status": []}
    assert '<a href="#id_status">Choose the council&#x27;s policy</a>' in html


def test_the_moderators_form_chooses_neither_the_next_step_nor_the_policy(
    world: World, client: Client
) -> None:
    report = a_report(world)
    client.force_login(world.moderator)
    html = client.get(report.get_absolute_url()).content.decode()
    assert _radios(html) == {"to_state": [], "policy_status": []}
    assert _selects(html) == []
    # What the reporter said they were told is a hint, not a default.
    assert "The reporter said they were told: Prohibited." in html


def test_the_moderators_form_needs_a_step_and_a_policy_when_recording_one(
    world: World, client: Client
) -> None:
    report = a_report(world)
    client.force_login(world.moderator)
    response = client.post(
        f"/meetings/openness/reports/{report.pk}/moderate",
        {"to_state": "", "reason": "Seen the video", "change_policy": "on"},
    )
    html = response.content.decode()
    assert "Choose the next step" in html
    report.refresh_from_db()
    assert report.state == "submitted"


def test_the_registry_filter_radios_show_the_filter_in_force_and_nothing_else(
    client: Client,
) -> None:
    """A filter is not a question: its radios say which filter applies, "current and former" (no
    filter) until someone chooses another. No other registry page has radios."""
    council = OrganisationFactory.create()
    assert _radios(client.get("/organisations/").content.decode()) == {"current": [""]}
    assert _radios(client.get("/organisations/?current=true").content.decode()) == {
        "current": ["true"]
    }
    assert _radios(client.get(council.get_absolute_url()).content.decode()) == {}
    assert _radios(client.get("/organisations/councils/map/").content.decode()) == {}
