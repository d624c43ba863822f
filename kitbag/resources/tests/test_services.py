"""Saving bookmarks: the import, the form, the merge rules, idempotence, and the search index."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kitbag.accounts.models import User
from kitbag.accounts.tests.factories import UserFactory
from kitbag.core.models import ImportRun
from kitbag.resources import services
from kitbag.resources.bookmark_files import BookmarkFileError
from kitbag.resources.models import Recommendation, Resource, Tag
from kitbag.search.models import SearchDocument

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def _import(owner: User, name: str = "nested_folders.html") -> services.BookmarkReport:
    return services.import_bookmark_file(
        data=(FIXTURES / name).read_bytes(), owner=owner, location=name
    )


def _tags(resource: Resource, person: User) -> list[str]:
    recommendation = resource.recommendations.get(person=person)
    return sorted(recommendation.tags.values_list("name", flat=True))


def test_an_import_keeps_tags_descriptions_and_privacy_and_reports_refusals() -> None:
    owner = UserFactory.create()
    report = _import(owner)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (3, 0, 0, 3)
    assert [m.split(": ", 1)[0] for m in report.rejections] == [
        "bookmarks, line 18",
        "bookmarks, line 19",
        "bookmarks, line 20",
    ]
    assert "javascript:alert(document.cookie)" in report.rejections[0]
    assert report.skipped == ["line 14: the same address as line 9; merged into one bookmark"]
    manual = Resource.objects.get(url="https://www.gov.uk/service-manual")
    assert manual.is_public
    assert _tags(manual, owner) == ["duplicate", "gov.uk", "service-design"]
    assert manual.recommendations.get().why.startswith("The standard every government")
    research = Resource.objects.get(url="https://www.gov.uk/service-manual/user-research")
    assert not research.is_public
    assert research.recommendations.get().is_private
    run = ImportRun.objects.get(source="bookmarks")
    assert (run.created, run.rejected) == (3, 3)


def test_importing_twice_changes_nothing() -> None:
    owner = UserFactory.create()
    _import(owner)
    before = (
        list(Resource.objects.values_list("url", "title", "is_public", "updated_at")),
        list(Recommendation.objects.values_list("pk", "why", "is_private", "updated_at")),
        list(Recommendation.tags.through.objects.values_list("pk", flat=True)),
        list(SearchDocument.objects.values_list("object_id", "updated_at")),
    )
    report = _import(owner)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    after = (
        list(Resource.objects.values_list("url", "title", "is_public", "updated_at")),
        list(Recommendation.objects.values_list("pk", "why", "is_private", "updated_at")),
        list(Recommendation.tags.through.objects.values_list("pk", flat=True)),
        list(SearchDocument.objects.values_list("object_id", "updated_at")),
    )
    assert before == after


def test_a_url_already_in_the_library_is_merged_tags_joined_and_recommender_added() -> None:
    first, second = UserFactory.create(), UserFactory.create()
    services.recommend(
        person=first,
        url="HTTPS://www.gov.uk:443/service-manual?utm_campaign=x#top",
        title="The Service Manual",
        why="Where we start.",
        tags=["standards"],
    )
    report = _import(second)
    assert (report.created, report.updated, report.merged) == (2, 1, 1)
    manual = Resource.objects.get(url="https://www.gov.uk/service-manual")
    assert sorted(manual.recommendations.values_list("person_id", flat=True)) == sorted(
        [first.pk, second.pk]
    )
    shown_tags = set(
        Tag.objects.filter(recommendations__resource=manual).values_list("name", flat=True)
    )
    assert shown_tags == {"standards", "duplicate", "gov.uk", "service-design"}
    # The first recommender's title stays the resource's title.
    assert manual.title == "The Service Manual"


def test_merging_joins_a_persons_tags_and_keeps_their_reason() -> None:
    owner = UserFactory.create()
    services.recommend(
        person=owner, url="https://www.gov.uk/service-manual", title="SM", why="Mine", tags=["a"]
    )
    report = _import(owner)
    # Their own recommendation gained tags: updated, but not a merge into someone else's link.
    assert report.updated == 1 and report.merged == 0
    manual = Resource.objects.get(url="https://www.gov.uk/service-manual")
    assert _tags(manual, owner) == ["a", "duplicate", "gov.uk", "service-design"]
    assert manual.recommendations.get().why == "Mine"


def test_a_private_bookmark_never_publishes_and_a_public_one_replaces_a_private_title() -> None:
    owner, other = UserFactory.create(), UserFactory.create()
    _import(owner)
    research = Resource.objects.get(url="https://www.gov.uk/service-manual/user-research")
    assert research.title == "User research & you"
    assert not SearchDocument.objects.filter(
        doc_type="resource", object_id=str(research.pk)
    ).exists()
    services.recommend(
        person=other, url=research.url, title="User research (Service Manual)", tags=["research"]
    )
    research.refresh_from_db()
    assert research.is_public
    assert research.title == "User research (Service Manual)"
    document = SearchDocument.objects.get(doc_type="resource", object_id=str(research.pk))
    # The private recommendation's words are not in the index.
    assert document.facets == {"tag": ["research"]}
    assert research.recommendations.get(person=owner).is_private


def test_a_private_import_makes_a_public_recommendation_private() -> None:
    owner = UserFactory.create()
    services.recommend(
        person=owner, url="https://www.gov.uk/service-manual/user-research", title="UR"
    )
    _import(owner)
    research = Resource.objects.get(url="https://www.gov.uk/service-manual/user-research")
    assert research.recommendations.get().is_private
    assert not research.is_public
    assert not SearchDocument.objects.filter(
        doc_type="resource", object_id=str(research.pk)
    ).exists()


@pytest.mark.parametrize(
    "name",
    ["bad_encoding.html", "not_bookmarks.html", "no_links.html"],
    ids=["bad-encoding", "not-bookmarks", "no-links"],
)
def test_a_file_that_cannot_be_read_changes_nothing(name: str) -> None:
    owner = UserFactory.create()
    with pytest.raises(BookmarkFileError):
        _import(owner, name)
    assert not Resource.objects.exists()
    assert not Tag.objects.exists()
    assert not ImportRun.objects.filter(source="bookmarks").exists()


def test_a_failure_partway_rolls_back_the_whole_import(monkeypatch: pytest.MonkeyPatch) -> None:
    owner = UserFactory.create()

    def broken(resource_ids: object) -> None:
        raise RuntimeError("the index is down")

    monkeypatch.setattr(services, "reindex_resources", broken)
    with pytest.raises(RuntimeError):
        _import(owner)
    assert not Resource.objects.exists()
    assert not Recommendation.objects.exists()


def test_the_form_refuses_an_unsafe_address() -> None:
    with pytest.raises(services.ResourceError, match="Javascript: links are refused"):
        services.recommend(person=UserFactory.create(), url="javascript:alert(1)", title="x")


def test_the_command_imports_and_reports(capsys: pytest.CaptureFixture[str]) -> None:
    owner = UserFactory.create(email="owner@example.org")
    call_command(
        "import_bookmarks",
        str(FIXTURES / "nested_folders.html"),
        owner="OWNER@example.org",
        folders_as_tags=True,
    )
    out = capsys.readouterr().out
    assert "bookmarks: 7 rows read, 3 created, 0 updated, 0 unchanged, 3 rejected" in out
    assert "rejected: bookmarks, line 18: javascript:alert(document.cookie)" in out
    research = Resource.objects.get(url="https://www.gov.uk/service-manual/user-research")
    assert _tags(research, owner) == ["research", "service-design", "user-research"]
    call_command(
        "import_bookmarks",
        str(FIXTURES / "nested_folders.html"),
        owner="owner@example.org",
        folders_as_tags=True,
    )
    assert "0 created, 0 updated, 3 unchanged" in capsys.readouterr().out


def test_the_command_says_why_a_file_is_refused() -> None:
    UserFactory.create(email="owner@example.org")
    with pytest.raises(CommandError, match="not valid UTF-8.*Nothing was imported"):
        call_command(
            "import_bookmarks", str(FIXTURES / "bad_encoding.html"), owner="owner@example.org"
        )
    with pytest.raises(CommandError, match="nobody has the email address"):
        call_command(
            "import_bookmarks", str(FIXTURES / "nested_folders.html"), owner="x@example.org"
        )


def test_forgetting_the_last_recommendation_removes_the_resource_and_its_document() -> None:
    owner = UserFactory.create()
    resource = services.recommend(person=owner, url="https://example.org/a", title="A")
    assert SearchDocument.objects.filter(doc_type="resource", object_id=str(resource.pk)).exists()
    services.forget_recommendation(person=owner, resource=resource)
    assert not Resource.objects.exists()
    assert not SearchDocument.objects.filter(doc_type="resource").exists()
