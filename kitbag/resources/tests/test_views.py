"""The library's pages: the list by tag and search, a resource with what used it, tag pages and
their Atom feeds, the recommend form and the bookmark upload; with their query counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kitbag.accounts.tests.factories import UserFactory
from kitbag.cases.models import RecordStatus
from kitbag.cases.tests.factories import CaseFactory
from kitbag.resources import services
from kitbag.resources.models import LinkState, Resource

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
ATOM = "{http://www.w3.org/2005/Atom}"


def _many(count: int, *, tag: str = "guides") -> list[Resource]:
    people = [UserFactory.create() for _ in range(3)]
    return [
        services.recommend(
            person=people[i % 3],
            url=f"https://example.org/guide-{i}",
            title=f"Guide number {i}",
            why=f"Because {i}",
            tags=[tag, f"extra-{i}"],
        )
        for i in range(count)
    ]


def test_the_list_filters_by_tag_and_searches() -> None:
    _many(3)
    services.recommend(
        person=UserFactory.create(),
        url="https://example.org/other",
        title="Other thing",
        tags=["other"],
    )
    client = Client()
    everything = client.get("/resources/").content.decode()
    assert "Guide number 2" in everything and "Other thing" in everything
    tagged = client.get("/resources/", {"tag": "guides"}).content.decode()
    assert "Guide number 2" in tagged and "Other thing" not in tagged
    searched = client.get("/resources/", {"q": "other"}).content.decode()
    assert "Other thing" in searched and "Guide number 2" not in searched
    by_reason = client.get("/resources/", {"q": "because 1"}).content.decode()
    assert "Guide number 1" in by_reason and "Other thing" not in by_reason


@pytest.mark.parametrize("count", [2, 25], ids=["few", "many"])
def test_list_and_tag_pages_make_a_fixed_number_of_queries(
    count: int, django_assert_max_num_queries: Any
) -> None:
    _many(count)
    client = Client()
    with django_assert_max_num_queries(8):
        assert client.get("/resources/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/resources/tags/guides/").status_code == 200
    signed_in = Client()
    signed_in.force_login(UserFactory.create())
    with django_assert_max_num_queries(12):
        assert signed_in.get("/resources/", {"tag": "guides", "q": "guide"}).status_code == 200


def test_the_resource_page_shows_recommendations_and_what_used_it(
    django_assert_max_num_queries: Any,
) -> None:
    resource = _many(1)[0]
    published = CaseFactory.create(title="Published pilot")
    draft = CaseFactory.create(title="Draft pilot", status=RecordStatus.DRAFT)
    services.record_use(resource=resource, key=f"case:{published.uuid}", by=None)
    services.record_use(resource=resource, key=f"case:{draft.uuid}", by=None)
    services.record_use(resource=resource, key=f"case:{published.uuid}", by=None)  # again: one
    with django_assert_max_num_queries(8):
        page = Client().get(resource.get_absolute_url()).content.decode()
    assert "Because 0" in page
    assert "Published pilot" in page and published.get_absolute_url() in page
    assert "Draft pilot" not in page
    assert resource.uses.count() == 2


def test_a_use_of_an_unknown_kind_is_refused() -> None:
    resource = _many(1)[0]
    with pytest.raises(ValueError, match="nothing shows uses of kind"):
        services.record_use(resource=resource, key="spaceship:1", by=None)
    with pytest.raises(ValueError, match="not a key"):
        services.record_use(resource=resource, key="case", by=None)


def test_a_dead_link_says_so() -> None:
    resource = _many(1)[0]
    Resource.objects.filter(pk=resource.pk).update(link_state=LinkState.DEAD, last_status=404)
    page = Client().get(resource.get_absolute_url()).content.decode()
    assert "This link did not work when we last checked it" in page
    assert "The site answered 404" in page


def test_a_tag_feed_is_atom_with_public_resources_and_text_kept_as_text() -> None:
    services.recommend(
        person=UserFactory.create(),
        url="https://example.org/a",
        title="<b>Bold</b> title",
        why="<script>alert(1)</script> is what it warns about",
        tags=["security"],
    )
    response = Client().get("/resources/tags/security/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].findtext(f"{ATOM}title") == "<b>Bold</b> title"
    summary = entries[0].findtext(f"{ATOM}summary") or ""
    assert "&lt;script&gt;" in summary and "<script>" not in summary
    assert [c.get("term") for c in entries[0].findall(f"{ATOM}category")] == ["security"]
    assert Client().get("/resources/tags/nothing-here/feed.atom").status_code == 404


def test_a_tag_page_redirects_to_the_tags_one_spelling() -> None:
    _many(1, tag="digital-inclusion")
    response = Client().get("/resources/tags/Digital Inclusion/")
    assert response.status_code == 302
    assert response["Location"] == "/resources/tags/digital-inclusion/"


def test_the_forms_need_a_signed_in_person() -> None:
    for path in ("/resources/add/", "/resources/import/"):
        response = Client().get(path)
        assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_recommending_a_link_through_the_form() -> None:
    client = Client()
    client.force_login(UserFactory.create())
    response = client.post(
        "/resources/add/",
        {"url": "https://www.gov.uk/service-manual", "title": "Service Manual", "tags": "A, b"},
    )
    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == resource.get_absolute_url()
    assert sorted(resource.recommendations.get().tags.values_list("name", flat=True)) == ["a", "b"]
    refused = client.post("/resources/add/", {"url": "javascript:alert(1)", "title": "x"})
    page = refused.content.decode()
    assert "There is a problem" in page and "Javascript: links are refused" in page
    assert Resource.objects.count() == 1


def test_uploading_bookmarks_shows_the_report() -> None:
    client = Client()
    client.force_login(UserFactory.create())
    data = (FIXTURES / "nested_folders.html").read_bytes()
    response = client.post(
        "/resources/import/",
        {"bookmarks": SimpleUploadedFile("bookmarks.html", data, content_type="text/html")},
    )
    page = response.content.decode()
    assert "Your bookmarks are imported" in page
    assert "javascript:alert(document.cookie)" in page
    assert Resource.objects.count() == 3
    again = client.post(
        "/resources/import/",
        {"bookmarks": SimpleUploadedFile("bookmarks.html", data, content_type="text/html")},
    )
    assert again.context["report"].unchanged == 3


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_encoding.html", "Line 4: not valid UTF-8"),
        ("not_bookmarks.html", "This is not a Netscape bookmark file"),
    ],
    ids=["bad-encoding", "not-bookmarks"],
)
def test_uploading_a_file_that_is_not_bookmarks_says_why_and_changes_nothing(
    name: str, message: str
) -> None:
    client = Client()
    client.force_login(UserFactory.create())
    data = (FIXTURES / name).read_bytes()
    response = client.post(
        "/resources/import/",
        {"bookmarks": SimpleUploadedFile(name, data, content_type="text/html")},
    )
    page = response.content.decode()
    assert "There is a problem" in page and message in page and "Nothing was imported" in page
    assert not Resource.objects.exists()
