from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kitbag.accounts.models import User
from kitbag.performance import services
from kitbag.performance.models import (
    Indicator,
    Observation,
    Outcome,
    Partnership,
    PartnershipMember,
    SignOff,
)
from kitbag.performance.periods import financial_year
from kitbag.performance.tests.partnership_world import PartnershipWorld, build_partnership_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> PartnershipWorld:
    return build_partnership_world()


def _person(world: PartnershipWorld, role: str) -> User:
    person = world.people[role]
    assert isinstance(person, User)
    return person


def _figures(world: PartnershipWorld, count: int) -> None:
    owner = _person(world, "owner")
    for n in range(count):
        figure = services.enter_figure(
            figure=services.FigureInput(
                indicator=world.indicator,
                organisation=None,
                area=f"E05{n:06d}",
                period=financial_year(2015 + n % 8),
                value=float(n),
                visibility="public",
            ),
            owner=world.organisations["owner"],
            entered_by=owner,
        )
        if n % 2:
            services.approve_figure(observation=figure, by=owner)
            services.publish_figure(observation=figure, by=owner)


def test_a_verified_member_sets_up_a_partnership_led_by_their_organisation(
    world: PartnershipWorld,
) -> None:
    client = world.client("outsider")
    assert client.get(reverse("performance:partnership_create")).status_code == 200
    response = client.post(
        reverse("performance:partnership_create"),
        {
            "lead": world.organisations["outsider"].pk,
            "name": "Safer Streets",
            "description": "Less reoffending.",
            "area_description": "Faraway",
            "area_gss": "E07000042, e07000043",
            "visibility": "partners",
            "embargo_until": "",
        },
    )
    made = Partnership.objects.get(name="Safer Streets")
    assert response.status_code == 302
    assert made.area_gss == ["E07000042", "E07000043"]
    assert made.coordinator == world.people["outsider"]
    assert made.members.get().organisation == world.organisations["outsider"]


def test_a_person_without_a_verified_membership_cannot_set_one_up(world: PartnershipWorld) -> None:
    assert (
        world.client("signed_in").get(reverse("performance:partnership_create")).status_code == 403
    )


def test_a_bad_gss_code_is_an_error_on_its_field(world: PartnershipWorld) -> None:
    response = world.client("outsider").post(
        reverse("performance:partnership_create"),
        {
            "lead": world.organisations["outsider"].pk,
            "name": "X",
            "area_gss": "nope",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert "a GSS code is a letter and eight digits" in response.content.decode()


def test_the_coordinator_edits_and_manages_members(world: PartnershipWorld) -> None:
    client = world.client("coordinator")
    slug = world.partnership.slug
    response = client.post(
        reverse("performance:partnership_edit", args=[slug]),
        {
            "name": "Healthy Ageing",
            "description": "",
            "area_gss": "",
            "visibility": "partners",
            "area_description": "Midshire",
        },
    )
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert (world.partnership.name, world.partnership.visibility) == ("Healthy Ageing", "partners")
    response = client.post(
        reverse("performance:member_list", args=[slug]),
        {"organisation": "FARA", "role": "observer"},
    )
    assert response.status_code == 302
    added = PartnershipMember.objects.get(organisation=world.organisations["outsider"])
    assert added.role == "observer"
    client.post(reverse("performance:member_remove", args=[slug, added.pk]))
    added.refresh_from_db()
    assert added.left_on is not None
    for role in ("other_partner", "observer", "owner"):
        assert (
            world.client(role).get(reverse("performance:member_list", args=[slug])).status_code
            == 403
        )


def test_the_lead_adds_an_outcome_and_an_indicator(world: PartnershipWorld) -> None:
    client = world.client("lead")
    slug = world.partnership.slug
    client.post(reverse("performance:outcome_add", args=[slug]), {"title": "Fewer delays"})
    outcome = Outcome.objects.get(title="Fewer delays")
    data: dict[str, Any] = {
        "code": "DTOC",
        "name": "Delayed transfers",
        "polarity": "midpoint",
        "decimal_places": 1,
        "visibility": "partners",
        "owner": world.organisations["other_partner"].pk,
        "outcome": outcome.pk,
    }
    response = client.post(reverse("performance:indicator_add", args=[slug]), data)
    assert "Enter the midpoint" in response.content.decode()
    response = client.post(
        reverse("performance:indicator_add", args=[slug]), {**data, "midpoint": 50}
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="DTOC")
    assert (indicator.midpoint, indicator.source, indicator.partnership) == (
        50.0,
        "partnership",
        world.partnership,
    )
    assert list(outcome.indicators.all()) == [indicator]


def test_a_partner_enters_a_figure_for_a_financial_year(world: PartnershipWorld) -> None:
    client = world.client("other_partner")
    url = reverse("performance:figure_add", args=[world.partnership.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "indicator": world.indicator.pk,
            "owner": world.organisations["other_partner"].pk,
            "organisation": "OTHR",
            "financial_year": "2023",
            "value": "4.5",
            "status": "provisional",
            "visibility": "partners",
            "embargo_until": "2040-04-01 09:30",
        },
    )
    assert response.status_code == 302
    figure = Observation.objects.get()
    assert figure.embargo_until is not None and figure.embargo_until.year == 2040
    assert (figure.period, figure.period_label, figure.sign_off) == (
        "2023-04-01/P1Y",
        "2023-24",
        SignOff.DRAFT,
    )
    assert figure.entered_by == world.people["other_partner"]
    assert world.client("observer").get(url).status_code == 403


def test_figure_form_errors_name_their_field(world: PartnershipWorld) -> None:
    response = world.client("owner").post(
        reverse("performance:figure_add", args=[world.partnership.slug]),
        {
            "indicator": world.indicator.pk,
            "owner": world.organisations["owner"].pk,
            "period": "someday",
            "value": "x",
            "status": "final",
            "visibility": "partners",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "is not a period" in text and "Give an organisation or an area" in text


def test_an_upload_with_errors_lists_each_with_its_line_and_stores_nothing(
    world: PartnershipWorld,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = world.client("owner")
    url = reverse("performance:figure_upload", args=[world.partnership.slug])
    data = (
        b"indicator,organisation,period,value\r\nFALLS1,OTHR,2023-24,abc\r\nZZZ,OTHR,2023-24,1\r\n"
    )
    response = client.post(
        url,
        {
            "owner": world.organisations["owner"].pk,
            "visibility": "partners",
            "file": SimpleUploadedFile("f.csv", data, content_type="text/csv"),
        },
    )
    text = response.content.decode()
    assert "line 2, column value" in text
    assert Observation.objects.count() == 0
    good = b"indicator,organisation,period,value\r\nFALLS1,OTHR,2023-24,1\r\n"
    response = client.post(
        url,
        {
            "owner": world.organisations["owner"].pk,
            "visibility": "partners",
            "file": SimpleUploadedFile("f.csv", good, content_type="text/csv"),
        },
    )
    assert response.status_code == 302 and Observation.objects.count() == 1


def test_the_template_downloads(world: PartnershipWorld) -> None:
    response = world.client("owner").get(
        reverse("performance:figure_template", args=[world.partnership.slug])
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert text.startswith("\ufeffindicator,organisation,area,period,value")


def test_list_and_detail_pages_ask_a_fixed_number_of_queries(
    world: PartnershipWorld, django_assert_max_num_queries: Any
) -> None:
    _figures(world, 40)
    client = world.client("owner")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("performance:partnership_list")).status_code == 200
    with django_assert_max_num_queries(16):
        response = client.get(
            reverse("performance:partnership_detail", args=[world.partnership.slug])
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("performance:indicator_detail", args=[world.indicator.slug]))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("api_partnership_observations", args=[world.partnership.slug])
        )
    assert response.json()["count"] == 40


# --- A person's page: their partnerships -------------------------------------------------------


def _public_profile(user: User, organisation: Any = None) -> int:
    from kitbag.accounts.models import Profile

    profile, _created = Profile.objects.update_or_create(
        user=user,
        defaults={
            "display_name": user.email.split("@")[0],
            "is_public": True,
            "organisation": organisation,
        },
    )
    return profile.pk


def test_a_persons_page_lists_the_partnerships_they_coordinate_and_their_organisation_is_in(
    world: PartnershipWorld,
) -> None:
    coordinator = _person(world, "coordinator")
    owner = _person(world, "owner")
    coordinator_page = f"/people/{_public_profile(coordinator)}/"
    owner_page = f"/people/{_public_profile(owner, world.organisations['owner'])}/"
    for page, role in ((coordinator_page, "coordinator"), (owner_page, "partner")):
        html = world.client("anonymous").get(page).content.decode()
        assert "Healthy Ageing Together" in html, page
        assert role in html


def test_a_partners_only_partnership_shows_on_a_persons_page_only_to_its_partners(
    world: PartnershipWorld,
) -> None:
    owner = _person(world, "owner")
    services.create_partnership(
        name="Quiet Pact",
        description="",
        lead=world.organisations["owner"],
        coordinator=_person(world, "coordinator"),
        visibility="partners",
    )
    page = f"/people/{_public_profile(owner, world.organisations['owner'])}/"
    for role in ("anonymous", "signed_in", "outsider", "other_partner"):
        assert "Quiet Pact" not in world.client(role).get(page).content.decode(), role
    for role in ("owner", "coordinator"):
        assert "Quiet Pact" in world.client(role).get(page).content.decode(), role


def test_only_the_organisation_a_person_shows_brings_its_partnerships(
    world: PartnershipWorld,
) -> None:
    owner = _person(world, "owner")
    page = f"/people/{_public_profile(owner, organisation=None)}/"
    html = world.client("anonymous").get(page).content.decode()
    assert "Healthy Ageing Together" not in html
    assert 'id="partnerships"' not in html


def test_a_persons_partnerships_cost_the_same_queries_however_many(
    world: PartnershipWorld, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owner = _person(world, "owner")
    page = f"/people/{_public_profile(owner, world.organisations['owner'])}/"
    client = world.client("owner")
    client.get(page)
    with CaptureQueriesContext(connection) as one:
        client.get(page)
    for n in range(6):
        more = services.create_partnership(
            name=f"Pact {n}",
            description="",
            lead=world.organisations["lead"],
            coordinator=owner,
            visibility="partners" if n % 2 else "public",
        )
        services.add_member(
            partnership=more, organisation=world.organisations["owner"], role="partner"
        )
    with django_assert_max_num_queries(len(one)):
        html = client.get(page).content.decode()
    assert html.count("Pact ") == 6
