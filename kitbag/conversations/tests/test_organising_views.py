"""Organisers' pages: start a conversation (without JavaScript), run it, and the sections it adds
to its consultation's and its organisation's pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kitbag.accounts.models import MembershipRole
from kitbag.accounts.tests.factories import UserFactory
from kitbag.consultations.tests.world import consultation as make_consultation
from kitbag.conversations import services
from kitbag.conversations.models import Conversation, Participant, Vote
from kitbag.conversations.services import ConversationSettings
from kitbag.conversations.views import COOKIE
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NEW = reverse("conversations:create")


@pytest.fixture
def council():
    return OrganisationFactory.create(name="Camden Council", slug="camden")


@pytest.fixture
def member(council):
    return UserFactory.create(member_of=council, member_of__role=MembershipRole.MEMBER)


def form_data(council, **changes):
    return {
        "organisation": council.pk,
        "consultation": "",
        "title": "Buses after dark",
        "question": "How late should buses run?",
        "moderation": "strict",
        "participation": "anyone",
        "max_statement_length": "140",
        "seeds": "Buses should run until midnight.\n\nNight buses feel unsafe.\n",
        **changes,
    }


def make(council, member, **changes):
    return services.create_conversation(
        organisation=council,
        settings=ConversationSettings(title="Buses after dark", **changes),
        seed_statements=["Buses should run until midnight.", "Night buses feel unsafe."],
        by=member,
    )


def test_a_member_starts_a_conversation_with_seed_statements_from_the_form(client, council, member):
    client.force_login(member)
    page = client.get(NEW)
    assert page.status_code == 200 and b"Start a conversation" in page.content
    response = client.post(NEW, form_data(council))
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("conversations:manage", args=[conversation.slug])
    assert conversation.owner == council
    assert conversation.statements.count() == 2


def test_a_bad_form_keeps_what_was_typed_and_says_what_is_wrong(client, council, member):
    client.force_login(member)
    response = client.post(
        NEW, form_data(council, max_statement_length="20", title="Buses <after> dark")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "govuk-error-summary" in html
    assert "Statement 1: A statement can be at most 20 characters" in html
    # What was typed is still there, escaped.
    assert 'value="Buses &lt;after&gt; dark"' in html
    assert "Night buses feel unsafe." in html
    assert not Conversation.objects.exists()


def test_people_who_are_not_members_cannot_start_one(client, council):
    assert client.get(NEW).status_code == 302  # sign in first
    client.force_login(UserFactory.create())
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data(council)).status_code == 403
    # Naming an organisation one is not a member of changes nothing either.
    client.force_login(UserFactory.create(member_of=OrganisationFactory.create()))
    response = client.post(NEW + "?organisation=camden", form_data(council))
    assert response.status_code == 400 and not Conversation.objects.exists()


def test_starting_from_a_consultation_fills_it_in(client, council, member):
    consultation = make_consultation(council)
    client.force_login(member)
    page = client.get(NEW + f"?consultation={consultation.slug}")
    assert f'<option value="{consultation.pk}" selected>'.encode() in page.content
    client.post(NEW, form_data(council, consultation=consultation.pk))
    assert Conversation.objects.get().consultation == consultation


def test_organisers_run_it_and_others_are_refused_on_every_page(client, council, member):
    conversation = make(council, member)
    manage = reverse("conversations:manage", args=[conversation.slug])
    posts = {
        reverse("conversations:edit", args=[conversation.slug]): {
            **form_data(council),
            "title": "Taken over",
        },
        reverse("conversations:add_seeds", args=[conversation.slug]): {"text": "Sneaky."},
        reverse("conversations:mark_meta", args=[conversation.slug]): {
            "statement": 0,
            "meta": "yes",
        },
        reverse("conversations:close", args=[conversation.slug]): {"action": "close"},
    }
    client.force_login(UserFactory.create(member_of=OrganisationFactory.create()))
    assert client.get(manage).status_code == 403
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403
    conversation.refresh_from_db()
    assert conversation.title == "Buses after dark" and conversation.statements.count() == 2
    assert not conversation.statements.filter(is_meta=True).exists()
    assert not conversation.is_closed


def test_an_organiser_adds_a_seed_marks_meta_edits_and_closes(client, council, member):
    conversation = make(council, member)
    slug = conversation.slug
    client.force_login(member)
    assert (
        b"Run the conversation" in client.get(reverse("conversations:manage", args=[slug])).content
    )
    client.post(
        reverse("conversations:add_seeds", args=[slug]), {"text": "I am under 25.", "is_meta": "on"}
    )
    assert conversation.statements.get(number=2).is_meta
    client.post(reverse("conversations:mark_meta", args=[slug]), {"statement": 0, "meta": "yes"})
    assert conversation.statements.get(number=0).is_meta
    client.post(reverse("conversations:mark_meta", args=[slug]), {"statement": 0, "meta": "no"})
    assert not conversation.statements.get(number=0).is_meta
    response = client.post(
        reverse("conversations:edit", args=[slug]),
        {**form_data(council), "title": "Night buses", "participation": "signed-in"},
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.title == "Night buses" and not conversation.allow_anonymous
    client.post(reverse("conversations:close", args=[slug]), {"action": "close"})
    conversation.refresh_from_db()
    assert conversation.is_closed
    page = client.get(reverse("conversations:detail", args=[slug]))
    assert b"This conversation closed on" in page.content
    assert b'name="vote"' not in page.content


def test_a_bad_seed_or_setting_shows_the_manage_page_again_with_the_error(client, council, member):
    conversation = make(council, member, max_statement_length=40)
    client.force_login(member)
    response = client.post(
        reverse("conversations:add_seeds", args=[conversation.slug]),
        {"text": "Far too long for the forty characters it is allowed."},
    )
    assert response.status_code == 400
    assert b"A statement can be at most 40 characters" in response.content
    assert b"Far too long for the forty characters it is allowed." in response.content
    response = client.post(
        reverse("conversations:edit", args=[conversation.slug]),
        {**form_data(council), "title": "", "max_statement_length": "20"},
    )
    assert response.status_code == 400 and b"There is a problem" in response.content
    conversation.refresh_from_db()
    assert conversation.title == "Buses after dark" and conversation.statements.count() == 2


def test_a_consultation_page_shows_its_conversations_and_a_conversation_links_back(
    client, council, member
):
    consultation = make_consultation(council)
    conversation = make(council, member, consultation=consultation)
    services.join(conversation=conversation, anonymous_id="someone")
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert conversation.get_absolute_url() in page
    assert "Vote on statements" in page and "1 participant" in page
    back = client.get(conversation.get_absolute_url()).content.decode()
    assert "Part of the consultation" in back and consultation.get_absolute_url() in back


def test_a_draft_consultation_is_not_named_on_its_conversations_page(client, council, member):
    draft = make_consultation(council, publish=False, slug="secret-plans")
    conversation = make(council, member, consultation=draft)
    assert b"secret-plans" not in client.get(conversation.get_absolute_url()).content
    api = client.get(reverse("api_conversation", args=[conversation.slug])).json()
    assert api["consultation_slug"] == "" and api["closed_at"] is None
    client.force_login(member)
    assert b"secret-plans" in client.get(conversation.get_absolute_url()).content


def test_the_organisation_page_lists_open_and_closed_conversations(client, council, member):
    open_one = make(council, member)
    closed = services.create_conversation(
        organisation=council, settings=ConversationSettings(title="Old parks"), by=member
    )
    services.close_conversation(conversation=closed, by=member)
    html = client.get(council.get_absolute_url()).content.decode()
    section = html[html.index('id="conversations"') :]
    assert open_one.title in section and "Old parks" in section
    assert section.index("Open") < section.index(open_one.title) < section.index("Closed")
    assert section.index("Closed") < section.index("Old parks")


def test_an_organisation_without_conversations_shows_no_section_to_the_public(client, council):
    assert b'id="conversations"' not in client.get(council.get_absolute_url()).content


def test_one_anonymous_participant_is_limited_however_many_addresses(
    client, council, member, settings
):
    settings.KITBAG_RATE_LIMITS = {"conversation-participant-votes": "2/m"}
    conversation = make(council, member)
    url = reverse("conversations:vote", args=[conversation.slug])
    client.cookies[COOKIE] = "the-same-cookie"
    answers = [
        client.post(url, {"statement": n % 2, "vote": "agree"}, REMOTE_ADDR=f"10.0.0.{n}")
        for n in range(3)
    ]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert b"You have voted on a great many statements" in answers[2].content
    assert answers[2]["Retry-After"]
    assert Participant.objects.count() == 1 and Vote.objects.count() == 2
    # Another participant at the same address is not held back by the first one's count.
    client.cookies[COOKIE] = "another-cookie"
    assert client.post(url, {"statement": 0, "vote": "pass"}).status_code == 302


def test_one_participants_statements_are_limited_too(client, council, member, settings):
    settings.KITBAG_RATE_LIMITS = {"conversation-participant-statements": "1/m"}
    conversation = make(council, member)
    url = reverse("conversations:add_statement", args=[conversation.slug])
    client.cookies[COOKIE] = "one-cookie"
    assert client.post(url, {"text": "One."}, REMOTE_ADDR="10.0.0.1").status_code == 302
    refused = client.post(url, {"text": "Two."}, REMOTE_ADDR="10.0.0.2")
    assert refused.status_code == 429
    assert b"added a great many statements" in refused.content
    assert conversation.statements.count() == 3


def test_the_organisation_section_costs_one_query_however_many_conversations(
    client, council, member, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make(council, member)
    client.force_login(member)  # signed in: the page is not served from the anonymous cache
    with CaptureQueriesContext(connection) as one:
        client.get(council.get_absolute_url())
    for n in range(5):
        services.create_conversation(
            organisation=council, settings=ConversationSettings(title=f"More {n}"), by=member
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(council.get_absolute_url()).content.decode()
    assert "More 4" in html
