"""The parts of Kitbag a visitor can go to: one list that the service navigation and the home page
both draw, so a newcomer finds every part that exists.

Each app adds its own parts in its AppConfig.ready() with `register_part(Part(...))`: a name, the URL name of
the part's front page, one sentence on what it is for, and optionally a function returning a few
live figures (each a label and a number, from the app's queries.py). Core never names the apps,
so a new part (consultations, partnership performance, the network) appears in the navigation and
on the home page without an edit to a core template.

Figures are counted once per public content version (kitbag/core/page_cache.py) and language:
every committed public write makes them fresh, and in between the home page costs no query for
them. KITBAG_PAGE_CACHE_SECONDS bounds how long they are kept, as it does for pages, because
"upcoming" changes with the date as well as with writes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language

from kitbag.core.page_cache import public_content_version

logger = logging.getLogger(__name__)

Text = str | Promise  # a string, or a lazily translated one (gettext_lazy)


@dataclass(frozen=True)
class Figure:
    label: Text  # what is counted, as a heading: "Published cases"
    value: int


FiguresFunction = Callable[[], Sequence[Figure]]


@dataclass(frozen=True)
class Part:
    name: str
    label: Text
    url_name: str
    purpose: Text
    figures: FiguresFunction | None = None
    # Further pages the home page offers under the part: (link text, URL name).
    links: tuple[tuple[Text, str], ...] = ()
    # URL names of the pages that belong to the part, as prefixes ("meetings:" is the whole
    # namespace, "meetings:openness_" the openness pages), so the navigation marks it current.
    # The longest matching prefix of any part wins. By default: the namespace of `url_name`.
    covers: tuple[str, ...] = ()
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    @property
    def prefixes(self) -> tuple[str, ...]:
        return self.covers or (self.url_name.rpartition(":")[0] + ":",)


_parts: dict[str, Part] = {}


def register_part(part: Part) -> None:
    """Add (or replace, by name: ready() may run twice in tests) a part of Kitbag."""
    _parts[part.name] = part


def unregister_part(name: str) -> None:
    _parts.pop(name, None)


def all_parts() -> list[Part]:
    return sorted(_parts.values(), key=lambda part: (part.order, part.name))


def part_of(view_name: str | None) -> Part | None:
    """The part a page belongs to, from its URL name ("meetings:openness_council")."""
    if not view_name:
        return None
    matches = [
        (len(prefix), part)
        for part in all_parts()
        for prefix in part.prefixes
        if view_name.startswith(prefix)
    ]
    return max(matches, key=lambda match: match[0])[1] if matches else None


@dataclass(frozen=True)
class PartWithFigures:
    part: Part
    figures: list[Figure]


def parts_with_figures() -> list[PartWithFigures]:
    """Every part with its live figures, for the home page."""
    counted = _counted_figures()
    return [
        PartWithFigures(
            part=part,
            figures=[
                Figure(label=label, value=value) for label, value in counted.get(part.name, [])
            ],
        )
        for part in all_parts()
    ]


def _counted_figures() -> dict[str, list[tuple[str, int]]]:
    seconds = settings.KITBAG_PAGE_CACHE_SECONDS
    version = public_content_version() if seconds > 0 else None
    key = f"kitbag:part-figures:{version}:{get_language()}"
    if version is not None:
        try:
            cached = cache.get(key)
        except Exception:
            logger.warning("Cache unreachable reading the parts' figures", exc_info=True)
            cached = None
        if cached is not None:
            return dict(cached)
    counted = {
        part.name: [(str(figure.label), figure.value) for figure in part.figures()]
        for part in all_parts()
        if part.figures is not None
    }
    if version is not None:
        try:
            cache.set(key, counted, timeout=seconds)
        except Exception:
            logger.warning("Cache unreachable storing the parts' figures", exc_info=True)
    return counted
