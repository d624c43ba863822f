"""A person's network data in their download, and gone with their account."""

from __future__ import annotations

import pytest
from django.test import Client

from kitbag.accounts.services.personal_data import erase_account, export_personal_data
from kitbag.network import services
from kitbag.network.models import FreeTag, HelpOffer, MentoringRequest, Message, Offer
from kitbag.network.tests.factories import Lgsl, person, profile_of

pytestmark = pytest.mark.django_db


def _conversation() -> tuple[object, object]:
    helper = person(name="Ada", tags=["chatbots"], offers=[Offer.MENTOR], accepts_messages=True)
    asker = person(name="Bo", public=False)
    first = services.ask_for_help(
        sender=asker, profile=profile_of(helper), subject="Q", body="Hello", shows_address=False
    )
    services.reply_to_message(thread=first, by=helper, body="Hi back", shows_address=False)
    services.ask_for_mentoring(
        mentee=asker, profile=profile_of(helper), about="Discovery", shows_address=False
    )
    return helper, asker


def test_the_download_holds_what_they_offer_their_messages_and_mentoring(lgsl: Lgsl) -> None:
    helper, _asker = _conversation()
    data = export_personal_data(user=helper)["network"]  # type: ignore[arg-type]
    assert data["help_offer"]["tags"] == ["chatbots"]
    assert [m["body"] for m in data["messages"]] == ["Hello", "Hi back"]
    assert data["mentoring"][0]["you_are"] == "the mentor"


def test_erasing_an_account_deletes_its_messages_mentoring_and_offer(lgsl: Lgsl) -> None:
    helper, asker = _conversation()
    erase_account(user=helper, by=helper)  # type: ignore[arg-type]
    assert not Message.objects.exists()
    assert not MentoringRequest.objects.exists()
    assert not HelpOffer.objects.exists() and not FreeTag.objects.exists()


def test_your_account_links_to_helping_others_and_counts_unread_messages(lgsl: Lgsl) -> None:
    helper, _asker = _conversation()
    client = Client()
    client.force_login(helper)  # type: ignore[arg-type]
    html = client.get("/account/profile/").content.decode()
    assert "Helping others" in html and "/people/your-help/" in html
    assert "1 unread" in html and "1 mentoring request waiting" in html
