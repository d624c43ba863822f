"""The one way user-written text becomes HTML: Markdown rendered, then sanitised.

markdown-it-py renders CommonMark with raw HTML switched off, so anything that looks like a tag is
shown as text. nh3 then keeps only the tags and attributes listed here, and only http, https and
mailto links. The second step is the guarantee: if the renderer ever lets something through, the
sanitiser still removes it. Every template shows user text through the `markdown` filter
(kitbag/core/templatetags/kitbag_markdown.py) or plain autoescaping, never `|safe`.
"""

from __future__ import annotations

from functools import cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "hr",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Links people post are theirs, not ours: search engines should not count them, and the page
# they open must not be able to reach back into ours.
LINK_REL = "nofollow noopener ugc"
# GOV.UK Frontend styles nothing without its classes. They are set by the sanitiser, so a class a
# writer supplies can never survive to restyle the page.
GOVUK_CLASSES = {
    "p": "govuk-body",
    "a": "govuk-link",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "blockquote": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
}


@cache
def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    # Headings would break each page's one-<h1> outline; images would load from anywhere (which
    # the CSP blocks anyway) and let a writer track readers. Both stay as plain text or links.
    md.disable(["heading", "lheading", "image"])
    return md


def render_markdown(text: str) -> SafeString:
    """Turn Markdown written by a person into HTML that is safe to put in any page."""
    if not text:
        return SafeString("")
    html = _renderer().render(text)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        # Relative URLs would let a link point at our own pages with crafted parameters.
        url_relative="deny",
        link_rel=LINK_REL,
        set_tag_attribute_values={tag: {"class": css} for tag, css in GOVUK_CLASSES.items()},
        strip_comments=True,
    )
    return mark_safe(cleaned.strip())  # noqa: S308 - sanitised by nh3 just above
