"""Web addresses as the library keeps them: one resource per address, whichever way it was written.

Pure: no Django. `normalise_url` returns the address the library stores, or raises `UnsafeAddress`
for anything that is not a plain http(s) link (javascript:, data:, file:, mailto:, no host...).
`normalise_tag` gives a tag the one spelling its page and feed are found under.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

URL_MAX_LENGTH: Final = 2000
TAG_MAX_LENGTH: Final = 50
ALLOWED_SCHEMES: Final = frozenset({"http", "https"})
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
# Browsers drop ASCII whitespace and control characters inside a scheme ("java\tscript:" runs);
# they are removed before the scheme is read so the check sees what a browser would run.
_INVISIBLE: Final = re.compile(r"[\x00-\x20\x7f]")
# Campaign trackers, not part of what the page is: two bookmarks differing only by them are one.
_TRACKING_PREFIXES: Final = ("utm_",)
_TRACKING_NAMES: Final = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid"})
_TAG_SPACE: Final = re.compile(r"[\s/\\]+")


class UnsafeAddress(ValueError):
    """Not an address the library links to; the message says why, in words for a person."""


def normalise_url(raw: str) -> str:
    address = _INVISIBLE.sub("", raw or "")
    if not address:
        raise UnsafeAddress("the link has no address")
    scheme, _, _ = address.partition(":")
    if ":" not in address or scheme.lower() not in ALLOWED_SCHEMES:
        shown = scheme.lower() + ":" if ":" in address and scheme else "it"
        raise UnsafeAddress(f"{shown} links are refused: only http and https addresses are kept")
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        raise UnsafeAddress("the address is not a valid web address") from None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeAddress("the address has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeAddress("addresses with a user name or password in them are refused")
    scheme = parts.scheme.lower()
    netloc = host.lower()
    if ":" in netloc:  # an IPv6 literal keeps its brackets
        netloc = f"[{netloc}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [
        (name, value)
        for name, value in pairs
        if not name.lower().startswith(_TRACKING_PREFIXES) and name.lower() not in _TRACKING_NAMES
    ]
    # Rewritten only when a tracker went, so an address's own spelling of its query is kept.
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)
    # The fragment is a place within the page, not another page.
    normalised = urlunsplit((scheme, netloc, parts.path or "/", query, ""))
    if len(normalised) > URL_MAX_LENGTH:
        raise UnsafeAddress(f"the address is longer than {URL_MAX_LENGTH} characters")
    return normalised


def normalise_tag(raw: str) -> str:
    """Lower case, words joined by hyphens: "Digital Inclusion" and "digital-inclusion" are one."""
    tag = _TAG_SPACE.sub("-", raw.strip().lower()).strip("-")
    return tag[:TAG_MAX_LENGTH].strip("-")


def normalise_tags(raw: list[str]) -> list[str]:
    """Tags normalised, blanks dropped, each once, in the order first given."""
    seen: dict[str, None] = {}
    for value in raw:
        tag = normalise_tag(value)
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
