"""Posts elsewhere, against a local server: feeds and pages read, only relevant posts kept and
shown as plain text; Webmentions verified by fetching their source and moderated before showing;
officials' answers to posts counted apart."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from kitbag.consultations import elsewhere, services
from kitbag.consultations.models import ElsewherePost
from kitbag.consultations.tests.world import consultation, member, person
from kitbag.core.tests.xss_corpus import xss_problems
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SITE = "https://kitbag.example"
TARGET = f"{SITE}/consultations/library-hours/"

FEED = f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local blog</title><link>http://blog.example/</link>
<item><title>&lt;script&gt;alert(1)&lt;/script&gt;Our library hours</title>
<link>http://blog.example/hours</link><author>jo@blog.example (Jo)</author>
<description>&lt;img src=x onerror=alert(1)&gt;See &lt;a href="{TARGET}"&gt;the consultation&lt;/a&gt;</description>
<pubDate>Mon, 01 Mar 2027 09:00:00 GMT</pubDate></item>
<item><title>Bin collections</title><link>http://blog.example/bins</link>
<description>Nothing about it.</description></item>
</channel></rss>"""

MENTION = f"""<html><head><title>I wrote about it</title></head><body>
<p>Read <a href="{TARGET}">the library consultation</a>.</p></body></html>"""
NOT_LINKING = "<html><head><title>Other</title></head><body><p>Nothing.</p></body></html>"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        pages = {
            "/feed.xml": ("application/rss+xml", FEED),
            "/mention": ("text/html", MENTION),
            "/other": ("text/html", NOT_LINKING),
        }
        if self.path == "/broken.xml":
            body, kind = b"<rss><channel><item>", "application/rss+xml"
        elif self.path in pages:
            kind, text = pages[self.path]
            body = text.encode()
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def fetcher() -> elsewhere.Fetcher:
    return elsewhere.Fetcher(allow_private=True, min_interval=0)


@override_settings(SITE_URL=SITE)
def test_a_feed_s_relevant_posts_are_kept_as_plain_text_and_shown_escaped(
    server: str, fetcher: elsewhere.Fetcher
) -> None:
    council = OrganisationFactory.create()
    made = consultation(council)
    source = services.add_source(
        consultation=made,
        kind="feed",
        url=f"{server}/feed.xml",
        by=member(council, "m@example.org", role="member"),
    )
    assert services.fetch_source(source=source, client=fetcher) == 1
    post = ElsewherePost.objects.get()
    assert post.url == "http://blog.example/hours" and "<" not in post.title + post.excerpt
    page = Client().get(made.get_absolute_url()).content.decode()
    assert "Our library hours" in page
    main = page[page.index("<main") : page.index("</main>")]
    assert xss_problems(main) == []
    assert services.fetch_source(source=source, client=fetcher) == 0  # nothing new the second time


@override_settings(SITE_URL=SITE)
def test_a_broken_feed_is_reported_to_the_officials_and_changes_nothing(
    server: str, fetcher: elsewhere.Fetcher
) -> None:
    council = OrganisationFactory.create()
    made = consultation(council)
    source = services.add_source(
        consultation=made,
        kind="feed",
        url=f"{server}/missing.xml",
        by=member(council, "n@example.org", role="member"),
    )
    assert services.fetch_source(source=source, client=fetcher) == 0
    source.refresh_from_db()
    assert "not found" in source.last_error and not ElsewherePost.objects.exists()


@override_settings(SITE_URL=SITE)
def test_a_webmention_is_verified_then_waits_for_a_moderator(
    server: str, fetcher: elsewhere.Fetcher
) -> None:
    made = consultation(OrganisationFactory.create())
    assert (
        services.receive_webmention(source=f"{server}/other", target=TARGET, client=fetcher) is None
    )
    post = services.receive_webmention(source=f"{server}/mention", target=TARGET, client=fetcher)
    assert post is not None and post.state == "pending"
    assert "I wrote about it" not in Client().get(made.get_absolute_url()).content.decode()
    services.moderate_post(
        post=post, action="approve", by=person("mod@example.org", is_moderator=True)
    )
    assert "I wrote about it" in Client().get(made.get_absolute_url()).content.decode()


@override_settings(SITE_URL=SITE)
def test_the_webmention_endpoint_refuses_targets_that_are_not_consultations(
    server: str, fetcher: elsewhere.Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    consultation(OrganisationFactory.create())
    url = reverse("consultations:webmention")
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post(url, {"source": f"{server}/mention", "target": f"{SITE}/cases/"}).status_code
        == 400
    )
    assert client.post(url, {"source": "ftp://x", "target": TARGET}).status_code == 400
    monkeypatch.setattr(elsewhere, "default_fetcher", lambda: fetcher)
    assert client.post(url, {"source": f"{server}/mention", "target": TARGET}).status_code == 202
    assert ElsewherePost.objects.get().state == "pending"


def test_officials_record_that_they_answered_a_post() -> None:
    council = OrganisationFactory.create()
    made = consultation(council)
    post = ElsewherePost.objects.create(
        consultation=made, via="feed", url="https://blog.example/a", title="A post"
    )
    with pytest.raises(services.NotPermitted):
        services.record_post_answer(
            post=post, url="https://council.example/reply", by=person("x@example.org")
        )
    services.record_post_answer(
        post=post,
        url="https://council.example/reply",
        by=member(council, "o@example.org", role="member"),
    )
    page = Client().get(made.get_absolute_url()).content.decode()
    assert "1 answered by officials" in page and "https://council.example/reply" in page
