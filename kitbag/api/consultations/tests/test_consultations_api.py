from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kitbag.accounts.models import User
from kitbag.accounts.services.tokens import create_token
from kitbag.consultations.models import Comment
from kitbag.consultations.tests.world import consultation, member, paragraph_key, person
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def with_token(user: User) -> Client:
    _token, raw = create_token(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_list_and_detail_show_public_consultations_with_their_document() -> None:
    made = consultation(OrganisationFactory.create(code="DEV"))
    listed = Client().get(reverse("api_consultation_list")).json()
    assert listed["count"] == 1 and listed["results"][0]["slug"] == made.slug
    detail = Client().get(reverse("api_consultation_detail", args=[made.slug])).json()
    assert detail["organisation"] == "DEV" and detail["version"] == 1
    assert [p["number"] for p in detail["paragraphs"]] == [1, 2, 3, 4, 5]
    assert detail["statistics"]["comments"] == 0
    assert Client().get(reverse("api_consultation_list") + "?status=draft").status_code == 400


@pytest.mark.parametrize("year", ["null", "", "2024.5", "-1"])
def test_a_year_that_is_not_a_whole_number_is_a_400_naming_it(year: str) -> None:
    # Found by the schema's negative fuzzing: `year=null` used to be a 200 with nothing in it.
    answer = Client().get(reverse("api_consultation_list"), {"year": year})
    assert answer.status_code == 400
    assert "year" in answer.json()


def test_a_year_filters_the_list() -> None:
    consultation(OrganisationFactory.create(code="DEV"))
    this_year = str(timezone.now().year)
    assert Client().get(reverse("api_consultation_list"), {"year": this_year}).json()["count"] == 1
    assert Client().get(reverse("api_consultation_list"), {"year": "1999"}).json()["count"] == 0


@pytest.mark.parametrize("page", ["2", "1000001", "9" * 30])
def test_a_page_past_the_last_is_not_found_however_large(page: str) -> None:
    # A 30-digit page once asked the database for an offset it cannot take (a 500).
    consultation(OrganisationFactory.create(code="DEV"))
    response = Client().get(reverse("api_consultation_list"), {"page": page})
    assert response.status_code == 404


def test_comments_and_official_responses_are_written_with_tokens() -> None:
    council = OrganisationFactory.create()
    made = consultation(council)
    url = reverse("api_consultation_comments", args=[made.slug])
    resident = person("api@example.org", name=None)
    refused = with_token(resident).post(
        url,
        json.dumps({"paragraph": paragraph_key(made, 2), "text": "Hello"}),
        content_type="application/json",
    )
    assert refused.status_code == 400  # no display name yet: no consent
    created = with_token(resident).post(
        url,
        json.dumps(
            {
                "paragraph": paragraph_key(made, 2),
                "text": "Hello",
                "display_name": "Api Person",
                "quote": {"exact": "on Sundays"},
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["author"] == "Api Person" and body["quote"]["exact"] == "on Sundays"
    outsider = with_token(person("out@example.org"))
    forbidden = outsider.post(
        url,
        json.dumps({"parent": body["id"], "text": "As them", "official": True}),
        content_type="application/json",
    )
    assert forbidden.status_code == 403
    officer = with_token(member(council, "officer@example.org", role="member"))
    answered = officer.post(
        url,
        json.dumps({"parent": body["id"], "text": "Thanks", "official": True}),
        content_type="application/json",
    )
    assert answered.status_code == 201 and answered.json()["official"] is True
    listed = Client().get(url).json()
    assert [c["id"] for c in listed["results"]] == [body["id"], answered.json()["id"]]
    assert Client().post(url, {"text": "x"}).status_code in {401, 403}


def test_hidden_comments_are_not_listed() -> None:
    made = consultation(OrganisationFactory.create())
    Comment.objects.create(
        consultation=made,
        version=made.versions.get(),
        paragraph_key=paragraph_key(made, 2),
        display_name="X",
        text="secret",
        created_at=made.created_at,
        state="hidden",
    )
    listed = Client().get(reverse("api_consultation_comments", args=[made.slug])).json()
    assert listed["count"] == 0
