"""Sections that other apps add to a page they do not own, so dependencies keep pointing inward.

The registry's organisation page lists an organisation's cases (and later its meetings and
consultations), but the registry must not import those apps. Instead an app registers a section
for a named page in its AppConfig.ready(), and the page's template renders every section registered
for it with `{% page_sections "organisation" organisation %}` (kitbag/core/templatetags/
kitbag_sections.py). A section's context function gets the request and the page's object and
returns the template's context, or None to leave the section out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

SectionContext = Callable[[HttpRequest | None, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class PageSection:
    page: str
    name: str
    template: str
    context: SectionContext
    order: int = 100


_sections: dict[str, dict[str, PageSection]] = {}


def register_section(
    *, page: str, name: str, template: str, context: SectionContext, order: int = 100
) -> None:
    """Add (or replace, by name: ready() may run twice in tests) a section of `page`."""
    _sections.setdefault(page, {})[name] = PageSection(
        page=page, name=name, template=template, context=context, order=order
    )


def sections_for(page: str) -> list[PageSection]:
    return sorted(_sections.get(page, {}).values(), key=lambda s: (s.order, s.name))
