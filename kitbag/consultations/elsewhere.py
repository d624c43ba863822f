"""Going to where people already write: polite fetching of feeds and pages, and Webmentions.

Pure Python, no Django: the consultations app stores what these functions return and passes in
what they need (its user agent from settings, the ETag and Last-Modified it kept).

Polite means (issue 18): an honest User-Agent naming Kitbag and why it is asking; at most one
request per `min_interval` seconds to each host (per `Fetcher`; the app keeps one per worker);
conditional requests with the ETag and Last-Modified given in, and the new ones given back; a
timeout on the whole answer, not just on each read; a size cap; redirects followed up to a limit,
each hop checked like the first. Addresses that resolve to private, loopback or link-local
networks are refused unless the fetcher is told otherwise (tests): a Webmention source is any
address anyone sends, and Kitbag must not be made to fetch its own internal services.

Feeds are read with feedparser (docs/decisions/0034-feed-reading.md), pages with lxml. Everything
that comes back is plain text: HTML is stripped with nh3 to no tags at all, then unescaped, so the
app escapes it once on render. Links that are not http(s) are dropped, so `javascript:` never
reaches an href. Errors are short sentences an official can act on.
"""

from __future__ import annotations

import html
import importlib.metadata
import io
import ipaddress
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
import lxml.html
import nh3
from lxml import etree

from kitbag.search.text import words

__all__ = [
    "DEFAULT_USER_AGENT",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "Post",
    "Response",
    "fetch_feed",
    "fetch_page",
    "plain_text",
    "relevant",
    "user_agent",
    "verify_webmention",
]


def _version() -> str:
    try:
        return importlib.metadata.version("kitbag")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a source checkout
        return "0"


def user_agent(site_url: str = "", contact: str = "") -> str:
    """The honest User-Agent: Kitbag, its version, why it asks, and where to reach whoever runs
    it (the app passes settings.SITE_URL and its contact address)."""
    parts = ["consultations: posts about open consultations"]
    if site_url:
        parts.append(f"+{site_url}")
    if contact:
        parts.append(contact)
    return f"Kitbag/{_version()} ({'; '.join(parts)})"


DEFAULT_USER_AGENT = user_agent()
EXCERPT_CHARS = 500
# Kept beside the excerpt only to decide relevance; never shown.
TEXT_CHARS = 20_000
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
MIN_INTERVAL_SECONDS = 1.0
ACCEPT_FEED = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
ACCEPT_PAGE = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"


@dataclass(frozen=True)
class Post:
    url: str
    title: str
    author: str
    published: datetime | None
    excerpt: str  # plain text, at most EXCERPT_CHARS characters
    # The post's outgoing links (absolute, http(s) only) and its plain text, to decide relevance.
    links: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class FetchResult:
    status: Literal["ok", "not-modified", "error"]
    posts: list[Post]
    etag: str | None
    last_modified: str | None
    error: str = ""  # plain words for officials
    # Where the posts came from: the address after redirects, or the feed a web page named as
    # its own (<link rel="alternate">). The app may keep it in place of the address given.
    url: str = ""


@dataclass(frozen=True)
class Response:
    url: str  # the final address, after redirects
    status: int
    headers: Mapping[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class FetchError(Exception):
    """Something an official can read: the message says what happened in plain words."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # Redirects are followed by `Fetcher.get`, one checked hop at a time.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _is_public(host: str, port: int) -> bool:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError("The website's name could not be found.") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            return False
    return True


class Fetcher:
    """GETs with the manners described in the module docstring. Safe to share between threads."""

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        min_interval: float = MIN_INTERVAL_SECONDS,
        max_bytes: int = MAX_BYTES,
        max_redirects: int = MAX_REDIRECTS,
        allow_private: bool = False,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent
        self.min_interval = min_interval
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.allow_private = allow_private
        self.clock = clock
        self.sleep = sleep
        self.requests_made = 0
        self._next_slot: dict[str, float] = {}
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(_NoRedirects())

    def _wait_for(self, host: str) -> None:
        with self._lock:
            now = self.clock()
            start = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = start + self.min_interval
        if start > now:
            self.sleep(start - now)

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        timeout: float = 10,
        accept: str = "*/*",
    ) -> Response:
        """The answer to a GET of `url` (2xx or 304), following redirects; raises `FetchError`
        for anything else, with a message for officials."""
        headers = {"User-Agent": self.user_agent, "Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = {url}
        current = url
        for _hop in range(self.max_redirects + 1):
            response = self._one(current, headers, timeout)
            if response.status not in {301, 302, 303, 307, 308}:
                return response
            location = response.header("location")
            if not location:
                raise FetchError("The website redirected without saying where to.")
            current = urljoin(current, location.strip())
            if current in seen:
                raise FetchError("The address redirects in a loop.")
            seen.add(current)
        raise FetchError(f"The address redirects too many times (more than {self.max_redirects}).")

    def _one(self, url: str, headers: dict[str, str], timeout: float) -> Response:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise FetchError("This is not a web address (it must start with http:// or https://).")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if not self.allow_private and not _is_public(parts.hostname, port):
            raise FetchError(
                "This address is on a private network; Kitbag only fetches public websites."
            )
        self._wait_for(parts.hostname.lower())
        self.requests_made += 1
        deadline = time.monotonic() + timeout
        request = urllib.request.Request(url, headers=headers, method="GET")  # noqa: S310 (scheme checked above)
        try:
            with self._opener.open(request, timeout=timeout) as answer:
                return Response(
                    url=url,
                    status=answer.status,
                    headers=_headers(answer.headers),
                    body=self._read(answer, deadline, timeout),
                )
        except urllib.error.HTTPError as error:
            error.close()  # the connection, not kept waiting for a body nobody reads
            if error.code in {301, 302, 303, 304, 307, 308}:
                return Response(
                    url=url, status=error.code, headers=_headers(error.headers), body=b""
                )
            raise FetchError(_http_error(error.code, timeout), status=error.code) from error
        except FetchError:
            raise
        except TimeoutError as error:
            raise FetchError(_too_slow(timeout)) from error
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                raise FetchError(_too_slow(timeout)) from error
            if isinstance(reason, ssl.SSLError):
                raise FetchError(
                    "The website's security certificate could not be checked."
                ) from error
            if isinstance(reason, socket.gaierror):
                raise FetchError("The website's name could not be found.") from error
            raise FetchError("Could not connect to the website.") from error
        except (ConnectionError, OSError, ValueError) as error:
            # http.client's errors (a broken status line, a reset) are OSError or ValueError.
            raise FetchError("The website's answer was broken or cut off.") from error

    def _read(self, answer: Any, deadline: float, timeout: float) -> bytes:
        length = answer.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(_too_big(self.max_bytes))
        chunks = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise FetchError(_too_slow(timeout))
            # read1 returns what has arrived: read(n) would wait for n bytes, however slowly
            # they drip, and the deadline would never be looked at.
            chunk = answer.read1(64 * 1024) if hasattr(answer, "read1") else answer.read(64 * 1024)
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(_too_big(self.max_bytes))
            chunks.append(chunk)
        return b"".join(chunks)


def _headers(message: Message | None) -> dict[str, str]:
    if message is None:
        return {}
    return {key.lower(): value for key, value in message.items()}


def _too_slow(timeout: float) -> str:
    return f"The website did not answer within {timeout:g} seconds."


def _too_big(limit: int) -> str:
    return f"The answer was larger than {limit // (1024 * 1024) or 1} MB, too large to read."


def _http_error(code: int, timeout: float) -> str:
    if code in {404, 410}:
        return f"The address was not found (HTTP {code}). Check that it is right."
    if code in {401, 403, 451}:
        return f"The website refused to let Kitbag read this address (HTTP {code})."
    if code == 429:
        return "The website asked Kitbag to slow down (HTTP 429). It will try again later."
    if code >= 500:
        return f"The website had a problem (HTTP {code}). Kitbag will try again later."
    return f"The website refused the request (HTTP {code})."


_DEFAULT_FETCHER: Fetcher | None = None
_DEFAULT_LOCK = threading.Lock()


def default_fetcher() -> Fetcher:
    """One fetcher per process, so that the per-host interval holds across calls."""
    global _DEFAULT_FETCHER
    with _DEFAULT_LOCK:
        if _DEFAULT_FETCHER is None:
            _DEFAULT_FETCHER = Fetcher()
        return _DEFAULT_FETCHER


# Text

_SPACE = re.compile(r"\s+")


def plain_text(markup: str) -> str:
    """HTML (or plain text) as plain text: no tags at all, entities decoded, whitespace collapsed.
    The result is NOT safe to put in HTML unescaped: the app escapes it on render."""
    if not markup:
        return ""
    # Block ends become spaces, so that "<p>one</p><p>two</p>" does not read "onetwo".
    spaced = re.sub(r"(?i)<(br|/p|/div|/li|/h[1-6]|/tr|/td|/th|/blockquote)\b[^>]*>", " ", markup)
    stripped = nh3.clean(spaced, tags=set(), clean_content_tags={"script", "style"})
    return _SPACE.sub(" ", html.unescape(stripped)).strip()


def _excerpt(text: str) -> str:
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text[: EXCERPT_CHARS - 1]
    if " " in cut[EXCERPT_CHARS // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def _web_url(url: str | None, base: str = "") -> str | None:
    """An absolute http(s) address without its fragment, or None (javascript:, mailto:, data:)."""
    if not url:
        return None
    absolute = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(absolute)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def _links_in(markup: str, base: str) -> tuple[str, ...]:
    if not markup or "<" not in markup:
        return ()
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (ValueError, etree.ParserError):
        return ()
    return _links_of(root, base)


def _links_of(root: Any, base: str) -> tuple[str, ...]:
    found: list[str] = []
    for element in root.iter("a", "link", "img", "video", "audio", "source", "iframe"):
        for attribute in ("href", "src"):
            url = _web_url(element.get(attribute), base)
            if url and url not in found:
                found.append(url)
    return tuple(found)


# Feeds


def fetch_feed(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    client: Fetcher | None = None,
    timeout: float = 10,
) -> FetchResult:
    """The posts of an RSS or Atom feed, newest first as the feed gives them; never raises.
    Given a web page instead (a blog's home page), the feed it names as its own is read."""
    return _fetch_feed(
        url,
        etag=etag,
        last_modified=last_modified,
        fetcher=client or default_fetcher(),
        timeout=timeout,
        discover=True,
    )


def _fetch_feed(
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    fetcher: Fetcher,
    timeout: float,
    discover: bool,
) -> FetchResult:
    try:
        response = fetcher.get(
            url, etag=etag, last_modified=last_modified, timeout=timeout, accept=ACCEPT_FEED
        )
    except FetchError as error:
        return FetchResult("error", [], etag, last_modified, error.message)
    new_etag = response.header("etag") or etag
    new_modified = response.header("last-modified") or last_modified
    if response.status == 304:
        return FetchResult("not-modified", [], new_etag, new_modified, url=response.url)
    content_type = response.header("content-type")
    try:
        posts = parse_feed(response.body, url=response.url, content_type=content_type)
    except FetchError as error:
        alternate = _feed_link(response.body, response.url, content_type) if discover else None
        if alternate is None or alternate == response.url:
            return FetchResult("error", [], etag, last_modified, error.message)
        # The page's own feed: fetched once (no further discovery), without the page's
        # validators, which belong to the page.
        found = _fetch_feed(
            alternate,
            etag=None,
            last_modified=None,
            fetcher=fetcher,
            timeout=timeout,
            discover=False,
        )
        if found.status == "error":
            return FetchResult("error", [], etag, last_modified, found.error)
        return found
    return FetchResult("ok", posts, new_etag, new_modified, url=response.url)


_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+xml"}


def _feed_link(body: bytes, url: str, content_type: str | None) -> str | None:
    """The first RSS or Atom feed an HTML page names in <link rel="alternate" type=...>."""
    if "html" not in (content_type or "").lower() and b"<html" not in body[:4096].lower():
        return None
    try:
        root = lxml.html.document_fromstring(body)
    except (ValueError, etree.ParserError):
        return None
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in _FEED_TYPES:
            found = _web_url(link.get("href"), url)
            if found:
                return found
    return None


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> list[Post]:
    """Posts of a feed document; raises `FetchError` when it is no feed or cannot be read."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A stream, never a string: feedparser fetches a string that looks like an address itself.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=True)
    if not parsed.get("version"):
        if parsed.get("bozo") and body.lstrip()[:1] == b"<" and b"<html" not in body[:2048].lower():
            raise FetchError("The feed is broken and could not be read.")
        raise FetchError("This address does not give an RSS or Atom feed.")
    if parsed.get("bozo") and not parsed.entries:
        raise FetchError("The feed is broken and could not be read.")
    feed_author = plain_text(parsed.feed.get("author", ""))
    posts = []
    for entry in parsed.entries:
        link = _web_url(entry.get("link"), url)
        if link is None:
            continue
        body_html = ""
        if entry.get("content"):
            body_html = entry.content[0].get("value", "")
        summary_html = entry.get("summary", "") or body_html
        text = plain_text(body_html or summary_html)
        posts.append(
            Post(
                url=link,
                title=plain_text(entry.get("title", "")) or link,
                author=plain_text(entry.get("author", "")) or feed_author,
                published=_struct_time(
                    entry.get("published_parsed") or entry.get("updated_parsed")
                ),
                excerpt=_excerpt(plain_text(summary_html)),
                links=_links_in(body_html + " " + summary_html, link),
                text=text[:TEXT_CHARS],
            )
        )
    if parsed.get("bozo") and not posts:
        raise FetchError("The feed is broken and could not be read.")
    return posts


def _struct_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = value[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        return None


# Pages


def fetch_page(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    client: Fetcher | None = None,
    timeout: float = 10,
) -> FetchResult:
    """One web page as one post: title, author (meta), date, excerpt; never raises."""
    fetcher = client or default_fetcher()
    try:
        response = fetcher.get(
            url, etag=etag, last_modified=last_modified, timeout=timeout, accept=ACCEPT_PAGE
        )
    except FetchError as error:
        return FetchResult("error", [], etag, last_modified, error.message)
    new_etag = response.header("etag") or etag
    new_modified = response.header("last-modified") or last_modified
    if response.status == 304:
        return FetchResult("not-modified", [], new_etag, new_modified, url=response.url)
    try:
        post = parse_page(
            response.body, url=response.url, content_type=response.header("content-type")
        )
    except FetchError as error:
        return FetchResult("error", [], etag, last_modified, error.message)
    return FetchResult("ok", [post], new_etag, new_modified, url=response.url)


_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "article:modified_time",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "twitter:creator")
_DESCRIPTION_META = ("og:description", "description", "twitter:description")
_TITLE_META = ("og:title", "twitter:title")


_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)


def parse_page(body: bytes, *, url: str, content_type: str | None = None) -> Post:
    """A page as a post; raises `FetchError` when it is not HTML that can be read. The charset
    of the Content-Type header wins over the page's own <meta> (as in browsers)."""
    if not body.strip():
        raise FetchError("The page was empty.")
    found = _CHARSET.search(content_type or "")
    parser = None
    if found:
        try:
            "".encode(found.group(1))
            parser = lxml.html.HTMLParser(encoding=found.group(1))
        except LookupError:
            parser = None
    try:
        root = lxml.html.document_fromstring(body, parser=parser)
    except (ValueError, etree.ParserError) as error:
        raise FetchError("The page could not be read.") from error
    meta: dict[str, str] = {}
    for element in root.iter("meta"):
        key = (
            element.get("property") or element.get("name") or element.get("itemprop") or ""
        ).lower()
        content = element.get("content")
        if key and content and key not in meta:
            meta[key] = content
    for element in root.iter("time"):
        if element.get("datetime") and "time" not in meta:
            meta["time"] = element.get("datetime") or ""
    title_element = root.find(".//title")
    title = next((meta[k] for k in _TITLE_META if meta.get(k)), None) or (
        title_element.text_content() if title_element is not None else ""
    )
    author = next((meta[k] for k in _AUTHOR_META if meta.get(k)), "")
    published = None
    for key in (*_DATE_META, "time"):
        published = _iso_date(meta.get(key))
        if published:
            break
    for element in root.iter("script", "style", "noscript", "template"):
        element.drop_tree()
    main = next(
        (
            found
            for found in map(root.find, (".//article", ".//main", ".//body"))
            if found is not None
        ),
        root,
    )
    text = plain_text(lxml.html.tostring(main, encoding="unicode"))
    description = next((meta[k] for k in _DESCRIPTION_META if meta.get(k)), "")
    canonical = next(
        (
            _web_url(link.get("href"), url)
            for link in root.iter("link")
            if (link.get("rel") or "").lower() == "canonical" and _web_url(link.get("href"), url)
        ),
        None,
    )
    return Post(
        url=_web_url(url) or url,
        title=plain_text(title) or (canonical or url),
        author=plain_text(author),
        published=published,
        excerpt=_excerpt(plain_text(description) or text),
        links=_links_of(root, url),
        text=text[:TEXT_CHARS],
    )


def _iso_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    # A date without a zone is taken as UTC: a day off at worst, never a crash on comparison.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Relevance


def _same_or_under(link: str, target: str) -> bool:
    a, b = urlsplit(link), urlsplit(target)
    if (a.hostname or "").lower() != (b.hostname or "").lower():
        return False
    # http and https, "/x" and "/x/" are the same page; "/x/comments" is under it.
    path, wanted = a.path.rstrip("/"), b.path.rstrip("/")
    return path == wanted or path.startswith(wanted + "/")


def relevant(post: Post, *, links_to: Sequence[str], keywords: Sequence[str]) -> bool:
    """Whether a post is about the consultation: it links to one of `links_to` (or a page under
    it), or it uses one of the keywords (a word or a phrase, matched as whole words, case and
    accents aside)."""
    targets = [t for t in (_web_url(u) for u in links_to) if t]
    if any(_same_or_under(link, target) for link in post.links for target in targets):
        return True
    if _web_url(post.url) and any(_same_or_under(post.url, target) for target in targets):
        return True
    haystack = " " + " ".join(words(" ".join((post.title, post.excerpt, post.text)))) + " "
    for keyword in keywords:
        phrase = " ".join(words(keyword))
        if phrase and f" {phrase} " in haystack:
            return True
    return False


# Webmention


def verify_webmention(
    source: str,
    target: str,
    *,
    client: Fetcher | None = None,
    timeout: float = 10,
    targets: Iterable[str] = (),
) -> tuple[bool, Post | None, str]:
    """Fetch `source` and check that it links to `target` (W3C Webmention, section 3.2.2).

    Returns (verified, the source as a post, reason). Not verified with a reason when the source
    cannot be fetched, is gone (then the app deletes a mention it had), or does not link to the
    target. `targets` are other addresses that count as the target (e.g. http and https)."""
    source_url = _web_url(source)
    target_url = _web_url(target)
    if source_url is None or target_url is None:
        return False, None, "The source and target must both be web addresses."
    if source_url == target_url:
        return False, None, "The source and the target are the same page."
    fetcher = client or default_fetcher()
    try:
        response = fetcher.get(source, timeout=timeout, accept=ACCEPT_PAGE)
    except FetchError as error:
        if error.status in {404, 410}:
            return False, None, "The source page is gone."
        return False, None, error.message
    if response.status == 304:  # pragma: no cover - no validators are sent
        return False, None, "The source page could not be read."
    wanted = {target_url, *(t for t in (_web_url(u) for u in targets) if t)}
    content_type = (response.header("content-type") or "").lower()
    if "html" in content_type or response.body.lstrip()[:1] == b"<":
        try:
            post = parse_page(response.body, url=response.url, content_type=content_type)
        except FetchError as error:
            return False, None, error.message
        if not any(link in wanted for link in post.links):
            return False, post, "The source page does not link to the target."
        return True, post, ""
    # Plain text and other types: the address must appear in the text (the recommendation).
    text = response.body.decode("utf-8", errors="replace")
    if not any(t in text for t in wanted):
        return False, None, "The source page does not link to the target."
    title = plain_text(text.strip().splitlines()[0]) if text.strip() else ""
    post = Post(
        url=source_url,
        title=title or source_url,
        author="",
        published=None,
        excerpt=_excerpt(plain_text(text)),
        links=tuple(sorted(wanted)),
        text=plain_text(text)[:TEXT_CHARS],
    )
    return True, post, ""
