"""The kinds of document the site-wide search shows, each registered by the app that indexes it.

An app joins the site-wide search (`/search/`, `GET /api/v1/search`) with a few lines in its
AppConfig.ready():

    register_kind(
        SearchKind(
            doc_type=DOC_TYPE,                      # as in its search_documents.py
            label=_("case"),
            plural=_("cases"),
            order=20,                               # where its group comes on the page
            search_url_name="cases:case_list",      # its own search page, taking ?q=
        )
    )

and by indexing each document with its `url` (`index_document(url=...)`, or a `url` on what it
gives `index_new_documents`): the site-wide search reads the link with the text, so showing hits of
ten kinds costs what showing one kind's costs. A kind whose documents were written without one
gives `links`, which finds the paths of such documents, many at once.

Public documents are shown to everyone: a kind decides what is public when it indexes
(`is_public`). A kind whose documents are not all public gives `viewer_objects`, its own rule of
who may see what (the app's `visible_*` helper): a signed-in reader then also finds the documents
not public of the objects it lets them see (their organisation's draft cases, their partnership's
partners-only projects), each labelled with `not_public_label`. Nothing here imports the apps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Text = str | Promise  # a string, or a lazily translated one (gettext_lazy)
# Paths of documents indexed without one, by object id; one query for many.
LinksFunction = Callable[[Sequence[str]], Mapping[str, str]]
# The kind's objects a signed-in viewer may see (a queryset whose primary keys are the documents'
# object ids), public or not: the search keeps those of them indexed as not public.
ViewerObjects = Callable[[Any], QuerySet[Any]]


@dataclass(frozen=True)
class SearchKind:
    doc_type: str
    label: Text  # one of them, in a sentence: "case"
    plural: Text  # many, in a sentence and as a heading: "cases"
    order: int = 100
    # The URL name of the kind's own search page, which takes ?q=: "see all 57 cases" goes
    # there. Blank: to the site-wide page filtered to the kind.
    search_url_name: str = ""
    links: LinksFunction | None = None
    # Who may see the documents not public (None: nobody finds them here), and what a hit of one
    # says it is, beside its title.
    viewer_objects: ViewerObjects | None = None
    not_public_label: Text = _("Not public")


_kinds: dict[str, SearchKind] = {}


def register_kind(kind: SearchKind) -> None:
    """Add (or replace, by doc_type: ready() may run twice in tests) a kind."""
    _kinds[kind.doc_type] = kind


def unregister_kind(doc_type: str) -> None:
    _kinds.pop(doc_type, None)


def all_kinds() -> list[SearchKind]:
    """Every registered kind, in the order the page and the API group them."""
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.doc_type))


def kind_named(doc_type: str) -> SearchKind | None:
    return _kinds.get(doc_type)
