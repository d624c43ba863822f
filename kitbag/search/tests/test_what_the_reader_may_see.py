"""The site-wide search shows each reader what they may see, by each kind's own rule, on the page
and in the API (a token's person as a session's): an organisation's members find its draft case
and its draft event, a partnership's members its partners-only partnership and project, and
nobody else does. Counts agree with the kind's own search for that reader; hits not public are
labelled; "did you mean" offers words of public documents only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kitbag.accounts.models import User
from kitbag.accounts.services.tokens import create_token
from kitbag.accounts.tests.factories import UserFactory
from kitbag.cases.models import RecordStatus
from kitbag.cases.services import reindex_case
from kitbag.cases.tests.factories import CaseFactory
from kitbag.events import services as event_services
from kitbag.events.models import EventKind
from kitbag.events.tests.factories import in_days
from kitbag.performance.models import Visibility
from kitbag.performance.search_documents import reindex_partnership
from kitbag.projects import search_documents as project_documents
from kitbag.projects.tests.world import World, make_project, make_world
from kitbag.search.kinds import kind_named
from kitbag.search.queries import search, site_search, viewer_documents
from kitbag.search.views import see_all_url

pytestmark = pytest.mark.django_db

READERS = ("anonymous", "outsider", "owner_member", "partner_member", "staff")
# Who finds each thing not public, by its kind's own rule (the app's visible_* helper).
MAY_SEE = {
    "case": {"owner_member", "staff"},  # the lead organisation's members; staff
    "event": {"owner_member", "staff"},  # its organising organisation's members; staff
    "partnership": {"owner_member", "partner_member", "staff"},  # its members; staff
    "project": {"owner_member", "partner_member"},  # its owner and partners
}
NOT_PUBLIC_TITLES = {
    "case": "Zephyr draft case",
    "event": "Zephyr draft meetup",
    "partnership": "Zephyr partners-only partnership",
    "project": "Zephyr partners-only project",
}


@dataclass
class Setting:
    world: World
    readers: dict[str, User | AnonymousUser]


@pytest.fixture
def setting() -> Setting:
    cache.clear()
    world = make_world()
    staff = UserFactory.create(email="staff@example.org", is_staff=True)
    CaseFactory.create(title="Zephyr public case", lead_organisation=world.outsider_org)
    draft_case = CaseFactory.create(
        title=NOT_PUBLIC_TITLES["case"],
        lead_organisation=world.owner,
        status=RecordStatus.DRAFT,
    )
    reindex_case(case=draft_case)
    for case in draft_case.__class__.objects.exclude(pk=draft_case.pk):
        reindex_case(case=case)
    event_services.create_event(
        details=event_services.EventDetails(
            title=NOT_PUBLIC_TITLES["event"],
            kind=EventKind.MEETUP,
            starts_at=in_days(5, 18),
            ends_at=in_days(5, 20),
            address="The Library, Tiverton",
        ),
        by=world.owner_member,
        organisation=world.owner,
    )
    world.partnership.name = NOT_PUBLIC_TITLES["partnership"]
    world.partnership.visibility = Visibility.PARTNERS
    world.partnership.save()
    reindex_partnership(world.partnership)
    project = make_project(
        world, visibility=Visibility.PARTNERS, title=NOT_PUBLIC_TITLES["project"]
    )
    project_documents.reindex(project)
    readers: dict[str, User | AnonymousUser] = {
        "anonymous": AnonymousUser(),
        "outsider": world.outsider,
        "owner_member": world.owner_member,
        "partner_member": world.partner_member,
        "staff": staff,
    }
    return Setting(world=world, readers=readers)


def _expected(reader: str) -> dict[str, int]:
    found = {kind: int(reader in who) for kind, who in MAY_SEE.items()}
    found["case"] += 1  # the public case, for everyone
    return found


def _client(reader: User | AnonymousUser, *, token: bool = False) -> Client:
    if isinstance(reader, AnonymousUser):
        return Client()
    if token:
        _token, raw = create_token(user=reader, name="search")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client = Client()
    client.force_login(reader)
    return client


@pytest.mark.parametrize("reader", READERS)
def test_each_reader_finds_what_each_kinds_rule_lets_them_see(
    setting: Setting, reader: str
) -> None:
    viewer = setting.readers[reader]
    results = site_search(query="zephyr", viewer=viewer)
    counts = {count.kind.doc_type: count.count for count in results.counts}
    assert {kind: counts[kind] for kind in MAY_SEE} == _expected(reader)
    not_public = {hit.title for hit in results.hits if not hit.is_public}
    assert not_public == {NOT_PUBLIC_TITLES[kind] for kind, who in MAY_SEE.items() if reader in who}


@pytest.mark.parametrize("reader", READERS)
def test_a_kinds_count_for_a_reader_is_what_its_own_search_shows_them(
    setting: Setting, reader: str
) -> None:
    viewer = setting.readers[reader]
    also = viewer_documents(viewer, MAY_SEE)
    everything = site_search(query="zephyr", viewer=viewer)
    for kind in MAY_SEE:
        narrowed = site_search(query="zephyr", kind=kind, viewer=viewer)
        alone = search(
            query="zephyr",
            doc_type=kind,
            also_visible=[pk for pk, doc_type in also.items() if doc_type == kind],
        )
        assert everything.count_of(kind) == narrowed.total == alone.total, kind
        assert [hit.object_id for hit in narrowed.hits] == [hit.object_id for hit in alone.hits]


@pytest.mark.parametrize("reader", READERS)
def test_the_page_shows_each_reader_what_they_may_see_and_labels_it(
    setting: Setting, reader: str
) -> None:
    page = _client(setting.readers[reader]).get(reverse("search:site_search"), {"q": "zephyr"})
    html = page.content.decode()
    for kind, who in MAY_SEE.items():
        # Titles are shown with the word searched for marked: "<mark>Zephyr</mark> draft case".
        shown = "</mark> " + NOT_PUBLIC_TITLES[kind].removeprefix("Zephyr ")
        assert (shown in html) == (reader in who), kind
    assert "</mark> public case" in html
    if reader in MAY_SEE["case"]:
        assert 'govuk-tag--grey">Draft</strong>' in html
        # The case search shows public cases only: "see all" stays here, where the count holds.
    if reader == "anonymous":
        assert "Draft</strong>" not in html and "Not public</strong>" not in html


@pytest.mark.parametrize("reader", READERS)
def test_the_api_with_a_token_shows_what_its_person_may_see(setting: Setting, reader: str) -> None:
    client = _client(setting.readers[reader], token=True)
    body = client.get(reverse("api_search"), {"q": "zephyr", "page_size": "50"}).json()
    counts = {row["kind"]: row["count"] for row in body["kinds"]}
    assert {kind: counts[kind] for kind in MAY_SEE} == _expected(reader)
    not_public = {row["title"] for row in body["results"] if not row["is_public"]}
    assert not_public == {NOT_PUBLIC_TITLES[kind] for kind, who in MAY_SEE.items() if reader in who}


def test_the_cached_answer_for_the_anonymous_is_never_given_to_a_member(
    setting: Setting, settings: Any
) -> None:
    settings.KITBAG_PAGE_CACHE_SECONDS = 300
    url = reverse("search:site_search")
    assert "</mark> draft case" not in Client().get(url, {"q": "zephyr"}).content.decode()
    member = _client(setting.world.owner_member).get(url, {"q": "zephyr"})
    assert "</mark> draft case" in member.content.decode()
    assert "</mark> draft case" not in Client().get(url, {"q": "zephyr"}).content.decode()
    api = reverse("api_search")
    assert Client().get(api, {"q": "zephyr"}).json()["kinds"]
    with_token = _client(setting.world.owner_member, token=True).get(api, {"q": "zephyr"}).json()
    assert NOT_PUBLIC_TITLES["case"] in {row["title"] for row in with_token["results"]}


def test_a_signed_in_reader_costs_one_query_more_however_many_kinds_match(
    setting: Setting,
) -> None:
    def queries_for(viewer: User | AnonymousUser) -> int:
        site_search(query="zephyr", viewer=viewer)  # warm: id sets kept until the next write
        with CaptureQueriesContext(connection) as captured:
            site_search(query="zephyr", viewer=viewer)
        return len(captured.captured_queries)

    anonymous = queries_for(AnonymousUser())
    member = queries_for(setting.world.owner_member)
    assert member == anonymous + 1


def test_did_you_mean_offers_a_word_of_a_public_document_never_of_a_draft(
    setting: Setting,
) -> None:
    # "Zephyr" is public (the public case); "draft" is in public titles too, so use a word only
    # the drafts have.
    assert site_search(query="zephir").suggestion == "zephyr"
    event_only = site_search(query="tivertn", viewer=AnonymousUser())
    assert event_only.suggestion == ""  # "Tiverton" is in the draft event's address alone
    assert site_search(query="zephyr").suggestion == ""


def test_did_you_mean_is_a_link_on_the_page_and_a_field_in_the_api(setting: Setting) -> None:
    page = Client().get(reverse("search:site_search"), {"q": "zephir"}).content.decode()
    assert 'id="did-you-mean"' in page
    assert 'href="/search/?q=zephyr"' in page
    assert Client().get(reverse("api_search"), {"q": "zephir"}).json()["suggestion"] == "zephyr"
    assert Client().get(reverse("api_search"), {"q": "zephyr"}).json()["suggestion"] is None


def test_see_all_stays_on_the_site_wide_page_when_the_count_holds_drafts() -> None:
    case_kind = kind_named("case")
    assert case_kind is not None
    assert see_all_url(case_kind, "zephyr").startswith(reverse("cases:case_list"))
    assert see_all_url(case_kind, "zephyr", includes_not_public=True) == (
        reverse("search:site_search") + "?q=zephyr&kind=case"
    )
