"""Conversations in the site-wide search: their title, question and the statements anyone may
see; a statement hidden by a moderator stops finding the conversation at once."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kitbag.conversations import services
from kitbag.conversations.models import Conversation, Moderation, StatementState
from kitbag.conversations.search_documents import DOC_TYPE
from kitbag.search.models import SearchDocument
from kitbag.search.queries import site_search

pytestmark = pytest.mark.django_db

TINY = Path(__file__).parent / "fixtures" / "tiny"


def _found(query: str) -> list[str]:
    return [hit.object_id for hit in site_search(query=query).hits if hit.doc_type == DOC_TYPE]


@pytest.fixture
def buses() -> Conversation:
    conversation = Conversation.objects.create(
        slug="buses", title="Buses", question="How should the buses run?"
    )
    services.add_statement(conversation=conversation, text="Fares should be capped.", is_seed=True)
    return conversation


def test_a_conversation_is_found_by_its_title_question_and_shown_statements(
    buses: Conversation,
) -> None:
    for query in ("buses", "run", "fares"):
        assert _found(query) == [str(buses.pk)], query
    (hit,) = site_search(query="fares").hits
    assert hit.url == "/conversations/buses/"


def test_a_statement_waiting_for_a_moderator_is_not_searchable_until_approved(
    buses: Conversation,
) -> None:
    participant = services.join(conversation=buses, anonymous_id="someone")
    waiting = services.add_statement(
        conversation=buses, text="Trams instead of buses.", author=participant
    )
    assert buses.moderation == Moderation.STRICT
    assert _found("trams") == []
    services.moderate_statement(statement=waiting, state=StatementState.APPROVED)
    assert _found("trams") == [str(buses.pk)]


def test_a_hidden_statement_stops_finding_the_conversation(buses: Conversation) -> None:
    rude = services.add_statement(conversation=buses, text="Drivers are hopeless.", is_seed=True)
    assert _found("hopeless") == [str(buses.pk)]
    services.moderate_statement(statement=rude, state=StatementState.HIDDEN)
    assert _found("hopeless") == []
    assert _found("fares") == [str(buses.pk)]


def test_an_imported_conversation_is_indexed_without_its_hidden_statements() -> None:
    call_command("import_polis", str(TINY), "--slug", "town", "--no-analysis", stdout=StringIO())
    town = Conversation.objects.get(slug="town")
    assert _found("parking") == [str(town.pk)]
    assert _found("spam") == []


def test_importing_again_indexes_a_conversation_imported_before_it_was_searchable() -> None:
    call_command("import_polis", str(TINY), "--slug", "town", "--no-analysis", stdout=StringIO())
    SearchDocument.objects.filter(doc_type=DOC_TYPE).delete()
    out = StringIO()
    call_command("import_polis", str(TINY), "--slug", "town", "--no-analysis", stdout=out)
    assert "unchanged" in out.getvalue()
    assert SearchDocument.objects.filter(doc_type=DOC_TYPE).count() == 1
