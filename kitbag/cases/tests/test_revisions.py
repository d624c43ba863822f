"""Revision history: every save a numbered revision, and the differences between two of them, on
the history and revision pages for whoever may view the case."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kitbag.accounts.models import Profile, User
from kitbag.accounts.tests.permission_world import ROLES, World, build_world
from kitbag.cases import services
from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.revisions import FieldChange, changes_between
from kitbag.cases.tests.factories import code

pytestmark = pytest.mark.django_db


def client_for(person: User | None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def page(response: Any) -> str:
    return str(response.content.decode())


def written(world: World) -> Case:
    case = services.save_case(
        case=Case(
            title="Text reminders cut missed bin collections",
            summary="Residents get a text the night before collection.",
            problem="Residents forgot which week was recycling.",
            lead_organisation=world.organisation,
            phase=code("govuk-phase", "beta"),
        ),
        by=world.member,
    )
    case.problem = "Residents forgot which week was recycling <b>and</b> missed collections."
    case.phase = code("govuk-phase", "live")
    services.save_case(case=case, by=world.member, change_summary="Added what happened")
    return services.move_case(case=case, action="publish", by=world.person("editor"))


# The comparison itself (pure)


def test_only_fields_that_differ_are_changes_in_the_order_of_the_newer_snapshot() -> None:
    before = {"title": "Bins", "phase": "Beta", "services": ["Bins (524)"], "gone": "x"}
    after = {"title": "Bins", "phase": "Live", "services": ["Bins (524)", "Recycling (1)"]}
    changes = changes_between(before, after)
    assert [change.field for change in changes] == ["phase", "services", "gone"]
    assert changes[1].after == "Bins (524)\nRecycling (1)"
    assert changes[2].after == ""


def test_an_empty_value_and_a_missing_one_are_the_same() -> None:
    assert changes_between({"lessons": ""}, {"lessons": None}) == []
    assert changes_between({}, {"area_codes": []}) == []


def test_word_differences_mark_removed_and_added_words_and_escape_the_text() -> None:
    change = FieldChange(
        field="problem",
        before="Residents forgot <script>alert(1)</script> the week",
        after="Residents forgot the <b>recycling</b> week",
    )
    diff = change.word_diff_html()
    assert "<script>" not in diff and "<b>" not in diff
    assert "<del>&lt;script&gt;alert(1)&lt;/script&gt;</del>" in diff
    assert "<ins>&lt;b&gt;recycling&lt;/b&gt;</ins>" in diff
    assert diff.startswith("Residents forgot")


def test_long_or_multiline_values_count_as_text() -> None:
    assert FieldChange("phase", "Beta", "Live").is_text is False
    assert FieldChange("services", "a", "a\nb").is_text is True
    assert FieldChange("problem", "x" * 50, "y" * 50).is_text is True


# Recording revisions


def test_each_save_and_step_is_a_numbered_revision_and_an_unchanged_save_is_not(
    builtin_codes: None,
) -> None:
    world = build_world()
    case = written(world)
    services.save_case(case=case, by=world.member)  # nothing changed
    revisions = list(case.revisions.order_by("number"))
    assert [(r.number, r.status) for r in revisions] == [
        (1, "draft"),
        (2, "draft"),
        (3, "published"),
    ]
    assert revisions[0].change_summary == "Created"
    assert revisions[1].change_summary == "Added what happened"
    assert revisions[1].snapshot["phase"] == "Live"
    assert revisions[0].author == world.member
    assert revisions[2].author == world.person("editor")


def test_a_snapshot_never_holds_an_email_address(builtin_codes: None) -> None:
    world = build_world()
    case = written(world)
    for revision in case.revisions.all():
        assert "@" not in str(revision.snapshot)
    Profile.objects.create(user=world.member, display_name="Ada Lovelace", is_public=True)
    case = Case.objects.get(pk=case.pk)
    case.title = "Text reminders cut missed bins"
    services.save_case(case=case, by=world.member)
    latest = case.revisions.order_by("-number").first()
    assert latest is not None and latest.snapshot["owner"] == "Ada Lovelace"


# The pages


def test_the_history_page_lists_every_revision_with_number_date_author_status_and_summary(
    builtin_codes: None,
) -> None:
    world = build_world()
    case = written(world)
    html = page(client_for(None).get(reverse("cases:case_history", args=[case.slug])))
    assert html.count("<h1") == 1
    for number in (1, 2, 3):
        assert reverse("cases:case_revision", args=[case.slug, number]) in html
    assert "Added what happened" in html and "Created" in html and "Published" in html
    # The public sees no email address; a colleague sees who it was.
    assert world.member.email not in html
    assert "A member of the team" in html
    colleague = page(
        client_for(world.person("admin")).get(reverse("cases:case_history", args=[case.slug]))
    )
    assert world.member.email in colleague


def test_the_revision_page_shows_the_differences_from_the_one_before_field_by_field(
    builtin_codes: None,
) -> None:
    world = build_world()
    case = written(world)
    html = page(client_for(None).get(reverse("cases:case_revision", args=[case.slug, 2])))
    assert html.count("<h1") == 1
    assert "What changed since version 1" in html
    assert '<h3 class="govuk-heading-s">Phase</h3>' in html
    assert "<del>Beta</del>" in html and "<ins>Live</ins>" in html
    assert '<h3 class="govuk-heading-s">Problem</h3>' in html
    # Typed markup is shown as text, inside the word-level marks.
    assert "<ins>recycling &lt;b&gt;and&lt;/b&gt; missed collections.</ins>" in html
    assert "<del>recycling.</del>" in html
    assert "<b>and</b>" not in html
    assert "Title</h3>" not in html  # unchanged fields are not listed
    published = page(client_for(None).get(reverse("cases:case_revision", args=[case.slug, 3])))
    assert "<del>Draft</del>" in published and "<ins>Published</ins>" in published
    assert "Publish" in published  # the change summary, capitalised


def test_the_first_revision_shows_what_it_said(builtin_codes: None) -> None:
    world = build_world()
    case = written(world)
    html = page(client_for(None).get(reverse("cases:case_revision", args=[case.slug, 1])))
    assert "What the first version said" in html
    assert "Text reminders cut missed bin collections" in html


def test_a_revision_that_does_not_exist_is_not_found(builtin_codes: None) -> None:
    world = build_world()
    case = written(world)
    url = reverse("cases:case_revision", args=[case.slug, 99])
    assert client_for(None).get(url).status_code == 404


@pytest.mark.parametrize("status", ["draft", "in-review", "published", "archived"])
def test_history_is_shown_to_exactly_those_who_may_view_the_case(
    builtin_codes: None, status: str
) -> None:
    world = build_world()
    case = written(world)
    Case.objects.filter(pk=case.pk).update(status=status)
    expected = (
        set(ROLES)
        if status in {RecordStatus.PUBLISHED, RecordStatus.ARCHIVED}
        else {"member", "editor", "admin", "moderator", "staff"}
    )
    for url in (
        reverse("cases:case_history", args=[case.slug]),
        reverse("cases:case_revision", args=[case.slug, 2]),
    ):
        seen = {
            role for role in ROLES if client_for(world.person(role)).get(url).status_code == 200
        }
        assert seen == expected, url
