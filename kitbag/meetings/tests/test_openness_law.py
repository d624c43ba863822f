"""The law by nation as data, the stricter-than-law comparison, and the page that explains it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kitbag.meetings.models import Activity, LegalPosition, LegalRule, PolicyStatus
from kitbag.meetings.openness import law, positions
from kitbag.meetings.openness import services as openness_services
from kitbag.registry.models import Nation

pytestmark = pytest.mark.django_db


def test_there_is_one_rule_for_every_nation_and_activity() -> None:
    pairs = [(rule.nation, rule.activity) for rule in law.rules()]
    assert len(pairs) == len(set(pairs)) == 4 * 7
    assert {nation for nation, _ in pairs} == set(Nation.values)
    assert {activity for _, activity in pairs} == set(Activity.values)


def test_the_pure_modules_values_are_the_models_choices() -> None:
    assert set(positions.ACTIVITIES) == set(Activity.values)
    assert set(positions.STATUSES) == set(PolicyStatus.values)
    assert set(positions.LEGAL_POSITIONS) == set(LegalPosition.values)


def test_every_rule_that_cites_law_gives_an_instrument_a_provision_and_a_link() -> None:
    for rule in law.rules():
        assert rule.summary
        if rule.instrument:
            assert rule.provision and rule.url.startswith("https://www.legislation.gov.uk/")
        if rule.position in (positions.STATUTORY_RIGHT, positions.STATUTORY_DUTY):
            assert rule.instrument and rule.in_force_from is not None


def test_the_baseline_matches_the_law_in_each_nation() -> None:
    table = {(rule.nation, rule.activity): rule for rule in law.rules()}
    england_filming = table[("England", "filming")]
    assert england_filming.position == positions.STATUTORY_RIGHT
    assert england_filming.in_force_from is not None
    assert england_filming.in_force_from.isoformat() == "2014-08-06"
    assert "2014/2095" in england_filming.instrument
    assert table[("England", "oral-commentary")].position == positions.MAY_BE_REFUSED
    assert table[("Wales", "filming")].position == positions.COUNCIL_DISCRETION
    wales_webcast = table[("Wales", "council-webcast")]
    assert wales_webcast.position == positions.STATUTORY_DUTY
    assert wales_webcast.in_force_from and wales_webcast.in_force_from.isoformat() == "2022-05-05"
    assert "section 46" in wales_webcast.provision.lower()
    assert table[("Scotland", "filming")].position == positions.COUNCIL_DISCRETION
    ni_recordings = table[("Northern Ireland", "published-recordings")]
    assert ni_recordings.position == positions.STATUTORY_DUTY
    assert ni_recordings.in_force_from and ni_recordings.in_force_from.isoformat() == "2014-06-02"
    assert table[("Northern Ireland", "filming")].position == positions.COUNCIL_DISCRETION


def test_the_migration_loaded_the_rules_and_loading_again_changes_nothing() -> None:
    assert LegalRule.objects.count() == 28
    assert openness_services.load_law() == 0
    assert LegalRule.objects.count() == 28


def test_loading_puts_back_a_rule_someone_changed_or_deleted() -> None:
    LegalRule.objects.filter(nation="England", activity="filming").update(summary="wrong")
    LegalRule.objects.filter(nation="Wales", activity="photography").delete()
    assert openness_services.load_law() == 2
    assert LegalRule.objects.get(nation="England", activity="filming").summary != "wrong"
    assert LegalRule.objects.count() == 28


@pytest.mark.parametrize(
    ("status", "position", "stricter"),
    [
        ("prohibited", positions.STATUTORY_RIGHT, True),
        ("permission-required", positions.STATUTORY_RIGHT, True),
        ("allowed-with-conditions", positions.STATUTORY_RIGHT, False),
        ("allowed", positions.STATUTORY_RIGHT, False),
        ("unknown", positions.STATUTORY_RIGHT, False),
        ("prohibited", positions.STATUTORY_DUTY, True),
        ("permission-required", positions.STATUTORY_DUTY, True),
        ("allowed", positions.STATUTORY_DUTY, False),
        ("prohibited", positions.COUNCIL_DISCRETION, False),
        ("prohibited", positions.MAY_BE_REFUSED, False),
        ("prohibited", positions.NO_DUTY, False),
        ("prohibited", None, False),
    ],
)
def test_a_policy_is_stricter_than_the_law_only_when_it_takes_away_a_right_or_duty(
    status: str, position: str | None, stricter: bool
) -> None:
    assert positions.is_stricter_than_law(status=status, legal_position=position) is stricter


def test_an_unknown_status_or_position_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        positions.is_stricter_than_law(status="maybe", legal_position=positions.STATUTORY_RIGHT)
    with pytest.raises(ValueError):
        positions.is_stricter_than_law(status="allowed", legal_position="vibes")


def test_a_statutory_right_or_duty_settles_a_councils_status_without_a_policy() -> None:
    assert positions.statutory_status(positions.STATUTORY_RIGHT) == "allowed"
    assert positions.statutory_status(positions.STATUTORY_DUTY) == "allowed"
    for position in (
        positions.COUNCIL_DISCRETION,
        positions.MAY_BE_REFUSED,
        positions.NO_DUTY,
        None,
    ):
        assert positions.statutory_status(position) == "unknown"


def test_the_law_page_explains_each_nation_with_its_instruments(client: Client) -> None:
    response = client.get("/meetings/openness/law/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert "<title>The law on filming, recording and reporting council meetings" in html
    for nation in Nation.labels:
        assert f">{nation}</h2>" in html
    assert "https://www.legislation.gov.uk/uksi/2014/2095/regulation/4" in html
    assert "In force from 6 August 2014." in html
    assert "Local Government and Elections (Wales) Act 2021" in html
    assert "In force from 5 May 2022." in html
