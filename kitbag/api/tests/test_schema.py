"""The OpenAPI schema, the docs page built from it, and the API checked against its own schema."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CheckFunction, positive_data_acceptance

from kitbag.registry import resolver
from kitbag.registry.models import (
    IdentifierScheme,
    Organisation,
    ParentLink,
    ParentRelation,
    Succession,
)
from kitbag.registry.tests.factories import (
    IdentifierFactory,
    OrganisationFactory,
    OrganisationNameFactory,
)

SCHEMA_URL = "/api/v1/openapi.json"
SNAPSHOT = Path(__file__).with_name("openapi_snapshot.json")
UPDATE = "KITBAG_UPDATE_OPENAPI_SNAPSHOT"


def test_the_schema_is_openapi_3_json_with_every_endpoint(client: Client) -> None:
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/organisations",
        "/api/v1/organisations/{slug}",
        "/api/v1/events",
        "/api/v1/events/{slug}",
        "/api/v1/organisations/resolve",
        "/api/v1/me",
        "/api/v1/me/profile",
        "/api/v1/profiles",
        "/api/v1/profiles/{id}",
        "/api/v1/moderation-log",
        "/api/v1/cases",
        "/api/v1/cases/{id}",
        "/api/v1/cases/{id}/similar",
        "/api/v1/cases/{id}/adoptions",
        "/api/v1/cases/{id}/relations",
        "/api/v1/adoptions/{id}",
        "/api/v1/relations/{id}",
        "/api/v1/meetings",
        "/api/v1/openness/rules",
        "/api/v1/openness/councils",
        "/api/v1/openness/councils/{code}",
        "/api/v1/openness/reports",
        "/api/v1/consultations",
        "/api/v1/consultations/{slug}",
        "/api/v1/consultations/{slug}/comments",
        "/api/v1/consultations/{slug}/export.json",
        "/api/v1/indicators",
        "/api/v1/indicators/{slug}/observations",
        "/api/v1/partnerships",
        "/api/v1/partnerships/{slug}",
        "/api/v1/partnerships/{slug}/observations",
        "/api/v1/partnerships/{slug}/targets",
        "/api/v1/comparison-groups",
        "/api/v1/comparison-groups/{slug}",
        "/api/v1/projects",
        "/api/v1/projects/{slug}",
        "/api/v1/conversations",
        "/api/v1/conversations/{slug}",
        "/api/v1/conversations/{slug}/statements",
        "/api/v1/conversations/{slug}/votes",
        "/api/v1/conversations/{slug}/analysis",
        "/api/v1/resources",
        "/api/v1/resources/{id}",
        "/api/v1/search",
        "/api/v1/people",
        "/api/v1/people/{id}",
    }
    parameters = {p["name"] for p in schema["paths"]["/api/v1/organisations"]["get"]["parameters"]}
    assert parameters == {"q", "kind", "nation", "region", "type", "current", "page", "page_size"}


def test_the_schema_is_stable() -> None:
    """The schema is the committed snapshot, so that every change to it is a deliberate one.

    After changing the API on purpose, write the snapshot again and read its diff with the change:

        KITBAG_UPDATE_OPENAPI_SNAPSHOT=1 .venv/bin/pytest \\
            kitbag/api/tests/test_schema.py::test_the_schema_is_stable

    Keys are sorted, so only what the schema says can differ, not the order it says it in.
    """
    generated = SchemaGenerator().get_schema(request=None, public=True)
    schema = json.loads(json.dumps(generated, sort_keys=True, default=str))
    if os.environ.get(UPDATE):
        SNAPSHOT.write_text(json.dumps(schema, sort_keys=True, indent=1) + "\n")
    assert schema == json.loads(SNAPSHOT.read_text()), f"A deliberate change? Set {UPDATE}=1."


def test_the_docs_page_shows_each_endpoint_its_parameters_and_an_example(client: Client) -> None:
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>API documentation – Kitbag</title>" in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    for path in [
        "/api/v1/organisations",
        "/api/v1/organisations/{slug}",
        "/api/v1/organisations/resolve",
    ]:
        assert f'<code class="kitbag-code">{path}</code>' in html
    assert (
        "curl -H &#x27;Accept: application/json&#x27; &#x27;http://testserver/api/v1/organisations?kind=local-authority"
        in html
    )
    assert "http://testserver/api/v1/organisations/resolve?name=Cyngor+Caerdydd" in html
    assert "http://testserver/api/v1/organisations/cardiff" in html
    assert '<code class="kitbag-code">police-force</code>' in html  # allowed values of kind
    assert 'href="/api/v1/openapi.json"' in html
    # Rendered on the server: only Kitbag's own static scripts, nothing inline, nothing third-party.
    assert all('src="/static/' in tag for tag in re.findall(r"<script[^>]*>", html))


@pytest.fixture
def seeded_register(transactional_db: None) -> None:
    """A little of everything the API can say: links, history, and blanks where data is missing."""
    cardiff = OrganisationFactory.create(
        name="Cardiff Council",
        short_name="Cardiff",
        code="CRF",
        nation="Wales",
        website="https://www.cardiff.gov.uk",
        democracy_cms="ModernGov",
        democracy_url="https://cardiff.moderngov.co.uk",
    )
    IdentifierFactory.create(organisation=cardiff, scheme=IdentifierScheme.GSS, value="W06000015")
    OrganisationNameFactory.create(organisation=cardiff, name="Cyngor Caerdydd", language="cy")
    county = OrganisationFactory.create(
        name="South Glamorgan County Council",
        short_name="South Glamorgan",
        end_date=dt.date(1996, 3, 31),
    )
    Succession.objects.create(predecessor=county, successor=cardiff, date=dt.date(1996, 4, 1))
    department = OrganisationFactory.create(
        name="Wales Office",
        short_name="",
        kind="central-government",
        classification_code="",
        classification_name="",
        nation="",
        region="",
    )
    ParentLink.objects.create(
        child=cardiff, parent=department, relation=ParentRelation.PARENT_ORGANISATION
    )
    OrganisationFactory.create(
        name="Gwent Police", short_name="", slug="gwent", kind="police-force", nation="Wales"
    )
    resolver.invalidate_index()


def test_every_seeded_record_conforms_to_the_schema(
    live_server: Any, seeded_register: None
) -> None:
    schema = schemathesis.openapi.from_url(live_server.url + SCHEMA_URL)
    detail = schema["/api/v1/organisations/{slug}"]["GET"]
    for slug in Organisation.objects.values_list("slug", flat=True):
        detail.Case(path_parameters={"slug": slug}).call_and_validate(base_url=live_server.url)
    listing = schema["/api/v1/organisations"]["GET"]
    listing.Case(query={"page_size": "1000"}).call_and_validate(base_url=live_server.url)
    resolve = schema["/api/v1/organisations/resolve"]["GET"]
    resolve.Case(query={"name": "Cyngor Caerdydd"}).call_and_validate(base_url=live_server.url)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_answers_as_its_schema_says_and_never_fails(
    live_server: Any, seeded_register: None, mode: GenerationMode
) -> None:
    """Generated requests, valid and invalid, against a live server: no 5xx, and every reply has
    the status, content type and shape the schema promises. Only the live server on this machine is called."""
    schema = schemathesis.openapi.from_url(live_server.url + SCHEMA_URL)
    # A NUL in a query string is refused with a 400 by Django's form fields; no client sends one.
    schema.config.generation.update(allow_x00=False)

    @given(case=schema.as_strategy(generation_mode=mode))
    @settings(
        max_examples=40,
        deadline=None,
        database=None,  # no example database written into the checkout
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def check(case: schemathesis.Case) -> None:
        # The meetings list refuses, with a 400 naming the parameter, two kinds of request that
        # the schema cannot call invalid: a council code no council has, and `to` before `from`.
        excluded: list[CheckFunction] = (
            [positive_data_acceptance] if case.path == "/api/v1/meetings" else []
        )
        case.call_and_validate(base_url=live_server.url, excluded_checks=excluded)

    check()
