"""An Atom feed of any case search, newest first, so people can follow a topic in a feed reader."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kitbag.cases.models import Case
from kitbag.core.feeds import AtomFeed

FEED_SIZE = 50


def case_feed(
    *, cases: Iterable[Case], title: str, link: str, feed_url: str, base_url: str
) -> AtomFeed:
    """Build the feed. `link` is the search page, `feed_url` this feed, both absolute."""
    feed = AtomFeed(
        title=title,
        link=link,
        feed_url=feed_url,
        description=_("New and updated cases in the innovation library."),
        language="en",
        # A stable id for the feed of this search: its own address.
        feed_guid=feed_url,
    )
    for case in cases:
        categories = [
            code.label
            for code in (case.phase, case.operational_status, case.outcome, case.evidence_level)
            if code is not None
        ]
        feed.add_item(
            title=case.title,
            link=base_url.rstrip("/") + case.get_absolute_url(),
            description=case.summary,
            unique_id=f"urn:uuid:{case.uuid}",
            unique_id_is_permalink=False,
            pubdate=case.published_at or case.created_at,
            updateddate=case.updated_at,
            author_name=case.lead_name or None,
            categories=categories,
        )
    return feed
