"""Organisers' writes: creating, changing, seeding, meta, closing; every one checked and logged."""

from __future__ import annotations

import pytest

from kitbag.accounts.models import MembershipRole, ModerationLogEntry
from kitbag.accounts.tests.factories import UserFactory
from kitbag.consultations.tests.world import consultation as make_consultation
from kitbag.conversations import services
from kitbag.conversations.models import Conversation, Moderation, StatementState
from kitbag.conversations.services import ConversationError, ConversationSettings, NotPermitted
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return OrganisationFactory.create(name="Camden Council", slug="camden")


@pytest.fixture
def member(council):
    return UserFactory.create(member_of=council, member_of__role=MembershipRole.MEMBER)


def settings(**changes) -> ConversationSettings:
    return ConversationSettings(**{"title": "Buses after dark", **changes})


def test_a_verified_member_creates_a_conversation_with_seed_statements(council, member):
    conversation = services.create_conversation(
        organisation=council,
        settings=settings(question="How late should buses run?", allow_anonymous=False),
        seed_statements=["Buses should run until midnight.", "Night buses feel unsafe."],
        by=member,
    )
    assert conversation.owner == council and conversation.created_by == member
    assert conversation.slug == "buses-after-dark" and not conversation.allow_anonymous
    seeds = list(conversation.statements.values_list("text", "is_seed", "state"))
    assert seeds == [
        ("Buses should run until midnight.", True, StatementState.APPROVED),
        ("Night buses feel unsafe.", True, StatementState.APPROVED),
    ]
    entry = ModerationLogEntry.objects.get(action="conversation-created")
    assert entry.object_label == "Buses after dark" and entry.actor_label == "an organiser"


def test_people_outside_the_organisation_may_not_create_or_run_it(council, member):
    stranger = UserFactory.create(member_of=OrganisationFactory.create())
    with pytest.raises(NotPermitted):
        services.create_conversation(organisation=council, settings=settings(), by=stranger)
    conversation = services.create_conversation(
        organisation=council, settings=settings(), by=member
    )
    for write in (
        lambda: services.update_conversation(
            conversation=conversation, settings=settings(title="Mine"), by=stranger
        ),
        lambda: services.add_seed_statements(
            conversation=conversation, texts=["Sneaky."], by=stranger
        ),
        lambda: services.close_conversation(conversation=conversation, by=stranger),
    ):
        with pytest.raises(NotPermitted):
            write()
    conversation.refresh_from_db()
    assert conversation.title == "Buses after dark" and not conversation.statements.exists()
    assert not conversation.is_closed


def test_a_seed_statement_too_long_names_its_line_and_adds_nothing(council, member):
    with pytest.raises(ConversationError, match="Statement 2: A statement can be at most 20") as e:
        services.create_conversation(
            organisation=council,
            settings=settings(max_statement_length=20),
            seed_statements=["Short enough.", "This one is far too long to be a statement."],
            by=member,
        )
    assert e.value.field == "seeds"
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"max_statement_length": 5}, "max_statement_length"),
        ({"max_statement_length": 5000}, "max_statement_length"),
        ({"moderation": "anything"}, "moderation"),
    ],
)
def test_bad_settings_name_their_field_and_change_nothing(council, member, changes, field):
    with pytest.raises(ConversationError) as error:
        services.create_conversation(organisation=council, settings=settings(**changes), by=member)
    assert error.value.field == field
    assert not Conversation.objects.exists()


def test_a_conversation_is_part_only_of_its_owners_consultations(council, member):
    ours = make_consultation(council, slug="ours")
    theirs = make_consultation(OrganisationFactory.create(), slug="theirs")
    with pytest.raises(ConversationError, match="organisation's own consultations"):
        services.create_conversation(
            organisation=council, settings=settings(consultation=theirs), by=member
        )
    conversation = services.create_conversation(
        organisation=council, settings=settings(consultation=ours), by=member
    )
    assert conversation.consultation == ours
    assert list(ours.conversations.all()) == [conversation]


def test_settings_change_and_are_logged(council, member):
    conversation = services.create_conversation(
        organisation=council, settings=settings(), by=member
    )
    services.update_conversation(
        conversation=conversation,
        settings=settings(title="Buses at night", moderation=Moderation.PERMISSIVE),
        by=member,
    )
    conversation.refresh_from_db()
    assert conversation.title == "Buses at night"
    assert conversation.moderation == Moderation.PERMISSIVE
    assert ModerationLogEntry.objects.filter(action="conversation-changed").exists()


def test_marking_meta_is_logged_and_asks_for_an_analysis(
    council, member, django_capture_on_commit_callbacks
):
    conversation = services.create_conversation(
        organisation=council, settings=settings(), seed_statements=["I am under 25."], by=member
    )
    statement = conversation.statements.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_meta(statement=statement, is_meta=True, by=member)
    statement.refresh_from_db()
    conversation.refresh_from_db()
    assert statement.is_meta
    assert ModerationLogEntry.objects.get(action="statement-marked-meta").reason == "statement 0"
    services.mark_meta(statement=statement, is_meta=False, by=member)
    statement.refresh_from_db()
    assert not statement.is_meta


def test_a_closed_conversation_takes_no_statements_or_votes_until_reopened(council, member):
    conversation = services.create_conversation(
        organisation=council, settings=settings(), seed_statements=["One."], by=member
    )
    participant = services.join(conversation=conversation, anonymous_id="abc")
    services.close_conversation(conversation=conversation, by=member)
    statement = conversation.statements.get()
    with pytest.raises(ConversationError, match="closed"):
        services.cast_vote(
            conversation=conversation, participant=participant, statement=statement, value=1
        )
    with pytest.raises(ConversationError, match="closed"):
        services.add_statement(conversation=conversation, text="Two.", author=participant)
    with pytest.raises(ConversationError, match="Reopen"):
        services.add_seed_statements(conversation=conversation, texts=["Two."], by=member)
    with pytest.raises(ConversationError, match="already closed"):
        services.close_conversation(conversation=conversation, by=member)
    services.reopen_conversation(conversation=conversation, by=member)
    services.cast_vote(
        conversation=conversation, participant=participant, statement=statement, value=1
    )
    assert list(ModerationLogEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "conversation-created",
        "conversation-closed",
        "conversation-reopened",
    ]


def test_statements_refuse_control_characters(council, member):
    conversation = services.create_conversation(
        organisation=council, settings=settings(), by=member
    )
    with pytest.raises(ConversationError, match="control character"):
        services.add_seed_statements(conversation=conversation, texts=["Bad\x00one"], by=member)
    assert not conversation.statements.exists()


def test_moderation_by_a_person_is_checked_and_logged(council, member):
    conversation = services.create_conversation(
        organisation=council, settings=settings(), by=member
    )
    statement = services.add_statement(conversation=conversation, text="Waiting.")
    with pytest.raises(NotPermitted):
        services.moderate_statement(
            statement=statement, state=StatementState.APPROVED, by=UserFactory.create()
        )
    services.moderate_statement(statement=statement, state=StatementState.APPROVED, by=member)
    assert ModerationLogEntry.objects.filter(action="statement-approved").exists()


def test_a_title_spelling_new_gets_another_slug(council, member):
    conversation = services.create_conversation(
        organisation=council, settings=settings(title="New"), by=member
    )
    assert conversation.slug == "new-2"


def test_a_new_conversation_is_announced_to_its_organisations_and_consultations_followers(
    council, member
):
    from kitbag.core.happenings import Happening, add_happening_receiver, remove_happening_receiver

    heard: list[Happening] = []
    add_happening_receiver("test-conversations", heard.append)
    try:
        published = make_consultation(council, slug="ours")
        draft = make_consultation(council, slug="draft", publish=False)
        one = services.create_conversation(
            organisation=council, settings=settings(consultation=published), by=member
        )
        two = services.create_conversation(
            organisation=council, settings=settings(title="Quiet", consultation=draft), by=member
        )
    finally:
        remove_happening_receiver("test-conversations")
    opened = [h for h in heard if h.kind == "conversation-opened"]
    assert opened[0].title == "Camden Council opened a conversation: Buses after dark"
    assert set(opened[0].concerns) == {
        f"conversation:{one.pk}",
        f"organisation:{council.pk}",
        f"consultation:{published.pk}",
    }
    # A draft consultation's followers hear nothing of it through its conversations.
    assert set(opened[1].concerns) == {f"conversation:{two.pk}", f"organisation:{council.pk}"}


def test_conversations_a_person_started_are_in_their_personal_data(council, member):
    from kitbag.conversations.personal_data import collect

    services.create_conversation(organisation=council, settings=settings(), by=member)
    assert collect(member)["conversations_you_started"] == [
        {"conversation": "Buses after dark", "organisation": "Camden Council"}
    ]
    member.delete()
    assert Conversation.objects.get().created_by is None
