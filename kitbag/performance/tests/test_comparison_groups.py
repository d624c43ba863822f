"""Custom comparison groups: defined by a verified member, public or private to its owning
organisation, chosen on an indicator page where the median, distances, bands and ranks are
computed within it by the same statistics as the built-in groups; visible on the pages and in
the API only to whom the rule allows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kitbag.accounts.models import Membership, MembershipRole, User
from kitbag.performance import queries, services, statistics
from kitbag.performance.importers import IMPORTERS
from kitbag.performance.models import ComparisonGroup, GroupVisibility, Indicator, Observation
from kitbag.performance.tests.factories import fixture_councils
from kitbag.performance.tests.test_importers import FIXTURES
from kitbag.registry.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils() -> dict[str, Organisation]:
    made = fixture_councils()
    for importer in IMPORTERS:
        importer(data_dir=FIXTURES).run()
    return made


def _member_of(organisation: Organisation, email: str) -> User:
    user = User.objects.create_user(email)
    Membership.objects.create(
        user=user,
        organisation=organisation,
        role=MembershipRole.MEMBER,
        method=Membership.Method.STAFF,
    )
    return user


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _group(
    councils: dict[str, Organisation], *, visibility: str = GroupVisibility.PUBLIC
) -> ComparisonGroup:
    return services.create_comparison_group(
        name="Alpha and Beta",
        owner=councils["E06000001"],
        councils=[councils["E06000001"], councils["E06000002"]],
        created_by=None,
        visibility=visibility,
    )


def test_a_custom_group_compares_its_councils_among_themselves(
    councils: dict[str, Organisation],
) -> None:
    # ASC1 2018-19: Alphaton 7.6, Betaby 7.9, Gammashire 7.3, Deltashire none. The nation's
    # median is 7.6 with a MAD of 0.3; within Alphaton and Betaby the median is 7.75, each half a
    # (national) MAD from it, and Betaby ranks first (higher is better).
    indicator = Indicator.objects.get(code="ASC1")
    period = list(Observation.objects.filter(indicator=indicator, period_label="2018-19"))
    custom = queries.CustomGroup.of(_group(councils))
    compared = {
        c.observation.organisation.short_name: c  # type: ignore[union-attr]
        for c in queries.compare_period(
            indicator, period, group=queries.Group.CUSTOM, custom=custom
        )
    }
    betaby, alphaton = compared["Betaby"], compared["Alphaton"]
    assert betaby.median == pytest.approx(7.75) and alphaton.median == pytest.approx(7.75)
    assert betaby.mad == pytest.approx(0.3)  # the national MAD stays the scale
    assert betaby.d == pytest.approx(0.5) and alphaton.d == pytest.approx(-0.5)
    assert (betaby.band, alphaton.band) == (
        statistics.Band.SLIGHTLY_ABOVE,
        statistics.Band.SLIGHTLY_BELOW,
    )
    assert betaby.wording.text == "slightly better than the median of Alpha and Beta"
    assert (betaby.rank, alphaton.rank, betaby.group_size) == (1, 2, 2)
    # The councils outside it are compared among themselves, never mixed in.
    assert compared["Gammashire"].group == "the median of the councils outside it"
    assert compared["Gammashire"].median == pytest.approx(7.3)


def test_the_indicator_page_compares_within_a_chosen_custom_group(
    councils: dict[str, Organisation],
) -> None:
    group = _group(councils)
    url = reverse("performance:indicator_detail", args=["oflog-asc1"])
    page = (
        Client()
        .get(url, {"group": f"custom:{group.slug}", "organisation": "betaby", "period": "2018-19"})
        .content.decode()
    )
    assert f'value="custom:{group.slug}" selected' in page
    assert "Alpha and Beta (custom group)" in page
    assert "Alpha and Beta, 2018-19" in page
    assert "Slightly better than the median of Alpha and Beta (7.8)" in page
    table = page[page.index('id="group-table"') :]
    assert "Betaby" in table and "Alphaton" in table and "Gammashire" not in table
    outside = Client().get(
        url, {"group": f"custom:{group.slug}", "organisation": "gammashire", "period": "2018-19"}
    )
    assert "Gammashire is not in Alpha and Beta" in outside.content.decode()


def test_a_private_group_is_seen_only_by_its_owners_members_on_every_channel(
    councils: dict[str, Organisation],
) -> None:
    group = _group(councils, visibility=GroupVisibility.ORGANISATION)
    owner = _member_of(councils["E06000001"], "owner@example.org")
    other = _member_of(councils["E06000002"], "other@example.org")
    page_url = reverse("performance:indicator_detail", args=["oflog-asc1"])
    choice = {"group": f"custom:{group.slug}", "period": "2018-19"}
    for person, sees in ((owner, True), (other, False), (None, False)):
        client = _client(person)
        indicator_page = client.get(page_url, choice).content.decode()
        assert ("Alpha and Beta, 2018-19" in indicator_page) is sees
        assert ("England, 2018-19" in indicator_page) is not sees  # the nation instead
        detail = client.get(reverse("performance:group_detail", args=[group.slug]))
        assert detail.status_code == (200 if sees else 404)
        listed = client.get(reverse("performance:group_list")).content.decode()
        assert ("Alpha and Beta" in listed) is sees
        api = client.get(reverse("api_comparison_group_detail", args=[group.slug]))
        assert api.status_code == (200 if sees else 404)
        api_list = client.get(reverse("api_comparison_group_list")).json()
        assert [g["slug"] for g in api_list["results"]] == ([group.slug] if sees else [])
    body = _client(owner).get(reverse("api_comparison_group_detail", args=[group.slug])).json()
    assert [c["name"] for c in body["councils"]] == ["Alphaton Council", "Betaby Council"]
    assert (body["visibility"], body["council_count"]) == ("organisation", 2)


def test_a_public_group_is_seen_by_everyone(councils: dict[str, Organisation]) -> None:
    group = _group(councils)
    assert Client().get(reverse("performance:group_detail", args=[group.slug])).status_code == 200
    body = Client().get(reverse("api_comparison_group_list")).json()
    assert [g["slug"] for g in body["results"]] == [group.slug]


def test_a_verified_member_defines_a_group_from_registry_codes(
    councils: dict[str, Organisation],
) -> None:
    owner = _member_of(councils["E06000001"], "owner@example.org")
    client = _client(owner)
    assert client.get(reverse("performance:group_create")).status_code == 200
    response = client.post(
        reverse("performance:group_create"),
        {
            "name": "Northern unitaries",
            "description": "Similar places.",
            "owner": councils["E06000001"].pk,
            "visibility": "organisation",
            "councils": "E06000001, e06000002\nE06000003",
        },
    )
    made = ComparisonGroup.objects.get(name="Northern unitaries")
    assert response.status_code == 302
    assert response["Location"] == reverse("performance:group_detail", args=[made.slug])
    assert made.owner_organisation == councils["E06000001"]
    assert made.visibility == "organisation"
    assert {c.short_name for c in made.councils.all()} == {"Alphaton", "Betaby", "Epsilon"}


def test_an_unknown_council_or_too_few_is_an_error_and_nothing_is_saved(
    councils: dict[str, Organisation],
) -> None:
    owner = _member_of(councils["E06000001"], "owner@example.org")
    client = _client(owner)
    form = {"name": "G", "owner": councils["E06000001"].pk, "visibility": "public"}
    response = client.post(
        reverse("performance:group_create"), {**form, "councils": "E06000001 NOPE1 E99999999"}
    )
    assert response.status_code == 200
    assert "NOPE1, E99999999: no council in the registry has this code" in response.content.decode()
    response = client.post(
        reverse("performance:group_create"), {**form, "councils": "E06000001 e06000001"}
    )
    assert "Give at least two different councils" in response.content.decode()
    assert not ComparisonGroup.objects.exists()


def test_only_a_verified_member_may_define_a_group_and_only_for_their_own_organisation(
    councils: dict[str, Organisation],
) -> None:
    plain = User.objects.create_user("plain@example.org")
    assert _client(plain).get(reverse("performance:group_create")).status_code == 403
    anonymous = Client().get(reverse("performance:group_create"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    owner = _member_of(councils["E06000001"], "owner@example.org")
    response = _client(owner).post(
        reverse("performance:group_create"),
        {
            "name": "Not mine",
            "owner": councils["E06000002"].pk,
            "visibility": "public",
            "councils": "E06000001 E06000002",
        },
    )
    assert response.status_code == 200  # the choice is not one of theirs: an error on the field
    assert not ComparisonGroup.objects.exists()


def test_a_group_called_new_does_not_hide_the_form() -> None:
    organisation = fixture_councils()["E06000001"]
    group = services.create_comparison_group(
        name="New",
        owner=organisation,
        councils=list(Organisation.objects.all()[:2]),
        created_by=None,
    )
    assert group.slug == "new-2"


def test_a_member_of_the_owning_organisation_edits_the_group_others_may_not(
    councils: dict[str, Organisation],
) -> None:
    group = _group(councils)
    owner = _member_of(councils["E06000001"], "owner@example.org")
    other = _member_of(councils["E06000002"], "other@example.org")
    url = reverse("performance:group_edit", args=[group.slug])
    assert _client(other).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to sign in
    client = _client(owner)
    form = client.get(url).content.decode()
    assert "Edit the comparison group" in form and "Alpha and Beta" in form
    detail = client.get(reverse("performance:group_detail", args=[group.slug])).content.decode()
    assert "Edit the group" in detail
    response = client.post(
        url,
        {
            "name": "Three unitaries",
            "owner": councils["E06000001"].pk,
            "visibility": "organisation",
            "councils": "E06000001 E06000002 E06000003",
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.visibility, group.councils.count()) == (
        "Three unitaries",
        "organisation",
        3,
    )
    # A bad code changes nothing.
    client.post(
        url,
        {
            "name": "X",
            "owner": councils["E06000001"].pk,
            "visibility": "public",
            "councils": "NOPE1 E06000001",
        },
    )
    group.refresh_from_db()
    assert group.name == "Three unitaries"
    # Once private, the other council's member cannot even find it.
    assert _client(other).get(url).status_code == 404


def test_a_member_of_the_owning_organisation_deletes_the_group_after_confirming(
    councils: dict[str, Organisation],
) -> None:
    group = _group(councils)
    owner = _member_of(councils["E06000001"], "owner@example.org")
    other = _member_of(councils["E06000002"], "other@example.org")
    url = reverse("performance:group_delete", args=[group.slug])
    assert Client().get(url).status_code == 302  # to sign in
    assert _client(other).get(url).status_code == 403
    assert _client(other).post(url).status_code == 403
    detail = reverse("performance:group_detail", args=[group.slug])
    assert "Delete the group" not in _client(other).get(detail).content.decode()
    client = _client(owner)
    assert "Delete the group" in client.get(detail).content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Are you sure you want to delete this comparison group?" in confirm.content.decode()
    assert ComparisonGroup.objects.filter(pk=group.pk).exists()  # nothing goes on a GET
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("performance:group_list")
    assert "The comparison group Alpha and Beta is deleted." in response.content.decode()
    assert not ComparisonGroup.objects.filter(pk=group.pk).exists()
    assert councils["E06000001"].pk in Organisation.objects.values_list("pk", flat=True)
    assert client.get(detail).status_code == 404


def test_a_private_group_cannot_be_found_to_delete_by_outsiders(
    councils: dict[str, Organisation],
) -> None:
    group = _group(councils, visibility=GroupVisibility.ORGANISATION)
    other = _member_of(councils["E06000002"], "other@example.org")
    url = reverse("performance:group_delete", args=[group.slug])
    assert _client(other).post(url).status_code == 404
    assert ComparisonGroup.objects.filter(pk=group.pk).exists()
