"""CSV and JSON downloads and the Atom feed of any case search: every match, public cases only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from kitbag.accounts.models import MembershipRole
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.cases import queries, services
from kitbag.cases.downloads import DOWNLOAD_FIELDS
from kitbag.cases.models import Case, CaseIdentifier, RecordStatus
from kitbag.cases.tests.factories import CaseFactory, code
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def indexed(**fields: object) -> Case:
    fields.setdefault("published_at", timezone.now())
    case = CaseFactory.create(**fields)
    services.reindex_case(case=case)
    return case


def streamed(response: object) -> str:
    return b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]


def csv_rows(response: object) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(streamed(response).lstrip("\ufeff"))))


def feed_titles(response: object) -> list[str]:
    root = ET.fromstring(response.content)  # type: ignore[attr-defined]  # noqa: S314 - our own feed
    return [str(entry.findtext(f"{ATOM}title")) for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def mixed(builtin_codes: None) -> None:
    """Public cases in every public status, and unpublished ones that must never appear."""
    now = timezone.now()
    indexed(title="Published chatbot", phase=code("govuk-phase", "beta"), published_at=now)
    indexed(
        title="Chatbot needing an update",
        status=RecordStatus.NEEDS_UPDATE,
        published_at=now - dt.timedelta(days=1),
    )
    indexed(
        title="Archived chatbot",
        status=RecordStatus.ARCHIVED,
        published_at=now - dt.timedelta(days=2),
    )
    indexed(title="Draft chatbot", status=RecordStatus.DRAFT)
    indexed(title="Chatbot in review", status=RecordStatus.IN_REVIEW)


PUBLIC = ["Published chatbot", "Chatbot needing an update", "Archived chatbot"]


class TestCsv:
    def test_the_csv_has_stable_columns_and_every_public_match_only(
        self, mixed: None, client: Client
    ) -> None:
        response = client.get("/cases/download.csv?q=chatbot&sort=newest")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="cases.csv"' in response["Content-Disposition"]
        rows = csv_rows(response)
        assert [row["title"] for row in rows] == PUBLIC
        assert tuple(rows[0].keys()) == DOWNLOAD_FIELDS
        assert rows[0]["phase"] == "beta"
        assert rows[0]["url"].startswith("http://testserver/cases/")

    def test_drafts_never_reach_the_csv_even_for_their_own_editors(self, mixed: None) -> None:
        draft = Case.objects.get(title="Draft chatbot")
        assert draft.lead_organisation is not None
        editor = UserFactory.create(email="editor@example.org")
        MembershipFactory.create(
            user=editor,
            organisation=draft.lead_organisation,
            role=MembershipRole.EDITOR,
        )
        client = Client()
        client.force_login(editor)
        titles = [row["title"] for row in csv_rows(client.get("/cases/download.csv"))]
        assert "Draft chatbot" not in titles and "Chatbot in review" not in titles

    def test_filters_apply_and_lists_are_joined(self, builtin_codes: None, client: Client) -> None:
        case = indexed(title="Beta", phase=code("govuk-phase", "beta"))
        case.technologies.set([code("technology", "chatbot"), code("technology", "open-data")])
        CaseIdentifier.objects.create(case=case, scheme="ipsx", value="10001")
        indexed(title="Alpha", phase=code("govuk-phase", "alpha"))
        rows = csv_rows(client.get("/cases/download.csv?phase=beta"))
        assert [row["title"] for row in rows] == ["Beta"]
        assert rows[0]["technologies"] == "chatbot; open-data"
        assert rows[0]["identifiers"] == "ipsx:10001"

    def test_every_match_is_downloaded_not_just_one_page(
        self, builtin_codes: None, client: Client
    ) -> None:
        for n in range(105):
            indexed(title=f"Chatbot {n:03d}")
        assert len(csv_rows(client.get("/cases/download.csv?q=chatbot"))) == 105
        assert len(csv_rows(client.get("/cases/download.csv?page=3&page_size=5"))) == 105

    def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(
        self, builtin_codes: None, client: Client
    ) -> None:
        indexed(title='=HYPERLINK("http://evil.example")')
        rows = csv_rows(client.get("/cases/download.csv"))
        assert rows[0]["title"].startswith("'=")


class TestJson:
    def test_the_json_has_the_count_the_fields_and_every_public_match(
        self, mixed: None, client: Client
    ) -> None:
        response = client.get("/cases/download.json?q=chatbot&sort=newest")
        assert response["Content-Type"] == "application/json; charset=utf-8"
        data = json.loads(streamed(response))
        assert data["count"] == 3
        assert data["truncated"] is False
        assert data["fields"] == list(DOWNLOAD_FIELDS)
        assert [row["title"] for row in data["results"]] == PUBLIC
        assert data["results"][0]["technologies"] == []

    def test_an_empty_result_is_still_valid_json(self, builtin_codes: None, client: Client) -> None:
        data = json.loads(streamed(client.get("/cases/download.json?q=nothingmatches")))
        assert data["count"] == 0 and data["results"] == []

    def test_a_download_stops_at_its_cap_and_says_so(
        self, builtin_codes: None, client: Client, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for n in range(4):
            indexed(title=f"Case {n}")
        monkeypatch.setattr(queries, "MAX_DOWNLOAD_ROWS", 3)
        data = json.loads(streamed(client.get("/cases/download.json")))
        assert data["count"] == 4
        assert data["truncated"] is True
        assert len(data["results"]) == 3


class TestFeed:
    def test_the_feed_is_atom_newest_first_with_public_cases_only(
        self, mixed: None, client: Client
    ) -> None:
        # Sorting by relevance on the page does not change the feed's order.
        response = client.get("/cases/feed.atom?q=chatbot&sort=relevance")
        assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
        assert feed_titles(response) == PUBLIC
        root = ET.fromstring(response.content)  # noqa: S314 - our own feed
        entry = next(root.iter(f"{ATOM}entry"))
        assert str(entry.findtext(f"{ATOM}id")).startswith("urn:uuid:")
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/cases/")  # type: ignore[union-attr]
        assert "chatbot" in str(root.findtext(f"{ATOM}title"))

    def test_the_feed_follows_the_filters_of_the_search(
        self, builtin_codes: None, client: Client
    ) -> None:
        wales = OrganisationFactory.create(nation="Wales")
        indexed(title="Welsh case", lead_organisation=wales)
        indexed(title="English case")
        assert feed_titles(client.get("/cases/feed.atom?nation=Wales")) == ["Welsh case"]
        assert sorted(feed_titles(client.get("/cases/feed.atom"))) == ["English case", "Welsh case"]
