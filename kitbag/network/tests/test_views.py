"""The people pages: finding, a person's page, what I offer, asking, mentoring and reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kitbag.accounts.tests.factories import UserFactory
from kitbag.cases.tests.factories import CaseFactory
from kitbag.network.models import MentoringRequest, MentoringState, Message, Offer
from kitbag.network.tests.factories import Lgsl, person, profile_of
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _helper(**kwargs: Any) -> Any:
    defaults: dict[str, Any] = {
        "name": "Ada Helper",
        "email": "ada@camden.gov.uk",
        "job_title": "Digital lead",
        "services_known": ["524"],
        "tags": ["chatbots"],
        "offers": [Offer.TALK, Offer.MENTOR],
        "accepts_messages": True,
    }
    return person(**{**defaults, **kwargs})


def test_the_people_page_finds_public_helpers_by_service_tag_and_offer(lgsl: Lgsl) -> None:
    _helper()
    person(name="Bin Expert", services_known=["1139"], tags=["routes"], offers=[Offer.VISIT])
    person(name="Secret Sam", public=False, services_known=["524"], tags=["chatbots"])
    page = Client().get("/people/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ada Helper" in html and "Bin Expert" in html and "Secret Sam" not in html
    by_service = Client().get("/people/", {"service": "524"}).content.decode()
    assert "Ada Helper" in by_service and "Bin Expert" not in by_service
    by_tag = Client().get("/people/", {"tag": "Chatbots"}).content.decode()
    assert "Ada Helper" in by_tag and "Bin Expert" not in by_tag
    by_offer = Client().get("/people/", {"offer": "visit"}).content.decode()
    assert "Bin Expert" in by_offer and "Ada Helper" not in by_offer
    by_words = Client().get("/people/", {"q": "digital"}).content.decode()
    assert "Ada Helper" in by_words and "Bin Expert" not in by_words


def test_the_people_page_costs_the_same_queries_for_many_people(
    lgsl: Lgsl, django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        _helper(name=f"Helper {n}", email=f"h{n}@example.org")
    Client().get("/people/")  # warms the search index's kept id sets
    with CaptureQueriesContext(connection) as few:
        Client().get("/people/")
    # Counted now: each request empties the connection's query log.
    warm = len(few)
    assert warm <= 14
    for n in range(3, 12):
        _helper(name=f"Helper {n}", email=f"h{n}@example.org")
    Client().get("/people/")
    with django_assert_max_num_queries(warm):
        response = Client().get("/people/")
    assert response.content.decode().count("Helper ") >= 12


def test_a_persons_page_shows_what_they_chose_and_their_work(lgsl: Lgsl) -> None:
    camden = OrganisationFactory.create(name="Camden Council")
    helper = _helper(organisation=camden, help_with="I ran the **bins** pilot")
    CaseFactory.create(title="Chatbot for missed bins", owner=helper, status="published")
    CaseFactory.create(title="A draft nobody sees", owner=helper, status="draft")
    response = Client().get(f"/people/{profile_of(helper).pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and html.count("<h1") == 1
    for shown in (
        "Ada Helper",
        "Digital lead",
        "Camden Council",
        "Bin collection",
        "chatbots",
        "Mentor someone",
        "<strong>bins</strong>",
        "Chatbot for missed bins",
    ):
        assert shown in html, shown
    assert "A draft nobody sees" not in html
    assert "ada@camden.gov.uk" not in html
    # Not signed in: a way to sign in rather than the form.
    assert "Sign in to ask for help" in html


def test_a_persons_page_costs_a_fixed_number_of_queries(
    lgsl: Lgsl, django_assert_max_num_queries: Any
) -> None:
    helper = _helper()
    for n in range(5):
        CaseFactory.create(title=f"Case {n}", owner=helper, status="published")
    with django_assert_max_num_queries(12):
        assert Client().get(f"/people/{profile_of(helper).pk}/").status_code == 200


def test_the_organisation_is_shown_only_while_the_membership_is_active(lgsl: Lgsl) -> None:
    from kitbag.network.tests.factories import end_memberships

    camden = OrganisationFactory.create(name="Camden Council")
    helper = _helper(organisation=camden)
    end_memberships(helper)
    html = Client().get(f"/people/{profile_of(helper).pk}/").content.decode()
    assert "Camden Council" not in html


def test_saying_what_you_can_help_with_finds_services_then_saves(lgsl: Lgsl) -> None:
    me = person(name="Ada")
    client = signed_in(me)
    assert client.get("/people/your-help/").status_code == 200
    found = client.post("/people/your-help/", {"service_search": "bin", "find_services": "1"})
    html = found.content.decode()
    assert found.status_code == 200
    assert "Bin collection" in html and "Missed bin collection" in html
    saved = client.post(
        "/people/your-help/",
        {
            "services": ["524"],
            "tags": "Chatbots, bins",
            "offers": ["mentor"],
            "accepts_messages": "on",
        },
    )
    assert saved.status_code == 302
    offer = me.help_offer
    assert [c.code for c in offer.services.all()] == ["524"]
    assert offer.tag_names == ["bins", "chatbots"]
    assert offer.offers == ["mentor"] and offer.accepts_messages


def test_too_many_tags_show_an_error_on_the_form(lgsl: Lgsl) -> None:
    client = signed_in(person(name="Ada"))
    response = client.post("/people/your-help/", {"tags": ", ".join(f"t{n}" for n in range(20))})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_asking_for_help_sends_the_message_and_shows_the_thread(
    lgsl: Lgsl, django_capture_on_commit_callbacks: Capture
) -> None:
    helper = _helper()
    asker = person(name="Bob", email="bob@bristol.gov.uk", public=False)
    client = signed_in(asker)
    url = f"/people/{profile_of(helper).pk}/ask/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"subject": "Bins", "body": "How did it go?"})
    message = Message.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/people/messages/{message.pk}/"
    assert mail.outbox[0].to == ["ada@camden.gov.uk"]
    assert "bob@bristol.gov.uk" not in mail.outbox[0].message().as_string()
    # The recipient reads it on Kitbag and answers there.
    helper_client = signed_in(helper)
    thread = helper_client.get(f"/people/messages/{message.pk}/")
    assert thread.status_code == 200 and "How did it go?" in thread.content.decode()
    assert "bob@bristol.gov.uk" not in thread.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        helper_client.post(f"/people/messages/{message.pk}/", {"body": "Very well"})
    assert mail.outbox[-1].to == ["bob@bristol.gov.uk"]
    assert "ada@camden.gov.uk" not in mail.outbox[-1].message().as_string()
    # Nobody else may read the thread: it is as if it did not exist.
    assert signed_in(person(name="Nosy")).get(f"/people/messages/{message.pk}/").status_code == 404


def test_asking_needs_signing_in_and_a_willing_public_recipient(lgsl: Lgsl) -> None:
    helper = _helper()
    quiet = _helper(name="Quiet", email="quiet@example.org", accepts_messages=False)
    hidden = _helper(name="Hidden", email="hidden@example.org", public=False)
    anonymous = Client().get(f"/people/{profile_of(helper).pk}/ask/")
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
    client = signed_in(person(name="Bob"))
    assert client.get(f"/people/{profile_of(quiet).pk}/ask/").status_code == 403
    assert client.get(f"/people/{profile_of(hidden).pk}/ask/").status_code == 404
    assert signed_in(helper).get(f"/people/{profile_of(helper).pk}/ask/").status_code == 403


def test_asking_for_help_is_rate_limited(lgsl: Lgsl, settings: Any) -> None:
    settings.KITBAG_RATE_LIMITS = {"help-messages": "2/m"}
    helper = _helper()
    client = signed_in(person(name="Bob"))
    url = f"/people/{profile_of(helper).pk}/ask/"
    codes = [client.post(url, {"body": f"Hello {n}"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert Message.objects.count() == 2


def test_the_recipient_reports_a_message_and_a_moderator_closes_it(
    lgsl: Lgsl, django_capture_on_commit_callbacks: Capture
) -> None:
    helper = _helper()
    asker = person(name="Bob")
    moderator = UserFactory.create(email="mod@kitbag.example", is_moderator=True)
    signed_in(asker).post(f"/people/{profile_of(helper).pk}/ask/", {"body": "Buy this"})
    message = Message.objects.get()
    assert signed_in(asker).get(f"/people/messages/{message.pk}/report/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(helper).post(
            f"/people/messages/{message.pk}/report/", {"reason": "An advert"}
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["mod@kitbag.example"]
    assert signed_in(helper).get("/people/reports/").status_code == 403
    queue = signed_in(moderator).get("/people/reports/")
    assert queue.status_code == 200 and "An advert" in queue.content.decode()
    report = message.reports.get()
    signed_in(moderator).post(f"/people/reports/{report.pk}/resolve/", {"outcome": "Warned"})
    report.refresh_from_db()
    assert report.resolved_at is not None


def test_mentoring_requests_are_accepted_or_declined_on_their_page(
    lgsl: Lgsl, django_capture_on_commit_callbacks: Capture
) -> None:
    mentor = _helper()
    mentee = person(name="Bob", email="bob@bristol.gov.uk")
    client = signed_in(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/people/{profile_of(mentor).pk}/mentoring/", {"about": "Agile"})
    request = MentoringRequest.objects.get()
    page = signed_in(mentor).get(f"/people/mentoring/{request.pk}/")
    assert page.status_code == 200 and "Agile" in page.content.decode()
    assert "bob@bristol.gov.uk" not in page.content.decode()
    # The mentee cannot answer their own request.
    assert (
        client.post(f"/people/mentoring/{request.pk}/", {"decision": "accept"}).status_code == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(mentor).post(f"/people/mentoring/{request.pk}/", {"decision": "decline"})
    request.refresh_from_db()
    assert request.state == MentoringState.DECLINED
    assert "declined" in mail.outbox[-1].subject and mail.outbox[-1].to == ["bob@bristol.gov.uk"]
    assert signed_in(person(name="Nosy")).get(f"/people/mentoring/{request.pk}/").status_code == 404


def test_your_messages_lists_threads_and_mentoring(lgsl: Lgsl) -> None:
    helper = _helper()
    asker = person(name="Bob")
    signed_in(asker).post(
        f"/people/{profile_of(helper).pk}/ask/", {"subject": "Bins", "body": "Hi"}
    )
    signed_in(asker).post(f"/people/{profile_of(helper).pk}/mentoring/", {"about": "Agile"})
    html = signed_in(helper).get("/people/messages/").content.decode()
    assert "Bins" in html and "Asked of you" in html


def test_a_message_with_control_characters_is_refused_with_the_form_shown_again(
    lgsl: Lgsl,
) -> None:
    helper = _helper()
    client = signed_in(person(name="Bob"))
    response = client.post(f"/people/{profile_of(helper).pk}/ask/", {"body": "Hello\x00there"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not Message.objects.exists()


def test_the_text_people_write_is_escaped_on_every_people_page(lgsl: Lgsl) -> None:
    attack = '<script>alert("x")</script>'
    helper = _helper(name=attack, job_title=attack, help_with=attack, tags=[attack])
    asker = person(name="Bob")
    signed_in(asker).post(
        f"/people/{profile_of(helper).pk}/ask/", {"subject": attack, "body": attack}
    )
    message = Message.objects.get()
    pages = [
        Client().get("/people/"),
        Client().get(f"/people/{profile_of(helper).pk}/"),
        signed_in(helper).get(f"/people/messages/{message.pk}/"),
        signed_in(helper).get("/people/messages/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "<script>alert" not in page.content.decode()


def test_an_absurd_id_is_not_found_rather_than_an_error(lgsl: Lgsl) -> None:
    huge = "9" * 30
    assert Client().get(f"/people/{huge}/").status_code == 404
    assert Client().get(f"/api/v1/people/{huge}").status_code == 404
    assert Client().get("/people/99999999999999999/").status_code == 404


def test_control_characters_in_a_search_are_ignored(lgsl: Lgsl) -> None:
    _helper()
    response = Client().get("/people/", {"q": "\x00", "tag": "chat\x00bots"})
    assert response.status_code == 200
    assert "Ada Helper" in response.content.decode()
