"""Conversations in the API: reads for anyone, votes for signed-in people, moderation respected."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from kitbag.conversations import services
from kitbag.conversations.models import Conversation, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation() -> Conversation:
    c = Conversation.objects.create(slug="buses", title="Buses")
    services.add_statement(conversation=c, text="Buses should run later.", is_seed=True)
    services.add_statement(conversation=c, text="Waiting for a moderator.")
    return c


def test_conversation_and_only_shown_statements_are_listed(client, conversation):
    assert client.get("/api/v1/conversations/buses").json()["title"] == "Buses"
    body = client.get("/api/v1/conversations/buses/statements").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [r["id"] for r in rows] == [0]
    assert client.get("/api/v1/conversations/nowhere").status_code == 404


def test_votes_need_a_signed_in_person_and_a_shown_statement(client, conversation):
    assert client.post(
        "/api/v1/conversations/buses/votes", {"statement": 0, "vote": "agree"}
    ).status_code in (401, 403)
    user = get_user_model().objects.create_user(email="ann@example.com", password="x")
    client.force_login(user)
    ok = client.post(
        "/api/v1/conversations/buses/votes",
        {"statement": 0, "vote": "agree"},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    assert Vote.objects.get().value == 1
    pending = client.post(
        "/api/v1/conversations/buses/votes",
        {"statement": 1, "vote": "agree"},
        content_type="application/json",
    )
    assert pending.status_code == 400
    assert Vote.objects.count() == 1


def test_the_latest_analysis_comes_with_its_parameters(client, conversation):
    assert client.get("/api/v1/conversations/buses/analysis").status_code == 404
    services.run_analysis(conversation=conversation)
    body = client.get("/api/v1/conversations/buses/analysis").json()
    assert body["mode"] == "polis"
    assert body["parameters"]["base_k"] == 100
    assert len(body["fingerprint"]) == 64
    assert "k_reason" in body and "silhouettes" in body


def test_a_conversation_without_an_owner_says_so(client, conversation):
    assert client.get("/api/v1/conversations/buses").json()["owner"] is None
