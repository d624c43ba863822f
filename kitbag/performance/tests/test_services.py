from __future__ import annotations

import pytest

from kitbag.accounts.models import User
from kitbag.performance import services
from kitbag.performance.models import FigureUpload, Observation, SignOff, Visibility
from kitbag.performance.periods import financial_year
from kitbag.performance.tests.partnership_world import PartnershipWorld, build_partnership_world

pytestmark = pytest.mark.django_db

HEADER = "indicator,organisation,area,period,value,numerator,denominator,status,note\r\n"


@pytest.fixture
def world() -> PartnershipWorld:
    return build_partnership_world()


def _person(world: PartnershipWorld, role: str) -> User:
    person = world.people[role]
    assert isinstance(person, User)
    return person


def _upload(world: PartnershipWorld, data: bytes, *, owner: str = "owner") -> services.UploadResult:
    return services.upload_figures(
        partnership=world.partnership,
        owner=world.organisations[owner],
        uploaded_by=_person(world, owner),
        file_name="figures.csv",
        data=data,
    )


def test_an_uploaded_file_is_stored_as_drafts_with_provenance(world: PartnershipWorld) -> None:
    result = _upload(
        world,
        (
            HEADER + "FALLS1,OTHR,,2023-24,12.5,25,200,provisional,n\r\n"
            "falls1,,E05000001,2022-23,10,,,,\r\n"
        ).encode(),
    )
    assert result.errors == [] and result.stored == 2
    figures = Observation.objects.order_by("period_start")
    assert [f.sign_off for f in figures] == [SignOff.DRAFT, SignOff.DRAFT]
    first, second = figures
    assert (first.gss, first.organisation, first.period) == ("E05000001", None, "2022-04-01/P1Y")
    assert second.organisation == world.organisations["other_partner"]
    assert (second.source_file, second.source_row, second.upload) == (
        "figures.csv",
        2,
        result.upload,
    )
    assert second.entered_by == _person(world, "owner")
    assert second.owner_organisation == world.organisations["owner"]
    assert second.visibility == Visibility.PARTNERS
    assert second.import_run is None


def test_the_same_file_again_changes_nothing(world: PartnershipWorld) -> None:
    data = (HEADER + "FALLS1,OTHR,,2023-24,12.5,,,,\r\n").encode()
    _upload(world, data)
    figure = Observation.objects.get()
    services.approve_figure(observation=figure, by=_person(world, "owner"))
    again = _upload(world, data)
    assert again.already_uploaded and again.errors == []
    assert FigureUpload.objects.count() == 1
    figure.refresh_from_db()
    assert figure.sign_off == SignOff.APPROVED


def test_nothing_is_stored_unless_every_row_is_right(world: PartnershipWorld) -> None:
    result = _upload(
        world,
        (
            HEADER + "FALLS1,OTHR,,2023-24,12.5,,,,\r\n"
            "NOPE,OTHR,,2023-24,1,,,,\r\n"
            "FALLS1,XXXX,,2023-24,1,,,,\r\n"
        ).encode(),
    )
    assert [(e.line, e.column) for e in result.errors] == [(3, "indicator"), (4, "organisation")]
    assert Observation.objects.count() == 0 and FigureUpload.objects.count() == 0


def test_a_partner_cannot_overwrite_another_organisations_figure(world: PartnershipWorld) -> None:
    _upload(world, (HEADER + "FALLS1,OTHR,,2023-24,12.5,,,,\r\n").encode())
    result = _upload(
        world,
        (HEADER + "FALLS1,OTHR,,2023-24,99,,,,\r\nFALLS1,,E05000001,2023-24,1,,,,\r\n").encode(),
        owner="other_partner",
    )
    assert [(e.line, e.column) for e in result.errors] == [(2, "organisation")]
    assert list(Observation.objects.values_list("value", flat=True)) == [12.5]


def test_a_changed_figure_goes_back_to_draft(world: PartnershipWorld) -> None:
    owner = _person(world, "owner")
    figure_input = services.FigureInput(
        indicator=world.indicator,
        organisation=None,
        area="E05000001",
        period=financial_year(2023),
        value=1.0,
    )
    figure = services.enter_figure(
        figure=figure_input, owner=world.organisations["owner"], entered_by=owner
    )
    services.approve_figure(observation=figure, by=owner)
    services.publish_figure(observation=figure, by=owner)
    changed = services.enter_figure(
        figure=services.FigureInput(**{**figure_input.__dict__, "value": 2.0}),
        owner=world.organisations["owner"],
        entered_by=owner,
    )
    assert changed.pk == figure.pk
    assert (changed.value, changed.sign_off, changed.published_at) == (2.0, SignOff.DRAFT, None)


def test_sign_off_goes_draft_approved_published_in_order(world: PartnershipWorld) -> None:
    owner = _person(world, "owner")
    figure = services.enter_figure(
        figure=services.FigureInput(
            indicator=world.indicator,
            organisation=None,
            area="E05000001",
            period=financial_year(2023),
            value=1.0,
        ),
        owner=world.organisations["owner"],
        entered_by=owner,
    )
    with pytest.raises(services.SignOffError):
        services.publish_figure(observation=figure, by=owner)
    services.approve_figure(observation=figure, by=owner)
    with pytest.raises(services.SignOffError):
        services.approve_figure(observation=figure, by=owner)
    published = services.publish_figure(observation=figure, by=owner, visibility=Visibility.PUBLIC)
    assert (published.sign_off, published.visibility) == (SignOff.PUBLISHED, Visibility.PUBLIC)
    assert published.published_by == owner and published.published_at is not None


def test_a_member_who_leaves_keeps_a_row_and_loses_its_rights(world: PartnershipWorld) -> None:
    from kitbag.accounts.permissions import can

    member = world.partnership.members.get(organisation=world.organisations["other_partner"])
    services.remove_member(member=member)
    member.refresh_from_db()
    assert member.left_on is not None
    assert not can(world.people["other_partner"], "enter_figures", world.partnership)
    again = services.add_member(
        partnership=world.partnership,
        organisation=world.organisations["other_partner"],
        role="partner",
    )
    assert again.pk != member.pk
