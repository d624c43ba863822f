"""Reads for "similar cases" and "others working on this": the database side of similarity.py.

Interface (the similarity helper fills it in; pages, the form prompt and the API call it):
- similar_cases(*, case, viewer, limit=5) -> list[SimilarCase]: public cases like this one.
- similar_to_draft(*, title, problem="", services=(), functions=(), sector=None, viewer,
  exclude_pk=None, limit=5) -> list[SimilarCase]: for the prompt while a new case is typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kitbag.accounts.permissions import Viewer
from kitbag.cases.models import Case
from kitbag.vocabularies.models import Code


@dataclass(frozen=True)
class SimilarCase:
    case: Case
    score: float
    # Plain-English reasons: "Same service: Council tax collection", "Shares words: chatbot".
    reasons: tuple[str, ...] = ()


def similar_cases(*, case: Case, viewer: Viewer, limit: int = 5) -> list[SimilarCase]:
    return []


def similar_to_draft(
    *,
    title: str,
    problem: str = "",
    services: Iterable[Code] = (),
    functions: Iterable[Code] = (),
    sector: Code | None = None,
    viewer: Viewer,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[SimilarCase]:
    return []
