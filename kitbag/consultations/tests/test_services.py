from __future__ import annotations

import pytest
from django.core import mail

from kitbag.accounts.models import ModerationLogEntry
from kitbag.consultations import services
from kitbag.consultations.models import CommentState, ConsultationStatus, ModerationMode
from kitbag.consultations.tests.world import (
    REVISED,
    consultation,
    member,
    paragraph_key,
    person,
)
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_document_becomes_numbered_headings_and_paragraphs() -> None:
    made = consultation(OrganisationFactory.create())
    rows = list(made.versions.get().paragraphs.order_by("position"))
    assert [(p.position, p.kind, p.level) for p in rows] == [
        (1, "heading", 1),
        (2, "paragraph", 0),
        (3, "paragraph", 0),
        (4, "heading", 2),
        (5, "paragraph", 0),
    ]
    assert rows[0].text == "Library hours"
    assert len({p.key for p in rows}) == 5


def test_only_editors_of_the_organisation_create_consultations() -> None:
    council = OrganisationFactory.create()
    outsider = person("out@example.org")
    with pytest.raises(services.NotPermitted):
        services.create_consultation(
            organisation=council, details=services.Details(title="X"), document="Text.", by=outsider
        )
    editor = member(council, "editor@example.org")
    made = services.create_consultation(
        organisation=council, details=services.Details(title="X"), document="Text.", by=editor
    )
    assert made.status == ConsultationStatus.DRAFT


def test_publishing_opens_the_consultation_and_its_first_version() -> None:
    made = consultation(OrganisationFactory.create())
    assert made.status == ConsultationStatus.OPEN
    assert made.versions.get().published_at is not None


def test_a_comment_needs_a_chosen_name_and_consent() -> None:
    made = consultation(OrganisationFactory.create())
    silent = person("silent@example.org", name=None)
    with pytest.raises(services.ConsultationError):
        services.add_comment(
            consultation=made, by=silent, text="Hi", paragraph_key=paragraph_key(made, 2)
        )


def test_display_names_are_never_email_addresses() -> None:
    user = person("a@example.org", name=None)
    with pytest.raises(services.ConsultationError):
        services.set_participation(user=user, display_name="a@example.org")


def test_a_quote_not_in_the_paragraph_becomes_a_comment_on_the_paragraph() -> None:
    made = consultation(OrganisationFactory.create())
    comment = services.add_comment(
        consultation=made,
        by=person("q@example.org"),
        text="Hmm",
        paragraph_key=paragraph_key(made, 2),
        quote=services.QuoteIn(exact="not there at all"),
    )
    assert comment.quote_exact == ""
    kept = services.add_comment(
        consultation=made,
        by=person("r@example.org"),
        text="Yes",
        paragraph_key=paragraph_key(made, 2),
        quote=services.QuoteIn(exact="on Sundays", prefix="Library ", suffix=" from"),
    )
    assert (kept.quote_exact, kept.quote_prefix, kept.quote_suffix) == (
        "on Sundays",
        "Library ",
        " from",
    )


def test_pre_moderated_comments_wait_and_official_responses_do_not() -> None:
    council = OrganisationFactory.create()
    made = consultation(council, moderation=ModerationMode.PRE)
    comment = services.add_comment(
        consultation=made,
        by=person("p@example.org"),
        text="Hi",
        paragraph_key=paragraph_key(made, 2),
    )
    assert comment.state == CommentState.PENDING


def test_an_official_response_is_marked_and_emails_the_commenter(
    django_capture_on_commit_callbacks: object,
) -> None:
    council = OrganisationFactory.create()
    made = consultation(council)
    resident = person("resident@example.org")
    comment = services.add_comment(
        consultation=made,
        by=resident,
        text="Open later please",
        paragraph_key=paragraph_key(made, 2),
    )
    officer = member(council, "officer@example.org", role="member")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = services.add_comment(
            consultation=made,
            by=officer,
            text="We will.",
            parent=comment,
            as_official=True,
            changed_in_version=2,
        )
    assert response.is_official and response.display_name == council.display_name
    assert response.changed_in_version == 2
    assert [m.to for m in mail.outbox] == [["resident@example.org"]]
    assert "Official response from" in mail.outbox[0].subject


def test_people_outside_the_organisation_cannot_answer_as_it() -> None:
    council = OrganisationFactory.create()
    made = consultation(council)
    comment = services.add_comment(
        consultation=made,
        by=person("x@example.org"),
        text="Hi",
        paragraph_key=paragraph_key(made, 2),
    )
    with pytest.raises(services.NotPermitted):
        services.add_comment(
            consultation=made,
            by=person("y@example.org"),
            text="As them",
            parent=comment,
            as_official=True,
        )


def test_replies_go_three_levels_deep_at_most() -> None:
    made = consultation(OrganisationFactory.create())
    someone = person("d@example.org")
    top = services.add_comment(
        consultation=made, by=someone, text="1", paragraph_key=paragraph_key(made, 2)
    )
    second = services.add_comment(consultation=made, by=someone, text="2", parent=top)
    third = services.add_comment(consultation=made, by=someone, text="3", parent=second)
    assert third.depth == 2
    with pytest.raises((services.ConsultationError, services.NotPermitted)):
        services.add_comment(consultation=made, by=someone, text="4", parent=third)


def test_a_revision_carries_every_comment_to_its_paragraph_in_the_new_version() -> None:
    made = consultation(OrganisationFactory.create())
    someone = person("e@example.org")
    same = services.add_comment(
        consultation=made, by=someone, text="a", paragraph_key=paragraph_key(made, 2)
    )
    edited = services.add_comment(
        consultation=made, by=someone, text="b", paragraph_key=paragraph_key(made, 3)
    )
    rewritten = services.add_comment(
        consultation=made, by=someone, text="c", paragraph_key=paragraph_key(made, 5)
    )
    reply = services.add_comment(consultation=made, by=someone, text="d", parent=edited)
    version = services.publish_revision(
        consultation=made, document=REVISED, by=None, check_permission=False
    )
    assert version.number == 2
    for comment in (same, edited, rewritten, reply):
        comment.refresh_from_db()
    assert (same.anchor_version, same.anchor_status, same.anchor_paragraph) == (
        2,
        "unchanged",
        same.paragraph_key,
    )
    assert (edited.anchor_status, edited.anchor_paragraph) == ("edited", edited.paragraph_key)
    assert (rewritten.anchor_status, rewritten.anchor_paragraph) == ("removed", "")
    assert (reply.anchor_status, reply.anchor_paragraph) == ("edited", edited.paragraph_key)


def test_closing_sets_the_close_and_only_editors_may() -> None:
    council = OrganisationFactory.create()
    made = consultation(council)
    with pytest.raises(services.NotPermitted):
        services.close_consultation(consultation=made, by=person("f@example.org"))
    services.close_consultation(consultation=made, by=member(council, "ed@example.org"))
    assert made.status == ConsultationStatus.CLOSED and made.closed_at is not None


def test_moderation_steps_are_logged_with_their_reason_and_never_the_text() -> None:
    made = consultation(OrganisationFactory.create())
    comment = services.add_comment(
        consultation=made,
        by=person("g@example.org"),
        text="Call Jo on 07700 900123",
        paragraph_key=paragraph_key(made, 2),
    )
    moderator = person("mod@example.org", is_moderator=True)
    services.moderate_comments(
        comments=[comment],
        action="redact",
        by=moderator,
        reason="Personal data",
        redacted_text="Call [name removed]",
    )
    comment.refresh_from_db()
    assert comment.text == "Call [name removed]" and comment.redacted
    entry = ModerationLogEntry.objects.get(object_id=comment.key)
    assert entry.reason == "Personal data" and "07700" not in entry.object_label
    services.moderate_comments(comments=[comment], action="hide", by=moderator, reason="Abuse")
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    with pytest.raises(services.ConsultationError):
        services.moderate_comments(comments=[comment], action="hide", by=moderator, reason="")
    with pytest.raises(services.NotPermitted):
        services.moderate_comments(comments=[comment], action="restore", by=person("h@example.org"))
