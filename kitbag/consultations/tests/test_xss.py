"""The XSS corpus through comments, display names, quotes and documents: it runs nowhere shown.

As kitbag/accounts/tests/test_xss_fields.py: each page is rendered with harmless text and with
a payload; anything that could run script and appears only with the payload is a failure.
"""

from __future__ import annotations

import pytest
from django.test import Client

from kitbag.consultations import services
from kitbag.consultations.models import Comment
from kitbag.consultations.tests.world import consultation, paragraph_key, person
from kitbag.core.tests.xss_corpus import XSS_PAYLOADS, xss_problems
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HARMLESS = "Harmless text"


def storable(text: str) -> str:
    return text.replace("\x00", "\ufffd")


def main_of(html: str) -> str:
    start = html.index("<main")
    return html[start : html.index("</main>", start) + len("</main>")]


def page_with(text: str) -> str:
    council = OrganisationFactory.create()
    # Each block of the document, the comment, its quote and the name carry the text.
    document = f"# {text}\n\n{text}\n\nPlain paragraph with {text} inside."
    made = consultation(council, slug=f"x{Comment.objects.count()}{len(text)}", document=document)
    made.summary = text
    made.save()
    author = person(f"{made.slug}@example.org", name=storable(text)[:80])
    services.add_comment(
        consultation=made, by=author, text=storable(text), paragraph_key=paragraph_key(made, 2)
    )
    Comment.objects.filter(consultation=made).update(quote_exact=storable(text))
    return main_of(Client().get(made.get_absolute_url()).content.decode())


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_in_documents_and_comments_run_nowhere(payload: str) -> None:
    harmless = page_with(HARMLESS)
    assert HARMLESS in harmless
    baseline = set(xss_problems(harmless))
    assert [p for p in xss_problems(page_with(storable(payload))) if p not in baseline] == []
