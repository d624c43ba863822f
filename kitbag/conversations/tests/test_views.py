"""Conversation pages: voting as a form without JavaScript, anonymous participants, moderation."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kitbag.conversations import queries, services
from kitbag.conversations.models import (
    AnalysisRun,
    Conversation,
    Moderation,
    Participant,
    StatementState,
    Vote,
)
from kitbag.conversations.views import COOKIE

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation() -> Conversation:
    c = Conversation.objects.create(slug="buses", title="Buses", question="How should buses run?")
    for text in (
        "Buses should run later.",
        "Fares should be capped.",
        "More routes to the hospital.",
    ):
        services.add_statement(conversation=c, text=text, is_seed=True)
    return c


def test_voting_without_javascript_records_the_vote_and_sets_a_participant_cookie(
    client, conversation, django_capture_on_commit_callbacks
):
    page = client.get(reverse("conversations:detail", kwargs={"slug": "buses"}))
    assert page.status_code == 200
    assert b'name="vote" value="agree"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conversations:vote", kwargs={"slug": "buses"}),
            {"statement": 0, "vote": "agree"},
        )
    assert response.status_code == 302
    assert COOKIE in response.cookies
    vote = Vote.objects.get()
    assert (vote.statement.number, vote.value) == (0, Vote.AGREE)
    # The same cookie is the same participant; a changed vote replaces the first.
    client.post(
        reverse("conversations:vote", kwargs={"slug": "buses"}),
        {"statement": 0, "vote": "disagree"},
    )
    assert Vote.objects.get().value == Vote.DISAGREE
    assert Participant.objects.count() == 1
    # Votes ran an analysis through the task interface.
    assert AnalysisRun.objects.filter(conversation=conversation).exists()


def test_organisers_can_require_sign_in(client, conversation):
    conversation.allow_anonymous = False
    conversation.save()
    response = client.post(
        reverse("conversations:vote", kwargs={"slug": "buses"}), {"statement": 0, "vote": "agree"}
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Vote.objects.exists()
    user = get_user_model().objects.create_user(email="ann@example.com", password="x")
    client.force_login(user)
    client.post(
        reverse("conversations:vote", kwargs={"slug": "buses"}), {"statement": 0, "vote": "pass"}
    )
    assert Vote.objects.get().participant.user == user


def test_statements_wait_for_approval_under_strict_moderation(client, conversation):
    client.post(
        reverse("conversations:add_statement", kwargs={"slug": "buses"}),
        {"text": "Free buses for under-19s."},
    )
    statement = conversation.statements.get(number=3)
    assert statement.state == StatementState.PENDING
    assert statement not in queries.visible_statements(conversation)
    # Nobody can vote on it before approval, whatever they post.
    client.post(
        reverse("conversations:vote", kwargs={"slug": "buses"}), {"statement": 3, "vote": "agree"}
    )
    assert not Vote.objects.filter(statement=statement).exists()


def test_permissive_moderation_shows_statements_at_once(client, conversation):
    conversation.moderation = Moderation.PERMISSIVE
    conversation.save()
    client.post(
        reverse("conversations:add_statement", kwargs={"slug": "buses"}), {"text": "Free buses."}
    )
    assert conversation.statements.get(number=3) in queries.visible_statements(conversation)


def test_statements_longer_than_the_maximum_are_refused(client, conversation):
    client.post(
        reverse("conversations:add_statement", kwargs={"slug": "buses"}), {"text": "x" * 141}
    )
    assert conversation.statements.count() == 3


def test_only_organisers_moderate(client, conversation):
    services.add_statement(conversation=conversation, text="Pending one.")
    url = reverse("conversations:moderation", kwargs={"slug": "buses"})
    assert client.get(url).status_code == 403
    user = get_user_model().objects.create_user(email="bob@example.com", password="x")
    client.force_login(user)
    assert client.post(url, {"statement": 3, "state": "approved"}).status_code == 403
    assert conversation.statements.get(number=3).state == StatementState.PENDING
    user.is_staff = True
    user.save()
    assert client.get(url).status_code == 200
    client.post(url, {"statement": 3, "state": "approved"})
    assert conversation.statements.get(number=3).state == StatementState.APPROVED


def test_map_groups_and_report_pages_show_after_an_analysis(client):
    c = Conversation.objects.create(slug="camps", title="Camps")
    for i in range(6):
        services.add_statement(conversation=c, text=f"Statement {i}", is_seed=True)
    statements = list(c.statements.order_by("number"))
    for p in range(20):
        participant = services.join(conversation=c, anonymous_id=f"p{p}")
        for s in statements:
            value = 1 if (p % 2) == (s.number % 2) else -1
            services.cast_vote(conversation=c, participant=participant, statement=s, value=value)
    services.run_analysis(conversation=c)
    page = client.get(reverse("conversations:detail", kwargs={"slug": "camps"}))
    assert (
        b"<svg" in page.content and b"Groups and the statements that set each apart" in page.content
    )
    client.cookies[COOKIE] = "p0"
    page = client.get(reverse("conversations:detail", kwargs={"slug": "camps"}))
    assert b"You are in opinion group" in page.content
    report = client.get(reverse("conversations:report", kwargs={"slug": "camps"}))
    assert report.status_code == 200 and b"Group B" in report.content


def test_routing_follows_priority_not_a_uniform_draw(conversation):
    # The 2025 Polis bug gave every statement priority 49, making routing uniform.
    run = AnalysisRun.objects.create(
        conversation=conversation,
        fingerprint="x",
        mode="polis",
        code_version="test",
        result={"priority": {"0": 100.0, "1": 1.0, "2": 1.0}},
    )
    rng = random.Random(1)
    picks: Counter[int] = Counter()
    for _ in range(1000):
        chosen = queries.next_statement(
            conversation=conversation, participant=None, run=run, rng=rng
        )
        assert chosen is not None
        picks[chosen.number] += 1
    # 100 / 102 of the draws in expectation; a uniform draw would give about a third.
    assert picks[0] > 900


def test_meta_statements_are_asked_first(conversation):
    services.add_statement(
        conversation=conversation, text="I am under 25.", is_seed=True, is_meta=True
    )
    chosen = queries.next_statement(conversation=conversation, participant=None, run=None)
    assert chosen is not None and chosen.is_meta


def test_the_part_is_on_the_home_page(client, conversation):
    assert b"Conversations" in client.get("/").content


def test_anonymous_votes_are_limited_per_address_however_many_cookies(
    client, conversation, settings
):
    settings.KITBAG_RATE_LIMITS = {"conversation-votes": "3/m"}
    url = reverse("conversations:vote", kwargs={"slug": "buses"})
    answers = []
    for i in range(4):
        client.cookies.clear()  # a fresh "participant" each time, from the same address
        answers.append(client.post(url, {"statement": i % 3, "vote": "agree"}).status_code)
    assert answers == [302, 302, 302, 429]
    assert Vote.objects.count() == 3


def test_new_statements_are_limited_too(client, conversation, settings):
    settings.KITBAG_RATE_LIMITS = {"conversation-statements": "1/m"}
    url = reverse("conversations:add_statement", kwargs={"slug": "buses"})
    assert client.post(url, {"text": "One."}).status_code == 302
    assert client.post(url, {"text": "Two."}).status_code == 429
    assert conversation.statements.count() == 4


def test_a_persons_votes_are_in_their_personal_data_and_outlive_their_account(conversation):
    from kitbag.conversations.personal_data import collect

    user = get_user_model().objects.create_user(email="cy@example.com", password="x")
    participant = services.join(conversation=conversation, user=user)
    statement = conversation.statements.get(number=0)
    services.cast_vote(
        conversation=conversation, participant=participant, statement=statement, value=1
    )
    data = collect(user)["conversations_you_took_part_in"]
    assert data[0]["votes"][0]["vote"] == "agree"
    user.delete()
    participant.refresh_from_db()
    assert participant.user is None and Vote.objects.count() == 1


def test_analysis_runs_are_debounced(conversation, django_capture_on_commit_callbacks):
    participant = services.join(conversation=conversation, anonymous_id="someone")
    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.cast_vote(
                conversation=conversation,
                participant=participant,
                statement=conversation.statements.get(number=number),
                value=1,
            )
    # The first vote ran an analysis; the next two, within the interval, only asked for one.
    assert AnalysisRun.objects.filter(conversation=conversation).count() == 1
    conversation.refresh_from_db()
    assert conversation.analysis_wanted
    # A task that finds nothing wanted does nothing (so a second worker never runs it twice).
    Conversation.objects.filter(pk=conversation.pk).update(analysis_wanted=False)
    assert services.analyse_conversation_task(conversation_id=conversation.pk) is None
