import pytest
from django.test import Client
from django.urls import reverse

from kitbag.core.models import ImportRun


@pytest.mark.django_db
def test_health_check_reports_the_database_as_json(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("core:home", "Kitbag: what UK public services know"),
        ("core:about_data", "About the data"),
        ("core:accessibility", "Accessibility statement for Kitbag"),
    ],
)
def test_shell_pages_have_a_title_one_heading_and_the_beta_banner(
    client: Client, url_name: str, heading: str
) -> None:
    html = client.get(reverse(url_name)).content.decode()
    assert html.count("<h1") == 1
    assert heading in html
    assert "<title>" in html
    assert "govuk-phase-banner" in html
    assert 'href="#main-content"' in html  # skip link
    assert "<script>" not in html  # no inline script: the CSP will forbid it


@pytest.mark.django_db
def test_about_the_data_lists_every_source_with_licence_and_last_import(client: Client) -> None:
    ImportRun.objects.create(
        source="police-forces", location="/data/police-force.tsv", status="succeeded", rows_read=44
    )
    ImportRun.objects.filter(source="police-forces").update(finished_at="2026-11-01T10:00:00Z")
    html = client.get(reverse("core:about_data")).content.decode()
    assert "UK local authority names and codes" in html
    assert "CC BY 4.0" in html
    assert "Open Government Licence v3.0" in html
    assert "1 November 2026" in html
    assert "Not imported yet" in html


@pytest.mark.django_db
def test_about_the_data_credits_the_newer_registry_sources_with_their_licences(
    client: Client,
) -> None:
    html = client.get(reverse("core:about_data")).content.decode()

    assert "GOV.UK organisations API" in html
    assert "(source: GOV.UK)" in html
    assert "Council homepages (GOV.UK Local Links Manager)" in html
    assert "Crown Copyright (Government Digital Service), MIT licence" in html
    assert "planning.data.gov.uk organisation collection" in html


@pytest.mark.django_db
def test_a_failed_import_is_not_shown_as_the_last_import(client: Client) -> None:
    ImportRun.objects.create(source="nhs-trusts", location="x", status="failed", rows_read=3)
    html = client.get(reverse("core:about_data")).content.decode()
    assert ">3<" not in html


@pytest.mark.django_db
def test_unknown_pages_get_the_designed_404_page(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-header" in html


def test_the_500_page_renders_without_touching_the_database(rf: pytest.FixtureRequest) -> None:
    from kitbag.core.views import server_error

    response = server_error(rf.get("/"))  # type: ignore[attr-defined]
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
