"""A resident votes through a conversation (without JavaScript, then with it) and sees the opinion
map and their group; an organiser moderates a statement. Every page axe-clean."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.conversations import services
from kitbag.conversations.models import Conversation, StatementState
from kitbag.meetings.tests.openness_world import PASSPHRASE, person
from tests.browser.conftest import assert_no_accessibility_violations, assert_reflows, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def conversation() -> Conversation:
    """Two camps of twenty who have already voted on six statements, and an analysis."""
    c = Conversation.objects.create(
        slug="buses", title="Buses in Riverside", question="How should our buses run?"
    )
    for i in range(6):
        services.add_statement(conversation=c, text=f"Bus statement number {i}.", is_seed=True)
    statements = list(c.statements.order_by("number"))
    for p in range(20):
        participant = services.join(conversation=c, anonymous_id=f"camp-{p}")
        for s in statements:
            value = 1 if (p % 2) == (s.number % 2) else -1
            services.cast_vote(conversation=c, participant=participant, statement=s, value=value)
    services.run_analysis(conversation=c)
    return c


def _vote_through(page: Any) -> None:
    for _ in range(6):
        page.get_by_role("button", name="Agree", exact=True).click()
        page.wait_for_load_state()
    expect(page.get_by_text("You have voted on every statement")).to_be_visible()


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_vote_through_a_conversation_and_see_the_map_and_your_group(
    conversation: Conversation, live_server: Any, browser: Any, javascript: bool
) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/conversations/buses/")
    expect(page.locator("h1")).to_have_text("Buses in Riverside", use_inner_text=True)
    expect(page.get_by_role("img", name="Opinion map")).to_be_visible()
    expect(
        page.get_by_role("table", name="Groups and the statements that set each apart")
    ).to_be_visible()
    # axe and the reflow check run scripts in the page, so they audit the run with JavaScript.
    audit = assert_no_accessibility_violations if javascript else (lambda page: None)
    audit(page)
    _vote_through(page)
    # The analysis is debounced; the organiser's command (or the next run) places the newcomer.
    services.run_analysis(conversation=conversation)
    page.reload()
    expect(page.get_by_text("You are in opinion group")).to_be_visible()
    expect(page.locator("svg text", has_text="You")).to_have_count(1)
    audit(page)
    if javascript:
        assert_reflows(page)
    page.get_by_role("link", name="Report: every statement's votes by group").click()
    expect(page.get_by_role("region", name="Votes on every statement")).to_be_visible()
    audit(page)
    context.close()


def test_an_organiser_moderates_a_statement(
    conversation: Conversation, live_server: Any, page: Any
) -> None:
    services.add_statement(conversation=conversation, text="Free buses for everyone under 19.")
    person("organiser@example.com", is_staff=True)
    sign_in(page, live_server, "organiser@example.com", PASSPHRASE)
    page.goto(f"{live_server.url}/conversations/buses/moderation/")
    expect(page.locator("h1")).to_have_text("Moderate statements", use_inner_text=True)
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Show").first.click()
    expect(page.get_by_text("Nothing is waiting.")).to_be_visible()
    assert conversation.statements.get(number=6).state == StatementState.APPROVED


def test_an_organiser_starts_a_conversation_in_a_consultation_and_a_visitor_votes_on_it(
    live_server: Any, browser: Any
) -> None:
    from kitbag.accounts.models import MembershipRole
    from kitbag.consultations.tests.world import consultation as make_consultation
    from kitbag.meetings.tests.openness_world import member_of
    from kitbag.registry.tests.factories import OrganisationFactory

    council = OrganisationFactory.create(name="Riverside Council", slug="riverside")
    consultation = make_consultation(council, slug="library-hours")
    member_of(person("officer@riverside.gov.uk"), council, MembershipRole.MEMBER)

    organiser = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = organiser.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "officer@riverside.gov.uk", PASSPHRASE)
    page.goto(f"{live_server.url}{consultation.get_absolute_url()}")
    page.get_by_role("link", name="Start a conversation in this consultation").click()
    expect(page.locator("h1")).to_have_text("Start a conversation", use_inner_text=True)
    expect(page.get_by_label("Part of a consultation (optional)")).to_have_value(
        str(consultation.pk)
    )
    assert_no_accessibility_violations(page)
    page.get_by_label("Title").fill("Sunday opening")
    page.get_by_label("Opening question").fill("Should the Central Library open on Sundays?")
    page.get_by_label("Seed statements (optional)").fill(
        "The library should open on Sundays.\nI use the library every week.\n"
        "Sunday opening is worth the cost of a weekday morning."
    )
    page.get_by_label("Maximum length of a statement, in characters").fill("10")
    page.get_by_role("button", name="Start the conversation").click()
    # The error is named, and what was typed is kept.
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Sunday opening")
    assert_no_accessibility_violations(page)
    page.get_by_label("Maximum length of a statement, in characters").fill("140")
    page.get_by_role("button", name="Start the conversation").click()
    expect(page.locator("h1")).to_have_text("Run the conversation", use_inner_text=True)
    assert_no_accessibility_violations(page)
    page.get_by_role("row", name="I use the library every week.").get_by_role(
        "button", name="Mark as meta"
    ).click()
    expect(page.get_by_text("Statement 1 is now meta")).to_be_visible()
    assert_no_accessibility_violations(page)
    conversation = Conversation.objects.get(title="Sunday opening")
    assert list(conversation.statements.filter(is_meta=True).values_list("number", flat=True)) == [
        1
    ]
    organiser.close()

    visitor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = visitor.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}{consultation.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Conversations")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Vote on statements").click()
    expect(page.get_by_role("link", name=consultation.title)).to_be_visible()
    # The meta statement is asked first.
    expect(page.locator(".govuk-inset-text").first).to_have_text("I use the library every week.")
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Agree", exact=True).click()
    page.wait_for_load_state()
    vote = conversation.votes.get()
    assert (vote.statement.number, vote.value) == (1, 1)
    visitor.close()
