from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kitbag.consultations import services
from kitbag.consultations.models import Comment, Consultation
from kitbag.consultations.tests.world import REVISED, consultation, member, paragraph_key, person
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_consultation_page_numbers_paragraphs_and_links_to_comment_on_each() -> None:
    made = consultation(OrganisationFactory.create())
    page = signed_in(person("a@example.org")).get(made.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200
    assert "Comment on paragraph 2" in text and "Comment on paragraph 5" in text
    anonymous = Client().get(made.get_absolute_url()).content.decode()
    assert "Sign in to comment on paragraph 2" in anonymous


def test_commenting_without_javascript_through_the_form_page() -> None:
    made = consultation(OrganisationFactory.create())
    resident = person("b@example.org", name=None)
    client = signed_in(resident)
    url = reverse("consultations:comment_form", args=[made.slug, paragraph_key(made, 2)])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"paragraph": paragraph_key(made, 2), "text": "Yes please"})
    assert refused.status_code == 200 and "Agree to publishing" in refused.content.decode()
    assert "Yes please" in refused.content.decode()  # what was typed is kept
    sent = client.post(
        url,
        {
            "paragraph": paragraph_key(made, 2),
            "text": "Yes please",
            "display_name": "Pat",
            "consent": "on",
            "quote_exact": "on Sundays",
            "quote_prefix": "Library ",
            "quote_suffix": " from",
        },
    )
    assert sent.status_code == 302
    comment = Comment.objects.get()
    assert (comment.display_name, comment.quote_exact) == ("Pat", "on Sundays")
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Pat" in page and "b@example.org" not in page
    # Consent is asked once.
    again = client.get(url).content.decode()
    assert "I agree that my comments" not in again


def test_an_officer_answers_and_the_answer_rate_moves() -> None:
    council = OrganisationFactory.create()
    made = consultation(council)
    comment = services.add_comment(
        consultation=made,
        by=person("c@example.org"),
        text="Later hours?",
        paragraph_key=paragraph_key(made, 2),
    )
    before = Client().get(made.get_absolute_url()).content.decode()
    assert "0% (0 of 1)" in before
    officer = signed_in(member(council, "o@example.org", role="member"))
    queue = officer.get(reverse("consultations:unanswered_queue", args=[made.slug]))
    assert "Later hours?" in queue.content.decode()
    officer.post(
        reverse("consultations:reply_form", args=[made.slug, comment.key]),
        {"text": "Yes, until 8pm.", "as_official": "on"},
    )
    after = Client().get(made.get_absolute_url()).content.decode()
    assert "100% (1 of 1)" in after
    assert f"Official response from {council.display_name}" in after


def test_a_revision_shows_changed_since_this_comment_with_the_word_diff() -> None:
    council = OrganisationFactory.create()
    made = consultation(council)
    services.add_comment(
        consultation=made,
        by=person("d@example.org"),
        text="Mondays!",
        paragraph_key=paragraph_key(made, 3),
    )
    editor = signed_in(member(council, "e@example.org"))
    response = editor.post(
        reverse("consultations:consultation_revise", args=[made.slug]), {"document": REVISED}
    )
    assert response.status_code == 302
    page = Client().get(made.get_absolute_url()).content.decode()
    assert "Changed since this comment" in page and "On version 1" in page
    assert "<ins>" in page
    old = Client().get(made.get_absolute_url() + "?version=1").content.decode()
    assert "You are reading version 1" in old


def test_editors_create_a_draft_from_a_word_document_and_publish_it(tmp_path: object) -> None:
    import io

    import docx

    council = OrganisationFactory.create()
    editor = signed_in(member(council, "w@example.org"))
    document = docx.Document()
    document.add_heading("Parking charges", level=1)
    document.add_paragraph("We propose a new charge for the seafront car park.")
    document.add_paragraph("Residents' permits stay free.")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = "proposal.docx"
    response = editor.post(
        reverse("consultations:consultation_create"),
        {
            "organisation": str(council.pk),
            "title": "Seafront parking",
            "closes": "30/6/2030",
            "moderation": "post",
            "document_file": buffer,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Consultation.objects.get(title="Seafront parking")
    assert [p.kind for p in made.versions.get().paragraphs.order_by("position")] == [
        "heading",
        "paragraph",
        "paragraph",
    ]
    assert Client().get(made.get_absolute_url()).status_code == 404  # a draft
    editor.post(reverse("consultations:consultation_publish", args=[made.slug]))
    assert Client().get(made.get_absolute_url()).status_code == 200


def test_the_create_form_keeps_what_was_typed_when_it_refuses() -> None:
    council = OrganisationFactory.create()
    editor = signed_in(member(council, "k@example.org"))
    response = editor.post(
        reverse("consultations:consultation_create"),
        {
            "organisation": str(council.pk),
            "title": "Kept title",
            "moderation": "post",
            "document": "",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200 and "Kept title" in text and "There is a problem" in text


def test_the_list_finds_consultations_by_words_of_their_document_and_filters() -> None:
    council = OrganisationFactory.create()
    consultation(council)
    consultation(council, slug="a-draft", publish=False)
    found = (
        Client()
        .get(reverse("consultations:consultation_list") + "?q=self-service")
        .content.decode()
    )
    assert "Library opening hours" in found and "1 consultation" in found
    none = (
        Client().get(reverse("consultations:consultation_list") + "?status=closed").content.decode()
    )
    assert "No consultation matches" in none


def test_the_organisation_page_shows_its_consultations_and_answer_rate() -> None:
    council = OrganisationFactory.create()
    consultation(council)
    page = Client().get(council.get_absolute_url()).content.decode()
    assert (
        "Consultations" in page and "Library opening hours" in page and "Comments answered" in page
    )


def test_downloads_feed_and_policy_pages() -> None:
    made = consultation(OrganisationFactory.create())
    services.add_comment(
        consultation=made,
        by=person("f@example.org"),
        text="=SUM(A1)",
        paragraph_key=paragraph_key(made, 2),
    )
    response = Client().get(reverse("consultations:comments_csv", args=[made.slug]))
    csv = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert "'=SUM(A1)" in csv and csv.splitlines()[0].lstrip("\ufeff").startswith(
        "id,created,author"
    )
    feed = Client().get(reverse("consultations:comments_feed", args=[made.slug]))
    assert feed.status_code == 200 and b"Comment by Sam" in feed.content
    assert Client().get(reverse("consultations:moderation_policy")).status_code == 200


def test_moderators_hide_comments_in_bulk_from_their_queue() -> None:
    made = consultation(OrganisationFactory.create())
    author = person("g@example.org")
    first = services.add_comment(
        consultation=made, by=author, text="one", paragraph_key=paragraph_key(made, 2)
    )
    services.flag_comment(comment=first, reason="rude", by=person("h@example.org"))
    moderator = signed_in(person("m@example.org", is_moderator=True))
    queue = moderator.get(reverse("consultations:moderation_queue"))
    assert "rude" in queue.content.decode()
    moderator.post(
        reverse("consultations:moderation_queue"),
        {"comments": [first.key], "action": "hide", "reason": "Abusive"},
    )
    first.refresh_from_db()
    assert first.state == "hidden"
    assert signed_in(author).get(reverse("consultations:moderation_queue")).status_code == 403


def test_near_identical_comments_are_shown_once_with_their_variants() -> None:
    made = consultation(OrganisationFactory.create())
    campaign = (
        "I object to closing the library on Monday mornings because older residents and "
        "parents of young children rely on it for rhyme time and the home library service."
    )
    for n, name in enumerate(("Ann", "Bob", "Cy")):
        services.add_comment(
            consultation=made,
            by=person(f"camp{n}@example.org", name=name),
            text=campaign + (" Signed, a resident." if n == 2 else ""),
            paragraph_key=paragraph_key(made, 3),
        )
    services.add_comment(
        consultation=made,
        by=person("own@example.org", name="Dee"),
        text="Open Sundays please.",
        paragraph_key=paragraph_key(made, 2),
    )
    page = Client().get(made.get_absolute_url()).content.decode()
    assert "3 people sent this text" in page and "Show the 2 variants" in page
    assert page.count("I object to closing") == 3  # the leader, and each variant inside details


def test_the_document_page_makes_the_same_number_of_queries_however_many_comments() -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    made = consultation(OrganisationFactory.create())
    someone = person("many@example.org")
    reader = Client()

    def count() -> int:
        reset_queries()  # each request empties the log as it starts: count from an empty one
        with CaptureQueriesContext(connection) as queries:
            assert reader.get(made.get_absolute_url()).status_code == 200
        return len(queries)

    services.add_comment(
        consultation=made, by=someone, text="first", paragraph_key=paragraph_key(made, 2)
    )
    few = count()
    for n in range(12):
        top = services.add_comment(
            consultation=made,
            by=someone,
            text=f"comment number {n} about hours",
            paragraph_key=paragraph_key(made, 2 + n % 4),
        )
        services.add_comment(consultation=made, by=someone, text=f"reply {n}", parent=top)
    services.publish_revision(consultation=made, document=REVISED, by=None, check_permission=False)
    assert few > 5
    assert count() <= few + 1  # the revision adds one version's paragraphs, prefetched at once


def test_a_paragraph_with_many_comments_shows_the_first_few_and_links_to_all() -> None:
    made = consultation(OrganisationFactory.create())
    someone = person("lots@example.org")
    for n in range(5):
        services.add_comment(
            consultation=made,
            by=someone,
            text=f"distinct remark {n} " + "word " * n,
            paragraph_key=paragraph_key(made, 2),
        )
    page = Client().get(made.get_absolute_url()).content.decode()
    assert "2 more comments on paragraph 2" in page and "distinct remark 4" not in page
    whole = Client().get(made.get_absolute_url() + f"?paragraph={paragraph_key(made, 2)}")
    assert "distinct remark 4" in whole.content.decode()
    assert Client().get(made.get_absolute_url() + "?paragraph=nope").status_code == 404
