"""The pages that record spread: "we adopted this", links between cases, and removing either."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from kitbag.accounts.models import MembershipRole, User
from kitbag.accounts.tests.factories import MembershipFactory
from kitbag.accounts.tests.permission_world import ROLES, World, build_world
from kitbag.cases import services
from kitbag.cases.forms_spread import slug_from_address
from kitbag.cases.models import Adoption, Case, CaseRelation, RecordStatus
from kitbag.cases.tests.factories import CaseFactory, code
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def world(builtin_codes: None) -> World:
    return build_world()


def _case(world: World, **fields: object) -> Case:
    defaults: dict[str, object] = {
        "title": "Chatbot answers council tax questions",
        "lead_organisation": world.organisation,
    }
    case = CaseFactory.create(**{**defaults, **fields})
    services.reindex_case(case=case)
    return case


def _client(world: World, role: str) -> Client:
    client = Client()
    person = world.person(role)
    if person is not None:
        client.force_login(person)
    return client


def _adopt_form(**fields: str) -> dict[str, str]:
    return {
        "organisation": "othershire",
        "status": "piloting",
        "started_month": "3",
        "started_year": "2024",
        "cost": "£12,500",
        "annual_saving": "30,000.50",
        "notes": "We added Welsh.",
        **fields,
    }


def _is_sign_in_redirect(response: object) -> bool:
    return getattr(response, "status_code", 0) == 302 and "/account/login/" in str(
        getattr(response, "url", "")
    )


# Who may record "we adopted this", on the page, for a case led by Rightshire.
ADOPT_EXPECTED = {
    "anonymous": "sign in",
    "signed_in": "not a member",
    "member": "only the lead",
    "editor": "only the lead",
    "admin": "only the lead",
    "other_admin": "recorded",
    "moderator": "not a member",
    "staff": "not a member",
}


@pytest.mark.parametrize("role", ROLES)
def test_only_a_verified_member_of_another_organisation_may_record_an_adoption(
    world: World, role: str
) -> None:
    case = _case(world)
    url = reverse("cases:adoption_create", kwargs={"slug": case.slug})
    client = _client(world, role)
    response = client.post(url, _adopt_form())
    expected = ADOPT_EXPECTED[role]
    if expected == "sign in":
        assert _is_sign_in_redirect(response)
    elif expected == "recorded":
        assert response.status_code == 302
        assert response["Location"] == case.get_absolute_url()
    else:
        assert response.status_code == 403
        html = response.content.decode()
        if expected == "not a member":
            assert "Only verified members can record an adoption" in html
            assert reverse("account_email") in html
        else:
            assert "Your organisation leads this case" in html
    assert Adoption.objects.filter(case=case).exists() == (expected == "recorded")


def test_an_adoption_is_recorded_with_every_field_and_recording_again_updates_it(
    world: World,
) -> None:
    case = _case(world)
    client = _client(world, "other_admin")
    url = reverse("cases:adoption_create", kwargs={"slug": case.slug})

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # The only organisation is chosen already, so the form is just the few facts.
    assert 'type="hidden" name="organisation" value="othershire"' in html
    assert "Othershire Council" in html

    client.post(url, _adopt_form())
    adoption = Adoption.objects.get(case=case)
    assert adoption.adopter == world.other_organisation
    assert adoption.status.code == "piloting"
    assert adoption.started_on == dt.date(2024, 3, 1)
    assert adoption.cost == Decimal("12500")
    assert adoption.annual_saving == Decimal("30000.50")
    assert adoption.notes == "We added Welsh."
    assert adoption.recorded_by == world.person("other_admin")

    again = client.get(url).content.decode()
    assert "Update your adoption" in again
    assert 'value="12,500"' in again
    assert 'value="piloting" checked' in again

    client.post(url, _adopt_form(status="live", cost=""))
    adoption = Adoption.objects.get(case=case)
    assert adoption.status.code == "live"
    assert adoption.cost is None


def test_the_success_message_names_the_organisation_and_status_on_the_case_page(
    world: World,
) -> None:
    case = _case(world)
    client = _client(world, "other_admin")
    url = reverse("cases:adoption_create", kwargs={"slug": case.slug})
    response = client.post(url, _adopt_form(status="live"), follow=True)
    assert "Othershire Council is recorded as live" in response.content.decode()


def test_someone_in_several_organisations_chooses_which_one_adopted(world: World) -> None:
    case = _case(world)
    person = world.person("other_admin")
    third = OrganisationFactory.create(name="Thirdshire Council", slug="thirdshire")
    MembershipFactory.create(user=person, organisation=third, role=MembershipRole.MEMBER)
    client = _client(world, "other_admin")
    url = reverse("cases:adoption_create", kwargs={"slug": case.slug})
    html = client.get(url).content.decode()
    assert 'type="radio" value="othershire"' in html
    assert 'type="radio" value="thirdshire"' in html
    assert "checked" not in html.split('name="status"')[0].split('name="organisation"')[-1]

    response = client.post(url, _adopt_form(organisation=""))
    assert response.status_code == 400
    assert "Choose the organisation that adopted it" in response.content.decode()

    client.post(url, _adopt_form(organisation="thirdshire"))
    assert Adoption.objects.get(case=case).adopter == third


def test_an_organisation_the_person_does_not_belong_to_is_refused(world: World) -> None:
    case = _case(world)
    OrganisationFactory.create(name="Faraway Council", slug="faraway")
    client = _client(world, "other_admin")
    url = reverse("cases:adoption_create", kwargs={"slug": case.slug})
    response = client.post(url, _adopt_form(organisation="faraway"))
    assert response.status_code == 400
    assert "Choose one of your organisations" in response.content.decode()
    assert not Adoption.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": ""}, "Choose how far you have got"),
        ({"status": "adapted"}, "Choose how far you have got"),
        ({"cost": "lots"}, "Enter an amount in pounds, like 12,500"),
        ({"cost": "-5"}, "Enter an amount of £0 or more"),
        ({"annual_saving": "1.234"}, "Enter an amount in pounds and pence"),
        ({"started_month": "13"}, "The month must be a number from 1 to 12"),
        ({"started_year": ""}, "The date must include a year"),
        ({"started_month": ""}, "The date must include a month"),
        ({"started_year": "24"}, "The year must include 4 numbers"),
        ({"notes": "x" * 2001}, "Notes must be 2000 characters or fewer"),
    ],
)
def test_wrong_answers_are_explained_and_everything_typed_is_kept(
    world: World, fields: dict[str, str], message: str
) -> None:
    case = _case(world)
    client = _client(world, "other_admin")
    url = reverse("cases:adoption_create", kwargs={"slug": case.slug})
    response = client.post(url, _adopt_form(**fields))
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert message in html
    assert re.search(r"<title>Error: ", html)
    for name, value in _adopt_form(**fields).items():
        if name not in fields and name not in {"organisation", "status"}:
            assert value in html
    assert not Adoption.objects.exists()


def test_the_error_summary_links_lead_to_the_fields(world: World) -> None:
    case = _case(world)
    client = _client(world, "other_admin")
    url = reverse("cases:adoption_create", kwargs={"slug": case.slug})
    html = client.post(url, _adopt_form(status="", cost="lots", started_month="13")).content
    text = html.decode()
    for target in ("id_status", "id_cost", "id_started_month"):
        assert f'href="#{target}"' in text
        assert f'id="{target}"' in text


@pytest.mark.parametrize(
    "status", [RecordStatus.DRAFT, RecordStatus.IN_REVIEW], ids=["draft", "in-review"]
)
def test_nobody_adopts_a_case_that_is_not_public(world: World, status: str) -> None:
    case = _case(world, status=status)
    for role in ("other_admin", "member", "staff"):
        url = reverse("cases:adoption_create", kwargs={"slug": case.slug})
        assert _client(world, role).post(url, _adopt_form()).status_code == 404
    assert not Adoption.objects.exists()


def _adoption(world: World, case: Case) -> Adoption:
    by = world.person("other_admin")
    assert by is not None
    return services.record_adoption(
        case=case,
        adopter=world.other_organisation,
        status=code("adoption-status", "live"),
        by=by,
    )


# Who may remove Othershire's adoption (recorded by its admin).
ADOPTION_DELETERS = {"other_admin", "moderator", "staff"}


@pytest.mark.parametrize("role", ROLES)
def test_an_adoption_is_removed_only_by_its_organisation_moderators_and_staff(
    world: World, role: str
) -> None:
    case = _case(world)
    adoption = _adoption(world, case)
    url = reverse("cases:adoption_delete", kwargs={"slug": case.slug, "pk": adoption.pk})
    client = _client(world, role)
    page = client.get(url)
    response = client.post(url)
    if role == "anonymous":
        assert _is_sign_in_redirect(page) and _is_sign_in_redirect(response)
    elif role in ADOPTION_DELETERS:
        assert page.status_code == 200
        assert "Are you sure you want to remove the adoption by Othershire Council?" in (
            page.content.decode()
        )
        assert response.status_code == 302
    else:
        assert page.status_code == 403
        assert response.status_code == 403
    assert Adoption.objects.filter(pk=adoption.pk).exists() == (role not in ADOPTION_DELETERS)


def test_an_adoption_is_not_found_under_another_cases_address(world: World) -> None:
    case = _case(world)
    other = _case(world, title="Another case")
    adoption = _adoption(world, case)
    url = reverse("cases:adoption_delete", kwargs={"slug": other.slug, "pk": adoption.pk})
    assert _client(world, "staff").post(url).status_code == 404
    assert Adoption.objects.filter(pk=adoption.pk).exists()


def _relate_form(to: Case, **fields: str) -> dict[str, str]:
    return {
        "other_case": f"https://kitbag.example/cases/{to.slug}/",
        "relation": "adapted",
        "changes_made": "Translated into Welsh.",
        "happened_month": "9",
        "happened_year": "2023",
        **fields,
    }


# Who may link Rightshire's case to another public case: whoever may edit Rightshire's case.
RELATORS = {"member", "editor", "admin", "moderator", "staff"}


@pytest.mark.parametrize("role", ROLES)
def test_only_people_who_may_edit_a_case_link_it_to_another(world: World, role: str) -> None:
    case = _case(world)
    other = _case(world, title="Text reminders", lead_organisation=world.other_organisation)
    url = reverse("cases:relation_create", kwargs={"slug": case.slug})
    client = _client(world, role)
    response = client.post(url, _relate_form(other))
    if role == "anonymous":
        assert _is_sign_in_redirect(response)
    elif role in RELATORS:
        assert response.status_code == 302, response.content.decode()
        relation = CaseRelation.objects.get()
        assert (relation.from_case, relation.to_case) == (case, other)
        assert relation.relation.code == "adapted"
        assert relation.changes_made == "Translated into Welsh."
        assert relation.happened_on == dt.date(2023, 9, 1)
    else:
        assert response.status_code == 403
    assert CaseRelation.objects.exists() == (role in RELATORS)


def test_the_other_case_is_found_by_search_without_javascript(world: World) -> None:
    case = _case(world)
    other = _case(
        world,
        title="Text reminders cut missed bin collections",
        lead_organisation=world.other_organisation,
    )
    _case(world, title="A draft about bins", status=RecordStatus.DRAFT)
    client = _client(world, "member")
    url = reverse("cases:relation_create", kwargs={"slug": case.slug})
    html = client.get(url, {"q": "bins"}).content.decode()
    assert "Text reminders cut missed bin collections" in html
    assert "A draft about bins" not in html
    assert f"other={other.slug}" in html

    chosen = client.get(url, {"q": "bins", "other": other.slug}).content.decode()
    assert f'value="{other.slug}"' in chosen
    assert "You chose “Text reminders cut missed bin collections”" in chosen

    client.post(url, _relate_form(other, other_case=other.slug))
    assert CaseRelation.objects.get().to_case == other


def test_a_search_that_finds_nothing_says_so(world: World) -> None:
    case = _case(world)
    client = _client(world, "member")
    url = reverse("cases:relation_create", kwargs={"slug": case.slug})
    html = client.get(url, {"q": "zeppelin"}).content.decode()
    assert "No published case matches “zeppelin”" in html


@pytest.mark.parametrize(
    ("other_case", "message"),
    [
        ("", "Enter the address of the other case, or search for it"),
        ("https://kitbag.example/organisations/", "Enter the address of a case on Kitbag"),
        ("no-such-case", "There is no case you can see at that address"),
    ],
)
def test_a_wrong_address_for_the_other_case_is_explained(
    world: World, other_case: str, message: str
) -> None:
    case = _case(world)
    other = _case(world, title="Other")
    client = _client(world, "member")
    url = reverse("cases:relation_create", kwargs={"slug": case.slug})
    response = client.post(url, _relate_form(other, other_case=other_case))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'href="#id_other_case"' in html
    assert "Translated into Welsh." in html


def test_a_case_cannot_be_linked_to_itself(world: World) -> None:
    case = _case(world)
    client = _client(world, "member")
    url = reverse("cases:relation_create", kwargs={"slug": case.slug})
    response = client.post(url, _relate_form(case))
    assert response.status_code == 400
    assert "Enter the address of a different case" in response.content.decode()


def test_someone_elses_draft_cannot_be_the_other_case(world: World) -> None:
    case = _case(world)
    draft = _case(world, title="Secret draft", lead_organisation=world.other_organisation)
    draft.status = RecordStatus.DRAFT
    draft.save()
    client = _client(world, "member")
    url = reverse("cases:relation_create", kwargs={"slug": case.slug})
    response = client.post(url, _relate_form(draft))
    assert response.status_code == 400
    assert "There is no case you can see at that address" in response.content.decode()
    assert not CaseRelation.objects.exists()


def test_the_kind_of_relation_must_be_one_of_the_list(world: World) -> None:
    case = _case(world)
    other = _case(world, title="Other")
    client = _client(world, "member")
    url = reverse("cases:relation_create", kwargs={"slug": case.slug})
    response = client.post(url, _relate_form(other, relation="live"))
    assert response.status_code == 400
    assert "Choose how this case relates to the other one" in response.content.decode()


def _relation(world: World, case: Case, other: Case) -> CaseRelation:
    by = world.person("member")
    assert by is not None
    return services.relate_cases(
        from_case=case, to_case=other, relation=code("spread-relation", "adapted"), by=by
    )


# Who may remove a link from Rightshire's case to Othershire's, recorded by Rightshire's member.
RELATION_DELETERS = {"member", "editor", "admin", "other_admin", "moderator", "staff"}


@pytest.mark.parametrize("role", ROLES)
def test_a_link_is_removed_by_its_recorder_or_anyone_who_may_edit_either_case(
    world: World, role: str
) -> None:
    case = _case(world)
    other = _case(world, title="Text reminders", lead_organisation=world.other_organisation)
    relation = _relation(world, case, other)
    # Offered from either end: the other case's people come to it from their own page.
    slug = other.slug if role == "other_admin" else case.slug
    url = reverse("cases:relation_delete", kwargs={"slug": slug, "pk": relation.pk})
    client = _client(world, role)
    page = client.get(url)
    response = client.post(url)
    if role == "anonymous":
        assert _is_sign_in_redirect(page) and _is_sign_in_redirect(response)
    elif role in RELATION_DELETERS:
        assert page.status_code == 200
        assert "Are you sure you want to remove this link?" in page.content.decode()
        assert response.status_code == 302
    else:
        assert page.status_code == 403
        assert response.status_code == 403
    assert CaseRelation.objects.filter(pk=relation.pk).exists() == (role not in RELATION_DELETERS)


def test_removing_a_link_to_a_draft_never_shows_the_drafts_title(world: World) -> None:
    case = _case(world)
    draft = _case(world, title="Secret draft", lead_organisation=world.other_organisation)
    relation = _relation(world, case, draft)
    draft.status = RecordStatus.DRAFT
    draft.save()
    client = _client(world, "member")
    url = reverse("cases:relation_delete", kwargs={"slug": case.slug, "pk": relation.pk})
    assert "Secret draft" not in client.get(url).content.decode()
    assert "Secret draft" not in client.post(url, follow=True).content.decode()


def test_spread_writes_on_the_pages_are_rate_limited(world: World) -> None:
    case = _case(world)
    client = _client(world, "other_admin")
    url = reverse("cases:adoption_create", kwargs={"slug": case.slug})
    statuses = [client.post(url, _adopt_form()).status_code for _ in range(61)]
    assert statuses[:60] == [302] * 60
    assert statuses[60] == 429


def test_every_spread_page_has_a_title_one_heading_and_breadcrumbs(world: World) -> None:
    case = _case(world)
    other = _case(world, title="Other", lead_organisation=world.other_organisation)
    adoption = _adoption(world, case)
    relation = _relation(world, case, other)
    staff = _client(world, "staff")
    other_admin = _client(world, "other_admin")
    pages = [
        (other_admin, reverse("cases:adoption_create", kwargs={"slug": case.slug})),
        (_client(world, "signed_in"), reverse("cases:adoption_create", kwargs={"slug": case.slug})),
        (_client(world, "member"), reverse("cases:adoption_create", kwargs={"slug": case.slug})),
        (
            staff,
            reverse("cases:adoption_delete", kwargs={"slug": case.slug, "pk": adoption.pk}),
        ),
        (staff, reverse("cases:relation_create", kwargs={"slug": case.slug})),
        (
            staff,
            reverse("cases:relation_delete", kwargs={"slug": case.slug, "pk": relation.pk}),
        ),
    ]
    for client, url in pages:
        html = client.get(url).content.decode()
        assert re.search(r"<title>[^<]+ – Kitbag</title>", html), url
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        assert 'class="govuk-breadcrumbs"' in html, url
        assert case.get_absolute_url() in html, url


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("chatbot-for-council-tax", "chatbot-for-council-tax"),
        ("https://kitbag.example/cases/chatbot-for-council-tax/", "chatbot-for-council-tax"),
        ("https://kitbag.example/cases/chatbot/history/?x=1#top", "chatbot"),
        ("/cases/chatbot/", "chatbot"),
        ("  chatbot  ", "chatbot"),
        ("https://kitbag.example/organisations/camden", None),
        ("two words", None),
    ],
)
def test_a_case_is_recognised_by_its_address_or_its_slug(text: str, slug: str | None) -> None:
    assert slug_from_address(text) == slug


def test_a_deactivated_account_cannot_record_an_adoption(world: World) -> None:
    case = _case(world)
    person = world.person("other_admin")
    assert isinstance(person, User)
    client = _client(world, "other_admin")
    person.is_active = False
    person.save()
    response = client.post(
        reverse("cases:adoption_create", kwargs={"slug": case.slug}), _adopt_form()
    )
    assert response.status_code in {302, 403}
    assert not Adoption.objects.exists()
