from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from kitbag.accounts.tests.factories import UserFactory
from kitbag.consultations.tests.world import consultation
from kitbag.conversations.models import Conversation
from kitbag.core.happenings import Happening, publish_happening
from kitbag.follows import digests, queries, services
from kitbag.follows.models import Follow, FollowSettings
from kitbag.follows.tests.world import DAY, build_world, publish, reader_gets_daily_digests
from kitbag.vocabularies.models import Code

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_organisation_page_offers_a_follow_button_that_works_without_javascript() -> None:
    world = build_world()
    page = world.council.get_absolute_url()
    anonymous = Client().get(page)
    assert "Sign in to follow this" in anonymous.content.decode()
    client = signed_in(world.reader)
    html = client.get(page).content.decode()
    assert f'value="organisation:{world.council.pk}"' in html and ">Follow<" in html
    response = client.post(
        reverse("follows:follow"),
        {"key": f"organisation:{world.council.pk}", "action": "follow", "next": page},
    )
    assert response.status_code == 302 and response["Location"] == page
    assert Follow.objects.filter(user=world.reader).count() == 1
    assert "Stop following" in client.get(page).content.decode()
    client.post(
        reverse("follows:follow"),
        {"key": f"organisation:{world.council.pk}", "action": "unfollow", "next": page},
    )
    assert not Follow.objects.exists()


def test_case_consultation_and_conversation_pages_have_the_button() -> None:
    world = build_world()
    publish(world)
    client = signed_in(world.reader)
    html = client.get(world.draft.get_absolute_url()).content.decode()
    assert f'value="case:{world.draft.pk}"' in html
    made = consultation(world.council)
    html = client.get(made.get_absolute_url()).content.decode()
    assert f'value="consultation:{made.pk}"' in html
    talk = Conversation.objects.create(slug="buses", title="Buses", question="How?")
    html = client.get(reverse("conversations:detail", args=["buses"])).content.decode()
    assert f'value="conversation:{talk.pk}"' in html
    for key in (f"consultation:{made.pk}", f"conversation:{talk.pk}", f"case:{world.draft.pk}"):
        services.follow(user=world.reader, key=key)
    names = {thing.name for thing in queries.followed_things(world.reader)}
    assert names == {"Library opening hours", "Buses", "Digital parking permits"}


def test_a_draft_case_cannot_be_followed_by_someone_who_may_not_see_it() -> None:
    world = build_world()
    response = signed_in(world.reader).post(
        reverse("follows:follow"), {"key": f"case:{world.draft.pk}", "action": "follow"}
    )
    assert response.status_code == 400
    assert not Follow.objects.exists()


def test_following_needs_signing_in_and_never_redirects_off_the_site() -> None:
    world = build_world()
    key = f"organisation:{world.council.pk}"
    response = Client().post(reverse("follows:follow"), {"key": key, "action": "follow"})
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    response = signed_in(world.reader).post(
        reverse("follows:follow"),
        {"key": key, "action": "follow", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("follows:following")
    for name in ("following", "notifications"):
        assert Client().get(reverse(f"follows:{name}")).status_code == 302


def test_the_following_page_lists_what_is_followed_and_saves_the_email_choice() -> None:
    world = build_world()
    services.follow(user=world.reader, key=f"organisation:{world.council.pk}")
    client = signed_in(world.reader)
    html = client.get(reverse("follows:following")).content.decode()
    assert "Camden Council" in html and 'id="frequency-off" name="frequency" type="radio"' in html
    assert (
        client.post(reverse("follows:digest_settings"), {"frequency": "weekly"}).status_code == 302
    )
    assert queries.settings_of(world.reader).digest_frequency == "weekly"
    refused = client.post(reverse("follows:digest_settings"), {"frequency": "hourly"})
    assert refused.status_code == 400 and "There is a problem" in refused.content.decode()


def _happenings(world: object, count: int, *, start: int = 0) -> None:
    council = world.council  # type: ignore[attr-defined]
    for n in range(start, start + count):
        publish_happening(
            Happening(
                kind="figures-published",
                title=f"New figures {n}",
                url="/performance/",
                happened_at=DAY,
                concerns=[f"organisation:{council.pk}"],
            )
        )


def test_notifications_are_newest_first_marked_unread_until_read(
    django_assert_max_num_queries: object,
) -> None:
    world = build_world()
    services.follow(user=world.reader, key=f"organisation:{world.council.pk}")
    _happenings(world, 3)
    client = signed_in(world.reader)
    html = client.get(reverse("follows:notifications")).content.decode()
    assert html.index("New figures 2") < html.index("New figures 1") < html.index("New figures 0")
    assert html.count('govuk-tag--blue">New<') == 3
    client.post(reverse("follows:mark_read"))
    _happenings(world, 1, start=3)
    html = client.get(reverse("follows:notifications")).content.decode()
    assert html.count('govuk-tag--blue">New<') == 1


def test_the_notifications_page_asks_the_same_number_of_queries_however_many(
    django_assert_num_queries: object,
) -> None:
    world = build_world()
    services.follow(user=world.reader, key=f"organisation:{world.council.pk}")
    publish(world)
    client = signed_in(world.reader)
    client.get(reverse("follows:notifications"))

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries_run:
            assert client.get(reverse("follows:notifications")).status_code == 200
        return len(queries_run)

    few = count()
    _happenings(world, 40)
    assert count() == few
    assert few <= 8


def test_the_personal_feed_lists_what_is_followed_and_its_address_can_be_reset() -> None:
    world = build_world()
    services.follow(user=world.reader, key=f"organisation:{world.council.pk}")
    publish(world)
    _happenings(world, 1)
    token = queries.settings_of(world.reader).feed_token
    old_url = reverse("follows:feed", args=[token])
    response = Client().get(old_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "no-store" in response["Cache-Control"]
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
    titles = [e.text or "" for e in feed.iter(f"{ATOM}title")]
    assert "New figures 0" in titles and any("Digital parking permits" in t for t in titles)
    signed_in(world.reader).post(reverse("follows:reset_feed"))
    assert Client().get(old_url).status_code == 404
    new_token = queries.settings_of(world.reader).feed_token
    assert Client().get(reverse("follows:feed", args=[new_token])).status_code == 200


def test_the_feed_leaves_out_what_its_owner_may_not_see() -> None:
    world = build_world()
    services.follow(user=world.reader, key=f"organisation:{world.council.pk}")
    publish_happening(
        Happening(
            kind="case-published",
            title="A draft nobody outside Camden may read",
            url=world.draft.get_absolute_url(),
            happened_at=DAY,
            concerns=[f"organisation:{world.council.pk}"],
            visible_through=("case", world.draft.pk),
        )
    )
    token = queries.settings_of(world.reader).feed_token
    body = Client().get(reverse("follows:feed", args=[token])).content.decode()
    assert "A draft nobody" not in body
    html = signed_in(world.reader).get(reverse("follows:notifications")).content.decode()
    assert "A draft nobody" not in html
    editor_html = signed_in(world.editor)
    services.follow(user=world.editor, key=f"organisation:{world.council.pk}")
    assert "A draft nobody" in editor_html.get(reverse("follows:notifications")).content.decode()


def test_an_unsubscribe_link_asks_on_get_and_unsubscribes_on_post() -> None:
    world = build_world()
    reader_gets_daily_digests(world)
    url = reverse("follows:unsubscribe", args=[digests.unsubscribe_token(world.reader)])
    page = Client().get(url)
    assert page.status_code == 200 and "Stop digest emails" in page.content.decode()
    assert queries.settings_of(world.reader).digest_frequency == "daily"  # a GET changes nothing
    # The mail program's one-click POST: no session, no CSRF token (RFC 8058).
    mailer = Client(enforce_csrf_checks=True)
    done = mailer.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert FollowSettings.objects.get(user=world.reader).digest_frequency == "off"
    again = mailer.post(url, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200
    assert FollowSettings.objects.get(user=world.reader).digest_frequency == "off"


def test_a_tampered_unsubscribe_link_is_refused_and_changes_nothing() -> None:
    world = build_world()
    reader_gets_daily_digests(world)
    other = UserFactory.create()
    token = digests.unsubscribe_token(other)
    forged_payload = signing.dumps({"user": world.reader.pk, "from": "digests"}, salt="other")
    for bad in (
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        forged_payload,
        signing.dumps({"user": world.reader.pk, "from": "digests"}, key="not-the-secret"),
        "nonsense",
    ):
        url = reverse("follows:unsubscribe", args=[bad])
        assert Client().post(url).status_code == 400
        assert Client().get(url).status_code == 400
    assert FollowSettings.objects.get(user=world.reader).digest_frequency == "daily"


def test_what_a_person_follows_is_in_their_personal_data() -> None:
    from kitbag.follows.personal_data import collect

    world = build_world()
    reader_gets_daily_digests(world)
    data = collect(world.reader)
    assert data["what_you_follow"][0]["key"] == f"organisation:{world.council.pk}"
    assert data["digest_emails"] == "daily"
    assert "feed_token" not in str(data)
    assert queries.settings_of(world.reader).feed_token not in str(data)


def test_settings_are_made_off_by_default() -> None:
    world = build_world()
    assert queries.settings_of(world.reader).digest_frequency == "off"
    assert queries.settings_of(world.reader).digest_sent_up_to is None


def test_a_service_is_followed_from_the_library_filtered_to_it() -> None:
    from kitbag.vocabularies.records import WantedCode, WantedList
    from kitbag.vocabularies.services import write_code_list

    write_code_list(
        wanted=WantedList(slug="lgsl-services", name="LGSL services"),
        codes=[WantedCode("474", "Parking permits")],
    )
    world = build_world()
    publish(world)
    world.draft.services.set(Code.objects.filter(code_list__slug="lgsl-services", code="474"))
    client = signed_in(world.reader)
    html = client.get(reverse("cases:case_list") + "?service=474").content.decode()
    assert 'value="service:474"' in html
    services.follow(user=world.reader, key="service:474")
    [thing] = queries.followed_things(world.reader)
    assert (thing.name, thing.url) == ("Parking permits", "/cases/?service=474")
    assert 'value="service:' not in client.get(reverse("cases:case_list")).content.decode()
