"""The moderation log, read: a page, one entry's page, a CSV download and an Atom feed.

Every channel reads through permissions.visible_moderation_entries, so an entry for moderators
only never reaches anyone else. None of these is wrapped in the page cache: the page and the CSV
differ by viewer, and the feed is cheap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from kitbag.accounts import permissions
from kitbag.accounts.models import ModerationLogEntry
from kitbag.core.downloads import csv_response
from kitbag.core.feeds import AtomFeed

PAGE_SIZE = 50
FEED_SIZE = 50
CSV_FIELDS = [
    "id",
    "when",
    "who",
    "what",
    "object_type",
    "object_id",
    "object",
    "why",
    "visibility",
]


@require_safe
def moderation_log(request: HttpRequest) -> HttpResponse:
    entries = permissions.visible_moderation_entries(request.user)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/moderation_log.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "shows_moderators_entries": permissions.can(request.user, "moderate"),
        },
    )


@require_safe
def moderation_log_entry(request: HttpRequest, pk: int) -> HttpResponse:
    # 404, not 403, for an entry the viewer may not see: its existence is not theirs to know.
    entry = get_object_or_404(permissions.visible_moderation_entries(request.user), pk=pk)
    return render(request, "accounts/moderation_log_entry.html", {"entry": entry})


@require_safe
def moderation_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    entries = permissions.visible_moderation_entries(request.user).iterator(chunk_size=2000)
    return csv_response(_csv_rows(entries), columns=CSV_FIELDS, filename="moderation-log.csv")


def _csv_rows(entries: Iterable[ModerationLogEntry]) -> Iterator[dict[str, object]]:
    for entry in entries:
        yield {
            "id": entry.pk,
            "when": entry.created_at,
            "who": entry.actor_label,
            "what": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object": entry.object_label,
            "why": entry.reason,
            "visibility": entry.visibility,
        }


class PublicModerationLogFeed(Feed):
    """The public entries only, whoever asks: a feed URL gets shared and read by services that
    carry no one's session, so it must say the same to everyone."""

    feed_type = AtomFeed
    title = "Kitbag moderation log"
    subtitle = "What moderators have done on Kitbag, and why."

    def link(self) -> str:
        return reverse("accounts:moderation_log")

    def items(self) -> Iterable[ModerationLogEntry]:
        return permissions.visible_moderation_entries(AnonymousUser())[:FEED_SIZE]

    def item_title(self, item: ModerationLogEntry) -> str:
        return f"{item.actor_label} {item.action}: {item.object_label}"

    def item_description(self, item: ModerationLogEntry) -> str:
        return item.reason or "No reason given."

    def item_link(self, item: ModerationLogEntry) -> str:
        return reverse("accounts:moderation_log_entry", args=[item.pk])

    def item_author_name(self, item: ModerationLogEntry) -> str:
        return item.actor_label

    def item_pubdate(self, item: ModerationLogEntry) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: ModerationLogEntry) -> dt.datetime:
        return item.created_at

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in {"GET", "HEAD"}:
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        return super().__call__(request, *args, **kwargs)


urlpatterns = [
    path("moderation-log/", moderation_log, name="moderation_log"),
    path("moderation-log/<int:pk>/", moderation_log_entry, name="moderation_log_entry"),
    path("moderation-log/download.csv", moderation_log_csv, name="moderation_log_csv"),
    path("moderation-log/feed.atom", PublicModerationLogFeed(), name="moderation_log_feed"),
]
