"""Every feed in Kitbag keeps what people and imports wrote as text, in any feed reader.

Each feed is read as a reader reads it: the XML parsed (which decodes it once), then every element
that Atom says holds HTML parsed as HTML, which must hold nothing that could run. A feed added
later is found by its URL name and fails `test_every_feed_is_covered` until it is tested here.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from icalendar import Calendar

from kitbag.accounts.audit import log_moderation
from kitbag.cases import services
from kitbag.cases.tests.factories import CaseFactory
from kitbag.consultations import services as consultation_services
from kitbag.core.feeds import feed_html
from kitbag.core.tests.xss_corpus import XSS_PAYLOADS, assert_no_xss
from kitbag.meetings.models import Committee, DemocracySystem, Meeting, SystemCouncil
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# Atom text constructs: type "text" (the default) is shown as text; "html" is decoded HTML.
TEXT_CONSTRUCTS = {"title", "subtitle", "summary", "content", "rights"}


def storable(text: str) -> str:
    # PostgreSQL cannot store NUL; browsers and readers show it as U+FFFD anyway.
    return text.replace("\x00", "\ufffd")


def assert_atom_holds_no_live_markup(xml: bytes, payload: str) -> None:
    root = ET.fromstring(xml)  # noqa: S314 - our own feed, parsed as a reader would
    seen = False
    for element in root.iter():
        name = element.tag.removeprefix(ATOM)
        if name not in TEXT_CONSTRUCTS:
            continue
        kind = element.get("type", "text")
        text = element.text or ""
        if kind == "html":
            assert_no_xss(text)  # the reader's second step: the decoded text as HTML
        else:
            assert kind == "text", f"<{name} type={kind!r}> is not a text construct"
        seen = seen or storable(payload).strip()[:12] in text.replace("&lt;", "<").replace(
            "&amp;", "&"
        )
    assert seen, "the payload should reach the feed, as text"


def case_feed(payload: str) -> bytes:
    text = storable(payload)
    case = CaseFactory.create(
        title=text[:255],
        summary=text,
        published_at=timezone.now(),
        lead_organisation=OrganisationFactory.create(name=text[:255]),
    )
    services.reindex_case(case=case)
    return Client().get("/cases/feed.atom").content


def moderation_log_feed(payload: str) -> bytes:
    text = storable(payload)
    log_moderation(
        actor=None,
        actor_label=text[:120],
        action="hid",
        object_type="case",
        object_id=1,
        object_label=text[:255],
        reason=text,
    )
    return Client().get("/account/moderation-log/feed.atom").content


def consultation_comments_feed(payload: str) -> bytes:
    from kitbag.consultations.tests.world import consultation, paragraph_key
    from kitbag.consultations.tests.world import person as commenter

    text = storable(payload)
    made = consultation(OrganisationFactory.create(name=text[:255]))
    consultation_services.add_comment(
        consultation=made,
        by=commenter("feed@example.org", name=text[:80]),
        text=text,
        paragraph_key=paragraph_key(made, 2),
    )
    return Client().get(f"/consultations/{made.slug}/comments.atom").content


def resource_tag_feed(payload: str) -> bytes:
    from kitbag.accounts.tests.factories import UserFactory
    from kitbag.resources import services as resource_services

    text = storable(payload)
    resource = resource_services.recommend(
        person=UserFactory.create(),
        url="https://example.org/corpus",
        title=text[:300],
        why=text[:5000],
        tags=["corpus"],
    )
    # The service folds a title onto one line; whatever a title holds, the feed keeps as text.
    type(resource).objects.filter(pk=resource.pk).update(title=text[:300] or "-")
    return Client().get("/resources/tags/corpus/feed.atom").content


def personal_feed(payload: str) -> bytes:
    from kitbag.accounts.tests.factories import UserFactory
    from kitbag.core.happenings import Happening, publish_happening
    from kitbag.follows import queries as follow_queries
    from kitbag.follows import services as follow_services

    text = storable(payload)
    council = OrganisationFactory.create(name=text[:255] or "-")
    reader = UserFactory.create()
    follow_services.follow(user=reader, key=f"organisation:{council.pk}")
    publish_happening(
        Happening(
            kind="case-published",
            title=text[:300] or "-",
            summary=text,
            url="/cases/corpus/",
            happened_at=timezone.now(),
            concerns=[f"organisation:{council.pk}"],
        )
    )
    token = follow_queries.settings_of(reader).feed_token
    return Client().get(f"/following/feed/{token}.atom").content


# Addresses named like feeds that are not feeds: the form that replaces the personal feed's address.
NOT_FEEDS = {"follows:reset_feed"}

ATOM_FEEDS: dict[str, Callable[[str], bytes]] = {
    "cases:case_feed": case_feed,
    "follows:feed": personal_feed,
    "accounts:moderation_log_feed": moderation_log_feed,
    "consultations:comments_feed": consultation_comments_feed,
    "resources:tag_feed": resource_tag_feed,
}


def calendar_of(payload: str) -> tuple[str, str]:
    """A council and a committee whose names, as an import stored them, are the payload."""
    text = storable(payload)
    council = OrganisationFactory.create(slug="riverside", name=text[:255])
    system = DemocracySystem.objects.create(base_url="https://democracy.riverside.example/")
    SystemCouncil.objects.create(system=system, organisation=council)
    committee = Committee.objects.create(
        system=system, source_id="1", council=council, title=text[:500]
    )
    start = timezone.now() + dt.timedelta(days=3)
    Meeting.objects.create(
        system=system,
        committee=committee,
        source_id="10",
        start=start,
        start_date=start.date(),
        status_raw=text[:64],
        location=text[:500],
    )
    return council.slug, str(committee.pk)


CALENDAR_FEEDS: dict[str, Callable[[str, str], str]] = {
    "meetings:council_feed": lambda slug, pk: f"/meetings/{slug}/calendar.ics",
    "meetings:committee_feed": lambda slug, pk: f"/meetings/{slug}/committees/{pk}/calendar.ics",
}


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
@pytest.mark.parametrize("feed", sorted(ATOM_FEEDS))
def test_atom_feeds_show_the_xss_corpus_as_text(feed: str, payload: str) -> None:
    assert_atom_holds_no_live_markup(ATOM_FEEDS[feed](payload), payload)


@pytest.mark.parametrize("payload", XSS_PAYLOADS[:12])
@pytest.mark.parametrize("feed", sorted(CALENDAR_FEEDS))
def test_calendar_feeds_carry_the_xss_corpus_as_plain_text_only(feed: str, payload: str) -> None:
    slug, pk = calendar_of(payload)
    response = Client().get(CALENDAR_FEEDS[feed](slug, pk))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert events
    for event in events:
        # iCalendar text is text; an HTML alternative is the one way a calendar shows markup.
        assert "X-ALT-DESC" not in event
        assert str(event.get("DESCRIPTION", "")).startswith(storable(payload)[:500].strip()[:8])


def test_every_feed_is_covered() -> None:
    names = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name and (
                "feed" in pattern.name or "calendar.ics" in str(pattern.pattern)
            ):
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    assert names - NOT_FEEDS == set(ATOM_FEEDS) | set(CALENDAR_FEEDS)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("", ""),
        ("<b>bold</b>", "<p>&lt;b&gt;bold&lt;/b&gt;</p>"),
        ("one\n\ntwo", "<p>one</p>\n\n<p>two</p>"),
        ("a & b", "<p>a &amp; b</p>"),
    ],
)
def test_feed_html_escapes_text_and_keeps_its_paragraphs(text: str, html: str) -> None:
    assert feed_html(text) == html
