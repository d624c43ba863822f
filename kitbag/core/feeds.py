"""The one Atom feed type every Kitbag feed uses: what people wrote stays text in a feed reader.

Atom's `<summary type="html">` is decoded once by a reader and then shown as HTML, so text put there
as it is would run as markup in the reader although the site's own page shows it escaped. This
feed type escapes every item's description before Django's generator writes it (the reader then
shows exactly the text that was written, paragraphs kept), whether the description came from a
person, an import or a moderator. Titles, names and categories are Atom text constructs already.

Use it for every feed: `AtomFeed(...)` where a feed is built by hand, `feed_type = AtomFeed` on a
`django.contrib.syndication.views.Feed`. A description that must carry links is rendered through
kitbag/core/markdown.py first: the sanitised HTML that helper returns is kept as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.safestring import SafeString


class AtomFeed(Atom1Feed):
    def add_item(  # type: ignore[override]
        self,
        title: str,
        link: str,
        description: str | None,
        **kwargs: Any,
    ) -> None:
        super().add_item(title, link, feed_html(description), **kwargs)


def feed_html(text: str | None) -> str:
    """Text as HTML that shows that text: escaped, with its paragraphs and line breaks.

    Already sanitised HTML (a SafeString from the Markdown helper) is kept as it is.
    """
    if text is None or text == "":
        return ""
    if isinstance(text, SafeString):
        return str(text)
    return str(linebreaks(text, autoescape=True))
