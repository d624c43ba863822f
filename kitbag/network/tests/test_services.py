"""The network's writes: what people offer, the contact relay, reports and mentoring."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage

from kitbag.accounts.models import ModerationLogEntry
from kitbag.accounts.tests.factories import UserFactory
from kitbag.network import services
from kitbag.network.models import (
    FreeTag,
    HelpOffer,
    MentoringRequest,
    MentoringState,
    Message,
    MessageReport,
    Offer,
)
from kitbag.network.services import NetworkError, NotPermitted
from kitbag.network.tests.factories import Lgsl, person, profile_of
from kitbag.search.models import SearchDocument

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def _headers_and_text(email: EmailMessage) -> str:
    message = email.message()
    return message.as_string()


def assert_reveals_nobody(email: EmailMessage, *addresses: str) -> None:
    """Neither the headers (From, Reply-To, Cc, Bcc...) nor the text carry any of `addresses`."""
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.reply_to == []
    assert email.cc == [] and email.bcc == []
    whole = _headers_and_text(email).lower()
    for address in addresses:
        assert address.lower() not in whole


def test_tags_are_kept_lower_case_without_repeats_in_the_order_given() -> None:
    assert services.clean_tags(" Chatbots, agile  Procurement,chatbots, ,") == [
        "chatbots",
        "agile procurement",
    ]


def test_saving_what_a_person_offers_replaces_their_tags_and_services(lgsl: Lgsl) -> None:
    helper = person(name="Ada", services_known=["524"], tags=["chatbots", "bins"])
    services.save_help_offer(
        user=helper,
        services=[lgsl.council_tax],
        tags=["bins", "Payments"],
        offers=[Offer.MENTOR, Offer.TALK],
        accepts_messages=True,
    )
    offer = HelpOffer.objects.get(user=helper)
    assert [c.code for c in offer.services.all()] == ["59"]
    assert sorted(FreeTag.objects.filter(help_offer=offer).values_list("name", flat=True)) == [
        "bins",
        "payments",
    ]
    # Stored in the list's order, whatever order they were ticked in.
    assert offer.offers == [Offer.TALK, Offer.MENTOR]


def test_too_many_tags_and_unknown_offers_are_refused(lgsl: Lgsl) -> None:
    helper = person(name="Ada")
    with pytest.raises(NetworkError) as error:
        services.save_help_offer(
            user=helper,
            services=[],
            tags=[f"tag {n}" for n in range(13)],
            offers=[],
            accepts_messages=False,
        )
    assert error.value.field == "tags"
    with pytest.raises(NetworkError) as error:
        services.save_help_offer(
            user=helper, services=[], tags=[], offers=["sell-things"], accepts_messages=False
        )
    assert error.value.field == "offers"


def _document(user: Any) -> SearchDocument | None:
    return SearchDocument.objects.filter(
        doc_type="person", object_id=str(profile_of(user).pk)
    ).first()


def test_a_public_profile_is_indexed_with_its_services_tags_and_offers(lgsl: Lgsl) -> None:
    helper = person(
        name="Ada Officer",
        services_known=["524"],
        tags=["Chatbots"],
        offers=[Offer.MENTOR],
    )
    document = _document(helper)
    assert document is not None and document.is_public
    assert document.title == "Ada Officer"
    assert document.facets["service"] == ["524"]
    assert document.facets["tag"] == ["chatbots"]
    assert document.facets["offer"] == ["mentor"]


def test_a_private_profile_is_never_indexed_and_going_private_removes_it(lgsl: Lgsl) -> None:
    hidden = person(name="Hidden Person", public=False, tags=["chatbots"])
    assert _document(hidden) is None
    shown = person(name="Shown Person", tags=["chatbots"])
    assert _document(shown) is not None
    profile = profile_of(shown)
    profile.is_public = False
    profile.save()
    assert _document(shown) is None


def test_a_deactivated_account_and_an_erased_one_leave_search(lgsl: Lgsl) -> None:
    from kitbag.accounts.services.personal_data import erase_account

    deactivated = person(name="Gone Quiet")
    deactivated.is_active = False
    deactivated.save()
    assert _document(deactivated) is None
    erased = person(name="Erased Person", tags=["chatbots"])
    profile_id = profile_of(erased).pk
    erase_account(user=erased, by=erased)
    assert not SearchDocument.objects.filter(doc_type="person", object_id=str(profile_id)).exists()


def test_the_organisation_is_searchable_only_while_the_membership_is_active(lgsl: Lgsl) -> None:
    from kitbag.network.tests.factories import end_memberships
    from kitbag.registry.tests.factories import OrganisationFactory

    camden = OrganisationFactory.create(name="Camden Council")
    helper = person(name="Ada", organisation=camden)
    document = _document(helper)
    assert document is not None and document.facets["organisation"] == [camden.slug]
    end_memberships(helper)
    document = _document(helper)
    assert document is not None and "organisation" not in document.facets
    assert "Camden" not in document.extra


# --- The relay ---------------------------------------------------------------------------------


def _helper(**kwargs: Any) -> Any:
    defaults: dict[str, Any] = {
        "name": "Ada Helper",
        "email": "ada@camden.gov.uk",
        "accepts_messages": True,
        "offers": [Offer.TALK, Offer.MENTOR],
    }
    return person(**{**defaults, **kwargs})


def test_asking_for_help_emails_the_recipient_without_either_address(
    lgsl: Lgsl, django_capture_on_commit_callbacks: Capture
) -> None:
    helper = _helper()
    asker = person(name="Bob Asker", email="bob@bristol.gov.uk", public=False)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.ask_for_help(
            sender=asker,
            profile=profile_of(helper),
            subject="Chatbots for bins",
            body="How did you run the pilot?",
            shows_address=False,
        )
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ada@camden.gov.uk"]
    assert_reveals_nobody(email, "bob@bristol.gov.uk", "bristol.gov.uk")
    assert "How did you run the pilot?" in email.body
    assert f"/people/messages/{message.pk}/" in email.body
    # The asker's profile is private, so not even their name is given.
    assert "Bob Asker" not in email.body
    # Logged: the message is stored.
    assert Message.objects.filter(pk=message.pk, sender=asker, recipient=helper).exists()


def test_a_sender_who_chooses_to_show_their_address_has_it_in_the_text_only(
    lgsl: Lgsl, django_capture_on_commit_callbacks: Capture
) -> None:
    helper = _helper()
    asker = person(name="Bob Asker", email="bob@bristol.gov.uk")
    with django_capture_on_commit_callbacks(execute=True):
        services.ask_for_help(
            sender=asker,
            profile=profile_of(helper),
            subject="",
            body="Hello",
            shows_address=True,
        )
    email = mail.outbox[0]
    assert "bob@bristol.gov.uk" in email.body
    assert "Bob Asker" in email.body  # their profile is public
    assert email.reply_to == [] and email.from_email == settings.DEFAULT_FROM_EMAIL
    assert "bob@" not in str(email.message()["From"]) + str(email.message()["Reply-To"])


def test_a_reply_is_relayed_to_the_asker_without_the_helpers_address(
    lgsl: Lgsl, django_capture_on_commit_callbacks: Capture
) -> None:
    helper = _helper()
    asker = person(name="Bob", email="bob@bristol.gov.uk")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.ask_for_help(
            sender=asker, profile=profile_of(helper), subject="Q", body="Hi", shows_address=False
        )
        reply = services.reply_to_message(
            thread=first, by=helper, body="Happy to talk", shows_address=False
        )
    assert reply.thread == first and reply.recipient == asker
    email = mail.outbox[-1]
    assert email.to == ["bob@bristol.gov.uk"]
    assert_reveals_nobody(email, "ada@camden.gov.uk")
    assert "Happy to talk" in email.body


@pytest.mark.parametrize(
    ("public", "accepts", "reason"),
    [
        (False, True, "private profile"),
        (True, False, "does not accept messages"),
    ],
    ids=["private", "not-accepting"],
)
def test_nobody_can_write_to_a_private_profile_or_one_that_accepts_no_messages(
    lgsl: Lgsl, public: bool, accepts: bool, reason: str
) -> None:
    helper = _helper(public=public, accepts_messages=accepts)
    asker = person(name="Bob")
    with pytest.raises(NotPermitted):
        services.ask_for_help(
            sender=asker, profile=profile_of(helper), subject="", body="Hi", shows_address=False
        )
    assert not Message.objects.exists()


def test_a_person_cannot_write_to_themselves(lgsl: Lgsl) -> None:
    helper = _helper()
    with pytest.raises(NotPermitted):
        services.ask_for_help(
            sender=helper, profile=profile_of(helper), subject="", body="Hi", shows_address=False
        )


def test_only_the_recipient_may_report_and_moderators_are_told(
    lgsl: Lgsl, django_capture_on_commit_callbacks: Capture
) -> None:
    helper = _helper()
    asker = person(name="Bob", email="bob@bristol.gov.uk")
    moderator = UserFactory.create(email="mod@kitbag.example", is_moderator=True)
    message = services.ask_for_help(
        sender=asker,
        profile=profile_of(helper),
        subject="",
        body="Buy my product",
        shows_address=False,
    )
    with pytest.raises(NotPermitted):
        services.report_message(message=message, by=asker, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_message(message=message, by=helper, reason="It is an advert")
    assert [email.to for email in mail.outbox] == [["mod@kitbag.example"]]
    assert_reveals_nobody(mail.outbox[0], "ada@camden.gov.uk", "bob@bristol.gov.uk")
    with pytest.raises(NotPermitted):
        services.resolve_report(report=report, by=helper, outcome="fine")
    services.resolve_report(report=report, by=moderator, outcome="Warned the sender")
    report.refresh_from_db()
    assert report.resolved_at is not None and report.resolved_by == moderator
    entry = ModerationLogEntry.objects.get(action="resolved-message-report")
    assert entry.visibility == ModerationLogEntry.Visibility.MODERATORS
    assert entry.reason == "Warned the sender"
    with pytest.raises(NetworkError):
        services.resolve_report(report=report, by=moderator, outcome="again")
    assert MessageReport.objects.count() == 1


# --- Mentoring ---------------------------------------------------------------------------------


def test_mentoring_is_asked_only_of_someone_who_offers_it(lgsl: Lgsl) -> None:
    talker = _helper(offers=[Offer.TALK])
    with pytest.raises(NotPermitted):
        services.ask_for_mentoring(
            mentee=person(name="Bob"), profile=profile_of(talker), about="Help", shows_address=False
        )


def test_a_mentor_accepts_and_the_mentee_is_told_without_the_mentors_address(
    lgsl: Lgsl, django_capture_on_commit_callbacks: Capture
) -> None:
    mentor = _helper()
    mentee = person(name="Bob", email="bob@bristol.gov.uk")
    with django_capture_on_commit_callbacks(execute=True):
        request = services.ask_for_mentoring(
            mentee=mentee, profile=profile_of(mentor), about="Agile coaching", shows_address=False
        )
    assert request.state == MentoringState.PENDING
    assert mail.outbox[0].to == ["ada@camden.gov.uk"]
    assert_reveals_nobody(mail.outbox[0], "bob@bristol.gov.uk")
    with pytest.raises(NetworkError):
        services.ask_for_mentoring(
            mentee=mentee, profile=profile_of(mentor), about="Again", shows_address=False
        )
    with pytest.raises(NotPermitted):
        services.decide_mentoring(
            request=request, by=mentee, accept=True, answer="", shows_address=False
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_mentoring(
            request=request, by=mentor, accept=True, answer="Gladly", shows_address=False
        )
    request.refresh_from_db()
    assert request.state == MentoringState.ACCEPTED and request.decided_at is not None
    email = mail.outbox[-1]
    assert email.to == ["bob@bristol.gov.uk"]
    assert "accepted" in email.subject and "Gladly" in email.body
    assert_reveals_nobody(email, "ada@camden.gov.uk")
    # Decided once: it cannot be decided again, or withdrawn.
    with pytest.raises(NotPermitted):
        services.decide_mentoring(
            request=request, by=mentor, accept=False, answer="", shows_address=False
        )
    with pytest.raises(NotPermitted):
        services.withdraw_mentoring(request=request, by=mentee)


def test_a_mentor_may_decline_or_accept_and_show_their_address(
    lgsl: Lgsl, django_capture_on_commit_callbacks: Capture
) -> None:
    mentor = _helper()
    first, second = person(name="Bob"), person(name="Cy")
    declined = services.ask_for_mentoring(
        mentee=first, profile=profile_of(mentor), about="A", shows_address=False
    )
    accepted = services.ask_for_mentoring(
        mentee=second, profile=profile_of(mentor), about="B", shows_address=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_mentoring(
            request=declined, by=mentor, accept=False, answer="", shows_address=True
        )
        services.decide_mentoring(
            request=accepted, by=mentor, accept=True, answer="", shows_address=True
        )
    declined_email, accepted_email = mail.outbox[-2:]
    assert "declined" in declined_email.subject
    # Declining never gives the address, whatever was ticked.
    assert "ada@camden.gov.uk" not in declined_email.body
    assert "ada@camden.gov.uk" in accepted_email.body


def test_a_mentee_may_withdraw_a_waiting_request(lgsl: Lgsl) -> None:
    mentor = _helper()
    mentee = person(name="Bob")
    request = services.ask_for_mentoring(
        mentee=mentee, profile=profile_of(mentor), about="A", shows_address=False
    )
    with pytest.raises(NotPermitted):
        services.withdraw_mentoring(request=request, by=mentor)
    services.withdraw_mentoring(request=request, by=mentee)
    assert MentoringRequest.objects.get(pk=request.pk).state == MentoringState.WITHDRAWN
    # Withdrawn, a new request may be made.
    services.ask_for_mentoring(
        mentee=mentee, profile=profile_of(mentor), about="Again", shows_address=False
    )
