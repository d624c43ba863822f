"""The innovation library's API: public cases to read, spread to write with a token."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from kitbag.accounts.models import MembershipRole, User
from kitbag.accounts.services.tokens import create_token
from kitbag.accounts.tests.factories import MembershipFactory
from kitbag.accounts.tests.permission_world import ROLES, World, build_world
from kitbag.cases import services
from kitbag.cases.models import (
    Adoption,
    Asset,
    BenefitItem,
    Case,
    CaseIdentifier,
    CasePartner,
    CaseRelation,
    Contact,
    CostItem,
    Product,
    RecordStatus,
)
from kitbag.cases.queries import CaseSearch, search_cases
from kitbag.cases.tests.factories import CaseFactory, code
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.vocabularies.builtin import BUILTIN_LISTS
from kitbag.vocabularies.services import write_code_list

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    for builtin in BUILTIN_LISTS:
        write_code_list(wanted=builtin.list, codes=builtin.codes)
    return build_world()


def _case(world: World, **fields: Any) -> Case:
    defaults: dict[str, Any] = {
        "title": "Chatbot answers council tax questions",
        "lead_organisation": world.organisation,
    }
    case = CaseFactory.create(**{**defaults, **fields})
    services.reindex_case(case=case)
    return case


def _api(world: World, role: str) -> Client:
    """A client that sends the role's API token (none for the anonymous)."""
    person = world.person(role)
    if person is None:
        return Client()
    _token, raw = create_token(user=person, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _get(client: Client, path: str, **params: Any) -> Any:
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()


# --- Reading ---------------------------------------------------------------------------------


@pytest.fixture
def library(world: World) -> dict[str, Case]:
    """A public case, a draft and a case in review that share its words, and an archived one."""
    return {
        "public": _case(world, title="Chatbot answers council tax questions"),
        "draft": _case(world, title="Chatbot draft for council tax", status=RecordStatus.DRAFT),
        "review": _case(
            world, title="Chatbot in review for council tax", status=RecordStatus.IN_REVIEW
        ),
        "archived": _case(world, title="Old chatbot for council tax", status=RecordStatus.ARCHIVED),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("query", ["", "chatbot", "council tax"])
def test_drafts_never_appear_in_the_list_or_search_whoever_asks(
    world: World, library: dict[str, Case], role: str, query: str
) -> None:
    body = _get(_api(world, role), "/api/v1/cases", q=query)
    slugs = {row["slug"] for row in body["results"]}
    assert slugs == {library["public"].slug, library["archived"].slug}
    assert body["count"] == 2


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["draft", "review"])
@pytest.mark.parametrize("suffix", ["", "/similar", "/adoptions", "/relations"])
def test_a_case_that_is_not_public_is_not_found_through_any_endpoint_by_anyone(
    world: World, library: dict[str, Case], role: str, which: str, suffix: str
) -> None:
    response = _api(world, role).get(f"/api/v1/cases/{library[which].uuid}{suffix}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No public case has this id."}


def test_an_unknown_id_and_a_numeric_id_are_json_404s(world: World) -> None:
    case = _case(world)
    client = Client()
    assert client.get(f"/api/v1/cases/{uuid.uuid4()}").status_code == 404
    response = client.get(f"/api/v1/cases/{case.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == JSON


def test_the_adoptions_and_relations_of_a_draft_are_not_found_on_their_own_addresses(
    world: World,
) -> None:
    case = _case(world)
    other = _case(world, title="Other", lead_organisation=world.other_organisation)
    adoption = _adoption(world, case)
    relation = _relation(world, case, other)
    client = _api(world, "staff")
    assert client.get(f"/api/v1/adoptions/{adoption.pk}").status_code == 200
    assert client.get(f"/api/v1/relations/{relation.pk}").status_code == 200
    Case.objects.filter(pk=case.pk).update(status=RecordStatus.DRAFT)
    assert client.get(f"/api/v1/adoptions/{adoption.pk}").status_code == 404
    assert client.get(f"/api/v1/relations/{relation.pk}").status_code == 404
    assert client.delete(f"/api/v1/adoptions/{adoption.pk}").status_code == 404
    assert client.delete(f"/api/v1/relations/{relation.pk}").status_code == 404
    assert Adoption.objects.filter(pk=adoption.pk).exists()


def test_relations_to_a_draft_are_left_out_of_a_public_case(world: World) -> None:
    case = _case(world)
    public = _case(world, title="Public follower", lead_organisation=world.other_organisation)
    hidden = _case(world, title="Hidden follower", lead_organisation=world.other_organisation)
    _relation(world, case, public)
    _relation(world, hidden, case)
    Case.objects.filter(pk=hidden.pk).update(status=RecordStatus.DRAFT)
    client = _api(world, "staff")
    detail = _get(client, f"/api/v1/cases/{case.uuid}")
    assert [r["to_case"]["slug"] for r in detail["relations_out"]] == [public.slug]
    assert detail["relations_in"] == []
    listed = _get(client, f"/api/v1/cases/{case.uuid}/relations")
    assert [r["to_case"]["slug"] for r in listed["results"]] == [public.slug]
    assert "Hidden follower" not in str(detail) + str(listed)


def test_similar_cases_are_only_public_ones(world: World) -> None:
    case = _case(world, title="Chatbot answers council tax questions")
    _case(world, title="Chatbot answers council tax questions too", status=RecordStatus.DRAFT)
    body = _get(Client(), f"/api/v1/cases/{case.uuid}/similar")
    assert set(body) == {"count", "next", "previous", "results"}
    assert all(row["slug"] != case.slug for row in body["results"])
    assert "too" not in str(body)


@pytest.fixture
def full_case(world: World) -> Case:
    """A public case with one of everything the record can hold."""
    case = _case(
        world,
        title="Text reminders cut missed bin collections",
        summary="Residents get a text the night before.",
        problem="Missed collections cost money.",
        what_was_done="We sent texts.",
        what_did_not_work="Emails.",
        phase=code("govuk-phase", "live"),
        outcome=code("outcome-label", "worked"),
        evidence_level=code("nesta-evidence", "3"),
        evidence_url="https://example.org/evaluation",
        source="ipsx",
        source_url="https://example.org/ipsx/4242",
        provenance={"imported_from": "ipsx.csv", "row": 12},
        team_size_fte=Decimal("2.5"),
    )
    CaseIdentifier.objects.create(case=case, scheme="ipsx", value="4242")
    CasePartner.objects.create(case=case, organisation=world.other_organisation, role="funder")
    CasePartner.objects.create(case=case, organisation_name="Bins Ltd", role="supplier")
    CostItem.objects.create(case=case, description="Texts", amount=Decimal("1200.50"))
    BenefitItem.objects.create(
        case=case, description="Fewer missed bins", amount=Decimal("30000"), cashable=True
    )
    Asset.objects.create(case=case, kind="code", title="Code", url="https://example.org/code")
    Product.objects.create(case=case, name="Notify", is_open_source=True)
    Contact.objects.create(case=case, name="Pat Public", is_public=True, offers=["talk"])
    Contact.objects.create(case=case, name="Sam Private", email="sam@example.org")
    return case


def test_the_full_record_has_codes_sections_identifiers_parts_and_provenance(
    world: World, full_case: Case
) -> None:
    other = _case(world, title="Bins elsewhere", lead_organisation=world.other_organisation)
    _relation(world, other, full_case)
    _adoption(world, full_case)
    body = _get(Client(), f"/api/v1/cases/{full_case.uuid}")
    assert body["id"] == str(full_case.uuid)
    assert body["status"] == "published"
    assert body["phase"] == {"code": "live", "label": "Live"}
    assert body["outcome"]["code"] == "worked"
    assert body["evidence"]["level"]["code"] == "3"
    assert body["evidence"]["url"] == "https://example.org/evaluation"
    assert body["sections"]["problem"] == "Missed collections cost money."
    assert body["sections"]["what_we_tried"] == "We sent texts."
    assert body["sections"]["what_did_not_work"] == "Emails."
    assert {"scheme": "ipsx", "value": "4242"} in body["identifiers"]
    assert body["lead_organisation"]["slug"] == "rightshire"
    assert [(p["role"], p["name"]) for p in body["partners"]] == [
        ("funder", "Othershire Council"),
        ("supplier", "Bins Ltd"),
    ]
    assert body["partners"][1]["organisation"] is None
    assert body["costs"][0]["amount"] == "1200.50"
    assert body["benefits"][0]["cashable"] is True
    assert body["assets"][0]["url"] == "https://example.org/code"
    assert body["products"][0]["name"] == "Notify"
    assert body["team"]["size_fte"] == "2.5"
    assert body["provenance"]["source"] == "ipsx"
    assert body["provenance"]["details"] == {"imported_from": "ipsx.csv", "row": 12}
    assert body["adoptions"][0]["adopter"]["slug"] == "othershire"
    assert body["adoptions"][0]["status"] == {"code": "live", "label": "Live"}
    assert body["relations_in"][0]["from_case"]["slug"] == other.slug
    assert body["relations_in"][0]["relation"]["code"] == "adapted"
    assert body["relations_out"] == []
    assert body["links"]["similar"].endswith(f"/api/v1/cases/{full_case.uuid}/similar")
    assert body["links"]["html"] == f"http://testserver/cases/{full_case.slug}/"
    # Blanks are null where the schema promises a URL or one of a list.
    assert body["algorithmic_transparency_record_url"] is None
    assert body["novelty"] is None


def test_contacts_who_are_not_public_are_shown_only_to_signed_in_people(
    world: World, full_case: Case
) -> None:
    anonymous = _get(Client(), f"/api/v1/cases/{full_case.uuid}")
    assert [c["name"] for c in anonymous["contacts"]] == ["Pat Public"]
    assert anonymous["contacts"][0]["offers"] == [
        {"code": "talk", "label": "Open to a conversation"}
    ]
    assert "sam@example.org" not in str(anonymous)
    signed_in = _get(_api(world, "signed_in"), f"/api/v1/cases/{full_case.uuid}")
    assert [c["name"] for c in signed_in["contacts"]] == ["Pat Public", "Sam Private"]


def test_the_detail_takes_a_fixed_number_of_queries(
    world: World, full_case: Case, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        adopter = OrganisationFactory.create()
        Adoption.objects.create(
            case=full_case, adopter=adopter, status=code("adoption-status", "live")
        )
        related = _case(world, title=f"Follower {n}", lead_organisation=adopter)
        CaseRelation.objects.create(
            from_case=related, to_case=full_case, relation=code("spread-relation", "adapted")
        )
    client = Client()
    with django_assert_max_num_queries(25):
        client.get(f"/api/v1/cases/{full_case.uuid}")


def test_the_list_takes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        case = _case(world, title=f"Chatbot {n}", phase=code("govuk-phase", "beta"))
        case.services.set([])
    with django_assert_max_num_queries(20):
        Client().get("/api/v1/cases", {"q": "chatbot"})


# --- The list is the page ----------------------------------------------------------------------


@pytest.fixture
def many(world: World) -> list[Case]:
    phases = ["discovery", "alpha", "beta", "live"]
    cases = []
    for n in range(13):
        cases.append(
            _case(
                world,
                title=f"Chatbot number {n} for council tax"
                if n % 2
                else f"Council tax reminders {n}",
                summary="Residents ask a chatbot." if n % 3 else "Residents get reminders.",
                phase=code("govuk-phase", phases[n % 4]),
                lead_organisation=world.organisation if n % 2 else world.other_organisation,
            )
        )
    return cases


PAGE_PARAMETERS = [
    {},
    {"q": "chatbot"},
    {"q": "council tax", "sort": "newest"},
    {"phase": "beta"},
    {"phase": ["beta", "live"], "q": "council"},
    {"organisation": "othershire"},
    {"q": "residents", "page_size": "3", "page": "2"},
    {"nonsense": "ignored", "q": "chat"},
]


@pytest.mark.parametrize("params", PAGE_PARAMETERS)
def test_the_api_lists_the_same_cases_as_the_page_for_the_same_parameters(
    world: World, many: list[Case], params: dict[str, Any]
) -> None:
    body = _get(Client(), "/api/v1/cases", **params)
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    expected = search_cases(search_for=CaseSearch.from_params(query), viewer=None)
    assert [row["slug"] for row in body["results"]] == [h.case.slug for h in expected.hits]
    assert body["count"] == expected.total
    page = Client().get(reverse("cases:case_list"), params)
    assert page.status_code == 200
    html = page.content.decode()
    positions = [html.find(f'href="/cases/{row["slug"]}/"') for row in body["results"]]
    assert all(position >= 0 for position in positions), "the page shows every case the API does"
    assert positions == sorted(positions), "in the same order"


def test_search_results_carry_a_score_and_highlights(world: World, many: list[Case]) -> None:
    body = _get(Client(), "/api/v1/cases", q="chatbot")
    first = body["results"][0]
    assert first["score"] > 0
    assert "<mark>" in first["title_highlighted"]
    assert {"value": "beta", "label": "Beta", "count": 1} in body["facets"]["phase"] or any(
        value["value"] == "beta" for value in body["facets"]["phase"]
    )


def test_the_list_is_paginated_with_next_and_previous_links(world: World, many: list[Case]) -> None:
    first = _get(Client(), "/api/v1/cases", page_size="5", q="council")
    assert first["count"] == 13
    assert len(first["results"]) == 5
    assert first["previous"] is None
    assert "page=2" in first["next"] and "page_size=5" in first["next"]
    second = _get(Client(), first["next"])
    assert second["previous"] is not None and "page=" not in second["previous"]
    third = _get(Client(), second["next"])
    assert len(third["results"]) == 3
    assert third["next"] is None
    seen = [r["slug"] for body in (first, second, third) for r in body["results"]]
    assert len(set(seen)) == 13


@pytest.mark.parametrize(
    ("params", "status", "key"),
    [
        ({"page": "0"}, 400, "page"),
        ({"page": "two"}, 400, "page"),
        ({"page_size": "-1"}, 400, "page_size"),
        ({"page_size": ""}, 400, "page_size"),
        ({"sort": "oldest"}, 400, "sort"),
        ({"page": "99"}, 404, "detail"),
    ],
)
def test_wrong_paging_or_sorting_is_a_clear_error(
    world: World, many: list[Case], params: dict[str, str], status: int, key: str
) -> None:
    response = Client().get("/api/v1/cases", params)
    assert response.status_code == status
    assert key in response.json()


def test_a_page_size_above_the_maximum_gives_the_maximum(world: World, many: list[Case]) -> None:
    body = _get(Client(), "/api/v1/cases", page_size="1000")
    assert len(body["results"]) == 13
    assert body["next"] is None


# --- Writing: who may -------------------------------------------------------------------------


def _adoption(world: World, case: Case) -> Adoption:
    by = world.person("other_admin")
    assert by is not None
    return services.record_adoption(
        case=case, adopter=world.other_organisation, status=code("adoption-status", "live"), by=by
    )


def _relation(world: World, case: Case, other: Case) -> CaseRelation:
    by = world.person("staff")
    assert by is not None
    return services.relate_cases(
        from_case=case, to_case=other, relation=code("spread-relation", "adapted"), by=by
    )


# As on the page (kitbag/cases/tests/test_views_spread.py), for a case led by Rightshire.
ADOPT = {
    "anonymous": 401,
    "signed_in": 403,
    "member": 403,  # a member of the lead only: it cannot adopt its own case
    "editor": 403,
    "admin": 403,
    "other_admin": 201,
    "moderator": 403,
    "staff": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_recording_an_adoption_through_the_api_follows_the_page_rules(
    world: World, role: str
) -> None:
    case = _case(world)
    response = _api(world, role).post(
        f"/api/v1/cases/{case.uuid}/adoptions",
        {"status": "piloting", "cost": "12500.50", "started_on": "2024-03-01"},
        content_type=JSON,
    )
    assert response.status_code == ADOPT[role], response.content
    body = response.json()
    if response.status_code == 201:
        assert body["adopter"]["slug"] == "othershire"
        assert body["status"] == {"code": "piloting", "label": "Piloting"}
        assert body["cost"] == "12500.50"
        assert body["started_on"] == "2024-03-01"
        assert body["url"].endswith(f"/api/v1/adoptions/{body['id']}")
    else:
        assert body
    assert Adoption.objects.filter(case=case).exists() == (ADOPT[role] == 201)


def test_recording_again_updates_the_same_adoption(world: World) -> None:
    case = _case(world)
    client = _api(world, "other_admin")
    url = f"/api/v1/cases/{case.uuid}/adoptions"
    first = client.post(
        url, {"organisation": "othershire", "status": "piloting"}, content_type=JSON
    )
    again = client.post(url, {"organisation": "othershire", "status": "live"}, content_type=JSON)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Adoption.objects.get().status.code == "live"
    listed = _get(Client(), url)
    assert [row["status"]["code"] for row in listed["results"]] == ["live"]


def test_a_member_of_several_organisations_names_one(world: World) -> None:
    case = _case(world)
    person = world.person("other_admin")
    third = OrganisationFactory.create(name="Thirdshire Council", slug="thirdshire")
    MembershipFactory.create(user=person, organisation=third, role=MembershipRole.MEMBER)
    client = _api(world, "other_admin")
    url = f"/api/v1/cases/{case.uuid}/adoptions"
    response = client.post(url, {"status": "live"}, content_type=JSON)
    assert response.status_code == 400
    assert "several" in response.json()["organisation"][0]
    response = client.post(url, {"status": "live", "organisation": "thirdshire"}, content_type=JSON)
    assert response.status_code == 201
    assert Adoption.objects.get().adopter == third


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"status": "adapted"}, 400, "status"),
        ({}, 400, "status"),
        ({"status": "live", "cost": "-1"}, 400, "cost"),
        ({"status": "live", "cost": "lots"}, 400, "cost"),
        ({"status": "live", "started_on": "March"}, 400, "started_on"),
        ({"status": "live", "organisation": "nowhere"}, 400, "organisation"),
        ({"status": "live", "organisation": "rightshire"}, 400, "organisation"),
        ({"status": "live", "notes": "x" * 2001}, 400, "notes"),
        ({"status": "live", "organisation": "faraway"}, 403, "detail"),
    ],
)
def test_a_wrong_adoption_is_refused_with_a_field_error(
    world: World, body: dict[str, str], status: int, field: str
) -> None:
    OrganisationFactory.create(name="Faraway Council", slug="faraway")
    case = _case(world)
    response = _api(world, "other_admin").post(
        f"/api/v1/cases/{case.uuid}/adoptions", body, content_type=JSON
    )
    assert response.status_code == status
    assert field in response.json()
    assert not Adoption.objects.exists()


@pytest.mark.parametrize("role", ["admin", "other_admin"])
def test_the_services_refusal_of_the_lead_comes_back_under_the_field_the_client_sent(
    world: World, role: str
) -> None:
    case = _case(world)
    response = _api(world, role).post(
        f"/api/v1/cases/{case.uuid}/adoptions",
        {"status": "live", "organisation": "rightshire"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json() == {"organisation": ["The lead organisation cannot adopt its own case."]}


def test_relating_a_case_to_itself_is_refused_by_the_service_in_the_apis_words(
    world: World,
) -> None:
    case = _case(world)
    response = _api(world, "member").post(
        f"/api/v1/cases/{case.uuid}/relations",
        {"to_case": str(case.uuid), "relation": "adapted"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json() == {"to_case": ["A case cannot be related to itself."]}


def test_a_member_of_another_body_is_told_which_one_they_do_not_belong_to(world: World) -> None:
    OrganisationFactory.create(name="Faraway Council", slug="faraway")
    case = _case(world)
    response = _api(world, "other_admin").post(
        f"/api/v1/cases/{case.uuid}/adoptions",
        {"status": "live", "organisation": "faraway"},
        content_type=JSON,
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "You are not a verified member of Faraway Council."}


def test_a_signed_in_person_who_is_no_member_is_told_why(world: World) -> None:
    case = _case(world)
    response = _api(world, "signed_in").post(
        f"/api/v1/cases/{case.uuid}/adoptions", {"status": "live"}, content_type=JSON
    )
    assert response.status_code == 403
    assert "verified members" in response.json()["detail"]


ADOPTION_DELETE = {
    "anonymous": 401,
    "signed_in": 403,
    "member": 403,
    "editor": 403,
    "admin": 403,
    "other_admin": 204,
    "moderator": 204,
    "staff": 204,
}


@pytest.mark.parametrize("role", ROLES)
def test_removing_an_adoption_through_the_api_follows_the_page_rules(
    world: World, role: str
) -> None:
    adoption = _adoption(world, _case(world))
    response = _api(world, role).delete(f"/api/v1/adoptions/{adoption.pk}")
    assert response.status_code == ADOPTION_DELETE[role]
    assert Adoption.objects.filter(pk=adoption.pk).exists() == (ADOPTION_DELETE[role] != 204)


RELATE = {
    "anonymous": 401,
    "signed_in": 403,
    "member": 201,
    "editor": 201,
    "admin": 201,
    "other_admin": 403,
    "moderator": 201,
    "staff": 201,
}


@pytest.mark.parametrize("role", ROLES)
def test_relating_cases_through_the_api_follows_the_page_rules(world: World, role: str) -> None:
    case = _case(world)
    other = _case(world, title="Other", lead_organisation=world.other_organisation)
    response = _api(world, role).post(
        f"/api/v1/cases/{case.uuid}/relations",
        {"to_case": str(other.uuid), "relation": "adapted", "changes_made": "Welsh"},
        content_type=JSON,
    )
    assert response.status_code == RELATE[role], response.content
    if response.status_code == 201:
        body = response.json()
        assert body["from_case"]["id"] == str(case.uuid)
        assert body["to_case"]["id"] == str(other.uuid)
        assert body["relation"]["code"] == "adapted"
        assert body["changes_made"] == "Welsh"
    assert CaseRelation.objects.exists() == (RELATE[role] == 201)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"relation": "adapted"}, "to_case"),
        ({"to_case": "not-a-uuid", "relation": "adapted"}, "to_case"),
        ({"to_case": "OTHER", "relation": "live"}, "relation"),
        ({"to_case": "DRAFT", "relation": "adapted"}, "to_case"),
        ({"to_case": "SELF", "relation": "adapted"}, "to_case"),
        ({"to_case": str(uuid.UUID(int=1)), "relation": "adapted"}, "to_case"),
    ],
)
def test_a_wrong_relation_is_refused_with_a_field_error(
    world: World, body: dict[str, str], field: str
) -> None:
    case = _case(world)
    other = _case(world, title="Other", lead_organisation=world.other_organisation)
    draft = _case(world, title="Draft", status=RecordStatus.DRAFT)
    names = {"OTHER": other, "DRAFT": draft, "SELF": case}
    if body.get("to_case") in names:
        body = {**body, "to_case": str(names[body["to_case"]].uuid)}
    response = _api(world, "member").post(
        f"/api/v1/cases/{case.uuid}/relations", body, content_type=JSON
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not CaseRelation.objects.exists()


TEN_MEGABYTES = 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("path", "body", "field", "message"),
    [
        (
            "adoptions",
            {"status": "live", "notes": "Ask\x00 Jo"},
            "notes",
            "Notes must not contain control characters: remove the U+0000 at character 4",
        ),
        (
            "adoptions",
            {"status": "live", "notes": "Ask \x1b[31mJo"},
            "notes",
            "Notes must not contain control characters: remove the U+001B at character 5",
        ),
        (
            "adoptions",
            {"status": "live", "notes": "x" * 100_000},
            "notes",
            "Ensure this field has no more than 2000 characters.",
        ),
        (
            "relations",
            {"to_case": "OTHER", "relation": "adapted", "changes_made": "In\x00 Welsh"},
            "changes_made",
            "Changes made must not contain control characters: remove the U+0000 at character 3",
        ),
        (
            "relations",
            {"to_case": "OTHER", "relation": "adapted", "changes_made": "x" * 100_000},
            "changes_made",
            "Ensure this field has no more than 4000 characters.",
        ),
    ],
    ids=["nul", "control-character", "too-long", "relation-nul", "relation-too-long"],
)
def test_text_no_field_can_store_is_a_400_naming_the_field(
    world: World, path: str, body: dict[str, str], field: str, message: str
) -> None:
    case = _case(world)
    other = _case(world, title="Other", lead_organisation=world.other_organisation)
    if body.get("to_case") == "OTHER":
        body = {**body, "to_case": str(other.uuid)}
    role = "other_admin" if path == "adoptions" else "member"

    response = _api(world, role).post(f"/api/v1/cases/{case.uuid}/{path}", body, content_type=JSON)

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert not Adoption.objects.exists()
    assert not CaseRelation.objects.exists()


def test_a_body_of_ten_megabytes_is_refused_before_any_field_is_read(world: World) -> None:
    # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) with its own 400, before
    # the serializer sees it: nothing that large is read into memory to name a field.
    case = _case(world)
    client = _api(world, "other_admin")
    client.raise_request_exception = False

    response = client.post(
        f"/api/v1/cases/{case.uuid}/adoptions",
        {"status": "live", "notes": "x" * TEN_MEGABYTES},
        content_type=JSON,
    )

    assert response.status_code == 400
    assert not Adoption.objects.exists()


def test_notes_may_run_over_several_lines(world: World) -> None:
    case = _case(world)
    response = _api(world, "other_admin").post(
        f"/api/v1/cases/{case.uuid}/adoptions",
        {"status": "live", "notes": "We changed the wording.\r\n\r\nAsk Jo.\tThanks"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    assert Adoption.objects.get().notes == "We changed the wording.\r\n\r\nAsk Jo.\tThanks"


RELATION_DELETE = {
    "anonymous": 401,
    "signed_in": 403,
    "member": 204,
    "editor": 204,
    "admin": 204,
    "other_admin": 204,
    "moderator": 204,
    "staff": 204,
}


@pytest.mark.parametrize("role", ROLES)
def test_removing_a_relation_through_the_api_follows_the_page_rules(
    world: World, role: str
) -> None:
    case = _case(world)
    other = _case(world, title="Other", lead_organisation=world.other_organisation)
    relation = _relation(world, case, other)
    response = _api(world, role).delete(f"/api/v1/relations/{relation.pk}")
    assert response.status_code == RELATION_DELETE[role]
    assert CaseRelation.objects.filter(pk=relation.pk).exists() == (RELATION_DELETE[role] != 204)


def test_the_services_refusals_reach_a_client_with_their_reasons(world: World) -> None:
    case = _case(world)
    other = _case(world, title="Other", lead_organisation=world.other_organisation)
    relation = _relation(world, case, other)
    adoption = _adoption(world, case)
    client = _api(world, "signed_in")
    relate = client.post(
        f"/api/v1/cases/{case.uuid}/relations",
        {"to_case": str(other.uuid), "relation": "adapted"},
        content_type=JSON,
    )
    assert (relate.status_code, relate.json()) == (
        403,
        {"detail": "Only people who may edit this case may relate it to another."},
    )
    unrelate = client.delete(f"/api/v1/relations/{relation.pk}")
    assert unrelate.status_code == 403
    assert unrelate.json()["detail"].startswith("Only whoever recorded it, people who may edit")
    unadopt = client.delete(f"/api/v1/adoptions/{adoption.pk}")
    assert unadopt.status_code == 403
    assert unadopt.json()["detail"].startswith("Only whoever recorded it, members of the adopting")


def test_a_write_without_a_token_says_how_to_send_one(world: World) -> None:
    case = _case(world)
    response = Client().post(
        f"/api/v1/cases/{case.uuid}/adoptions", {"status": "live"}, content_type=JSON
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()


def test_a_browser_session_without_its_csrf_token_cannot_write(world: World) -> None:
    case = _case(world)
    client = Client(enforce_csrf_checks=True)
    person = world.person("other_admin")
    assert isinstance(person, User)
    client.force_login(person)
    response = client.post(
        f"/api/v1/cases/{case.uuid}/adoptions", {"status": "live"}, content_type=JSON
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_unsupported_methods_are_405_for_everyone(world: World) -> None:
    case = _case(world)
    for client in (Client(), _api(world, "staff")):
        assert client.put(f"/api/v1/cases/{case.uuid}").status_code == 405
        assert client.delete(f"/api/v1/cases/{case.uuid}/adoptions").status_code == 405


def test_spread_writes_share_one_rate_limit_with_the_pages(world: World) -> None:
    case = _case(world)
    client = _api(world, "other_admin")
    url = f"/api/v1/cases/{case.uuid}/adoptions"
    statuses = [
        client.post(url, {"status": "live"}, content_type=JSON).status_code for _ in range(60)
    ]
    assert set(statuses) == {200, 201}
    throttled = client.post(url, {"status": "live"}, content_type=JSON)
    assert throttled.status_code == 429
    assert "too many changes" in throttled.json()["detail"]
    assert int(throttled["Retry-After"]) > 0
    # Reads are never counted.
    assert Client().get(url).status_code == 200
    # The page counts the same writes by the same person.
    page = Client()
    person = world.person("other_admin")
    assert person is not None
    page.force_login(person)
    response = page.post(
        reverse("cases:adoption_create", kwargs={"slug": case.slug}),
        {"organisation": "othershire", "status": "live"},
    )
    assert response.status_code == 429


def test_the_api_docs_page_lists_the_case_endpoints(client: Client) -> None:
    html = client.get("/api/docs").content.decode()
    for path in [
        "/api/v1/cases",
        "/api/v1/cases/{id}",
        "/api/v1/cases/{id}/similar",
        "/api/v1/cases/{id}/adoptions",
        "/api/v1/relations/{id}",
    ]:
        assert f'<code class="kitbag-code">{path}</code>' in html
    assert re.search(r"curl -X POST .*&quot;status&quot;: &quot;piloting&quot;", html)
    assert "curl -X DELETE -H &#x27;Authorization: Bearer $KITBAG_TOKEN&#x27; &#x27;" in html
