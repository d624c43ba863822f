"""Feeds, pages and Webmentions against a local HTTP server on 127.0.0.1 (no network)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kitbag.consultations.elsewhere import (
    Fetcher,
    Post,
    fetch_feed,
    fetch_page,
    plain_text,
    relevant,
    user_agent,
    verify_webmention,
)

CONSULTATION = "https://kitbag.example/consultations/library-strategy/"

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Friends of Northfield Library</title>
<link>http://example.org/</link><description>News</description>
<item><title>Have your say on the library strategy</title>
<link>http://example.org/2027/03/have-your-say</link>
<author>jo@example.org (Jo Bloggs)</author>
<pubDate>Tue, 02 Mar 2027 09:30:00 GMT</pubDate>
<description>&lt;p&gt;The council wants to hear from you. &lt;a href="{CONSULTATION}"&gt;Respond here&lt;/a&gt;.&lt;/p&gt;</description>
</item>
<item><title>Book sale on Saturday</title><link>/2027/02/book-sale</link>
<description>Paperbacks 50p &amp;amp; hardbacks £1.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Parish council news</title>
<id>urn:uuid:1</id><updated>2027-03-05T12:00:00Z</updated>
<author><name>Clerk to the Council</name></author>
<entry><title type="html">Sunday opening &amp;amp; the mobile library</title>
<link href="https://parish.example/news/sunday-opening"/><id>urn:uuid:2</id>
<published>2027-03-04T18:00:00Z</published><updated>2027-03-05T12:00:00Z</updated>
<content type="html">&lt;p&gt;The draft library strategy proposes fewer mobile library stops.&lt;/p&gt;</content>
</entry></feed>"""

XSS_RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>http://e.org/</link>
<description>x</description>
<item><title>&lt;script&gt;alert(1)&lt;/script&gt;Council &lt;b&gt;news&lt;/b&gt; &amp;lt;i&amp;gt;</title>
<link>http://example.org/safe</link>
<description>&lt;img src=x onerror="alert(2)"&gt;Hello &lt;a href="javascript:alert(3)"&gt;there&lt;/a&gt;&lt;style&gt;body{}&lt;/style&gt;</description></item>
<item><title>bad link</title><link>javascript:alert(4)</link><description>no</description></item>
</channel></rss>"""

PAGE = f"""<!doctype html><html><head><title>Why our library matters | Jo's blog</title>
<meta name="author" content="Jo Bloggs">
<meta property="article:published_time" content="2027-03-06T10:00:00+00:00">
<meta name="description" content="Northfield library &lt;b&gt;must&lt;/b&gt; stay open.">
<script>var secret = 1;</script></head>
<body><article><h1>Why our library matters</h1><p>I responded to
<a href="{CONSULTATION}#p-12">the consultation</a> today.</p></article></body></html>"""

NO_LINK_PAGE = """<!doctype html><html><head><title>Something else</title></head>
<body><p>Nothing about it. <a href="https://kitbag.example/other">other</a></p></body></html>"""


class Handler(BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def send(self, status: int, body: bytes | str = b"", **headers: str) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        Handler.seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        path = self.path
        if path == "/rss":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send(304, ETag='"v1"')
                return
            self.send(
                200,
                RSS,
                Content_Type="application/rss+xml",
                ETag='"v1"',
                Last_Modified="Tue, 02 Mar 2027 09:30:00 GMT",
            )
        elif path == "/atom":
            self.send(200, ATOM, Content_Type="application/atom+xml")
        elif path == "/xss":
            self.send(200, XSS_RSS, Content_Type="application/rss+xml")
        elif path == "/404":
            self.send(404, "no")
        elif path == "/500":
            self.send(500, "oops")
        elif path == "/gone":
            self.send(410, "gone")
        elif path == "/slow":
            time.sleep(1.5)
            self.send(200, RSS)
        elif path == "/broken":
            self.send(
                200,
                '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Unclosed',
                Content_Type="application/rss+xml",
            )
        elif path == "/html":
            self.send(200, NO_LINK_PAGE, Content_Type="text/html")
        elif path == "/redirect":
            self.send(301, Location="/redirect2")
        elif path == "/redirect2":
            self.send(302, Location="/rss")
        elif path == "/loop-a":
            self.send(302, Location="/loop-b")
        elif path == "/loop-b":
            self.send(302, Location="/loop-a")
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            self.send(302, Location=f"/chain/{n + 1}")
        elif path == "/big":
            self.send(200, "<rss>" + "x" * 50_000 + "</rss>", Content_Type="application/rss+xml")
        elif path == "/big-no-length":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<rss>" + b"x" * 50_000)
            self.close_connection = True
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"<rss>     ")
                self.wfile.flush()
                time.sleep(0.05)
        elif path == "/latin1":
            self.send(
                200,
                "<html><head><title>Caf\u00e9 consultation</title></head><body>na\u00efve</body></html>".encode(
                    "latin-1"
                ),
                Content_Type="text/html; charset=iso-8859-1",
            )
        elif path == "/blog":
            self.send(
                200,
                '<html><head><title>Blog</title><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>Hi</body></html>',
                Content_Type="text/html",
            )
        elif path == "/blog-bad-feed":
            self.send(
                200,
                '<html><head><link rel="alternate" type="application/atom+xml" href="/blog-bad-feed-2"></head></html>',
                Content_Type="text/html",
            )
        elif path == "/blog-bad-feed-2":
            self.send(
                200,
                '<html><head><link rel="alternate" type="application/atom+xml" href="/blog-bad-feed"></head></html>',
                Content_Type="text/html",
            )
        elif path == "/page":
            self.send(200, PAGE, Content_Type="text/html; charset=utf-8")
        elif path == "/no-link":
            self.send(200, NO_LINK_PAGE, Content_Type="text/html")
        elif path == "/plain-link":
            self.send(200, f"See {CONSULTATION}\n", Content_Type="text/plain")
        else:
            self.send(404, "unknown")


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # The client hanging up on a body too big or too slow is what the tests do on purpose.
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def client() -> Fetcher:
    return Fetcher(allow_private=True, min_interval=0, max_bytes=20_000)


def test_good_rss(server: str, client: Fetcher) -> None:
    result = fetch_feed(f"{server}/rss", client=client)
    assert result.status == "ok" and result.error == ""
    assert result.etag == '"v1"' and result.last_modified == "Tue, 02 Mar 2027 09:30:00 GMT"
    first, second = result.posts
    assert first.url == "http://example.org/2027/03/have-your-say"
    assert first.title == "Have your say on the library strategy"
    assert "Jo Bloggs" in first.author
    assert first.published == datetime(2027, 3, 2, 9, 30, tzinfo=UTC)
    assert first.excerpt == "The council wants to hear from you. Respond here."
    assert CONSULTATION in first.links
    # A relative link is made absolute against the feed; entities decoded once, as plain text.
    assert second.url.endswith("/2027/02/book-sale") and second.url.startswith("http://")
    assert second.excerpt == "Paperbacks 50p & hardbacks £1."
    assert second.published is None


def test_user_agent_is_honest(server: str) -> None:
    fetcher = Fetcher(
        allow_private=True,
        min_interval=0,
        user_agent=user_agent("https://kitbag.example", "data@kitbag.example"),
    )
    fetch_feed(f"{server}/atom", client=fetcher)
    agent = Handler.seen[-1]["user-agent"]
    assert agent.startswith("Kitbag/") and "consultations" in agent
    assert "+https://kitbag.example" in agent and "data@kitbag.example" in agent


def test_good_atom(server: str, client: Fetcher) -> None:
    result = fetch_feed(f"{server}/atom", client=client)
    assert result.status == "ok"
    (post,) = result.posts
    assert post.title == "Sunday opening & the mobile library"
    assert post.author == "Clerk to the Council"
    assert post.published == datetime(2027, 3, 4, 18, 0, tzinfo=UTC)
    assert post.excerpt == "The draft library strategy proposes fewer mobile library stops."
    assert result.etag is None


def test_conditional_request_gives_not_modified(server: str, client: Fetcher) -> None:
    result = fetch_feed(
        f"{server}/rss", etag='"v1"', last_modified="Tue, 02 Mar 2027 09:30:00 GMT", client=client
    )
    assert result.status == "not-modified" and result.posts == []
    assert result.etag == '"v1"' and result.last_modified == "Tue, 02 Mar 2027 09:30:00 GMT"
    sent = Handler.seen[-1]
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Tue, 02 Mar 2027 09:30:00 GMT"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/404", "not found (HTTP 404)"),
        ("/500", "had a problem (HTTP 500)"),
        ("/broken", "broken"),
        ("/html", "does not give an RSS or Atom feed"),
        ("/loop-a", "in a loop"),
        ("/chain/0", "too many times"),
        ("/big", "too large"),
        ("/big-no-length", "too large"),
    ],
)
def test_feed_errors_in_plain_words(server: str, client: Fetcher, path: str, words: str) -> None:
    result = fetch_feed(f"{server}{path}", etag="kept", client=client)
    assert result.status == "error" and result.posts == []
    assert words in result.error
    # The validators given in are handed back, so the next fetch is still conditional.
    assert result.etag == "kept"


def test_slow_answer_times_out(server: str, client: Fetcher) -> None:
    started = time.monotonic()
    result = fetch_feed(f"{server}/slow", client=client, timeout=0.3)
    assert result.status == "error"
    assert result.error == "The website did not answer within 0.3 seconds."
    assert time.monotonic() - started < 1.4


def test_a_body_dripping_past_the_timeout_is_cut_off(server: str, client: Fetcher) -> None:
    started = time.monotonic()
    result = fetch_feed(f"{server}/drip", client=client, timeout=0.3)
    assert result.error == "The website did not answer within 0.3 seconds."
    assert time.monotonic() - started < 1.5


def test_page_charset_from_the_header(server: str, client: Fetcher) -> None:
    (post,) = fetch_page(f"{server}/latin1", client=client).posts
    assert post.title == "Café consultation" and post.excerpt == "naïve"


def test_a_blog_page_gives_its_own_feed(server: str, client: Fetcher) -> None:
    result = fetch_feed(f"{server}/blog", client=client)
    assert result.status == "ok" and len(result.posts) == 2
    assert result.url == f"{server}/rss" and result.etag == '"v1"'
    # Pages naming each other: one discovery only, then a plain error.
    result = fetch_feed(f"{server}/blog-bad-feed", etag="kept", client=client)
    assert result.status == "error" and result.etag == "kept"
    assert "does not give an RSS or Atom feed" in result.error


def test_redirects_are_followed(server: str, client: Fetcher) -> None:
    result = fetch_feed(f"{server}/redirect", client=client)
    assert result.status == "ok" and len(result.posts) == 2
    assert result.url == f"{server}/rss"


def test_not_a_web_address_and_private_networks_refused(server: str) -> None:
    assert "not a web address" in fetch_feed("file:///etc/passwd", client=Fetcher()).error
    guarded = Fetcher(min_interval=0)
    result = fetch_feed(f"{server}/rss", client=guarded)
    assert result.status == "error" and "private network" in result.error
    assert guarded.requests_made == 0


def test_xss_in_titles_and_excerpts_comes_back_as_plain_text(server: str, client: Fetcher) -> None:
    result = fetch_feed(f"{server}/xss", client=client)
    # The entry whose link is javascript: is dropped altogether.
    (post,) = result.posts
    assert "<" not in post.excerpt and "alert" not in post.excerpt
    assert post.excerpt == "Hello there"
    assert "script" not in post.title and "alert" not in post.title
    # Escaped markup in the source stays visible as text, for the app to escape on render.
    assert post.title == "Council news <i>"
    assert all(link.startswith("http") for link in post.links)


def test_plain_text() -> None:
    assert plain_text("<p>one</p><p>two &amp; three</p>") == "one two & three"
    assert plain_text("<script>alert(1)</script>ok") == "ok"
    assert plain_text("") == ""


def test_per_host_interval() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    fetcher = Fetcher(min_interval=2.0, clock=lambda: now[0], sleep=sleep)
    fetcher._wait_for("a.example")
    fetcher._wait_for("b.example")
    fetcher._wait_for("a.example")
    now[0] += 5
    fetcher._wait_for("a.example")
    assert slept == [2.0]


def test_fetch_page(server: str, client: Fetcher) -> None:
    result = fetch_page(f"{server}/page", client=client)
    assert result.status == "ok"
    (post,) = result.posts
    assert post.title == "Why our library matters | Jo's blog"
    assert post.author == "Jo Bloggs"
    assert post.published == datetime(2027, 3, 6, 10, 0, tzinfo=UTC)
    assert post.excerpt == "Northfield library must stay open."
    assert "secret" not in post.text
    assert CONSULTATION + "#p-12" not in post.links  # fragments dropped
    assert relevant(post, links_to=[CONSULTATION], keywords=[])


def test_fetch_page_errors(server: str, client: Fetcher) -> None:
    assert fetch_page(f"{server}/404", client=client).status == "error"


def _post(**kwargs: object) -> Post:
    values: dict[str, object] = {
        "url": "https://blog.example/p",
        "title": "",
        "author": "",
        "published": None,
        "excerpt": "",
    }
    values.update(kwargs)
    return Post(**values)  # type: ignore[arg-type]


def test_relevant() -> None:
    assert relevant(
        _post(links=("http://kitbag.example/consultations/library-strategy",)),
        links_to=[CONSULTATION],
        keywords=[],
    )
    assert relevant(
        _post(links=("https://kitbag.example/consultations/library-strategy/comments/3",)),
        links_to=[CONSULTATION],
        keywords=[],
    )
    assert not relevant(
        _post(links=("https://kitbag.example/consultations/library-strategy-2",)),
        links_to=[CONSULTATION],
        keywords=[],
    )
    assert relevant(
        _post(title="Thoughts on the Library Strategy"), links_to=[], keywords=["library strategy"]
    )
    assert relevant(_post(excerpt="Ynys Môn consultation"), links_to=[], keywords=["ynys mon"])
    assert not relevant(_post(title="Libraryless strategy"), links_to=[], keywords=["library"])
    assert not relevant(_post(title="Parking"), links_to=[CONSULTATION], keywords=["library"])


def test_webmention_source_links(server: str, client: Fetcher) -> None:
    ok, post, reason = verify_webmention(f"{server}/page", CONSULTATION, client=client)
    assert ok and reason == "" and post is not None and post.author == "Jo Bloggs"


def test_webmention_source_does_not_link(server: str, client: Fetcher) -> None:
    ok, post, reason = verify_webmention(f"{server}/no-link", CONSULTATION, client=client)
    assert not ok and reason == "The source page does not link to the target."


def test_webmention_source_gone(server: str, client: Fetcher) -> None:
    for path in ("/gone", "/404"):
        ok, post, reason = verify_webmention(f"{server}{path}", CONSULTATION, client=client)
        assert (ok, post, reason) == (False, None, "The source page is gone.")


def test_webmention_plain_text_and_bad_input(server: str, client: Fetcher) -> None:
    ok, post, _ = verify_webmention(f"{server}/plain-link", CONSULTATION, client=client)
    assert ok and post is not None
    assert verify_webmention("javascript:alert(1)", CONSULTATION, client=client)[0] is False
    assert (
        verify_webmention(CONSULTATION, CONSULTATION, client=client)[2]
        == "The source and the target are the same page."
    )
    ok, _, reason = verify_webmention(f"{server}/500", CONSULTATION, client=client)
    assert not ok and "HTTP 500" in reason
