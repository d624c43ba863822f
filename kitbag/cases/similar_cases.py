"""Reads for "similar cases" and "others working on this": the database side of similarity.py.

- similar_cases(*, case, viewer, limit=5) -> list[SimilarCase]: public cases like this one.
- similar_to_draft(*, title, problem="", services=(), functions=(), sector=None, viewer,
  exclude_pk=None, limit=5) -> list[SimilarCase]: for the prompt while a new case is typed.

Features come from the cases' search documents (title, body, facets: what `reindex_case` already
computed) plus three Case fields the documents do not carry. Each process keeps a `Corpus` of the
public library, brought up to date at the start of every call from the documents changed since it
last looked, so a call costs a fixed handful of queries and scores only the cases sharing a
distinctive word or a specific code (docs/decisions/0016-similarity.md). Whatever the corpus says,
only cases in `visible_cases(viewer).public()` are ever returned, and never the case itself.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kitbag.accounts.permissions import Viewer
from kitbag.cases import similarity
from kitbag.cases.facet_labels import nation_label
from kitbag.cases.models import Case
from kitbag.cases.permissions import visible_cases
from kitbag.cases.search_documents import DOC_TYPE, own_place
from kitbag.search.models import SearchDocument
from kitbag.search.text import fold
from kitbag.semantic import similar as semantic_similar
from kitbag.vocabularies.models import Code


@dataclass(frozen=True)
class SimilarCase:
    case: Case
    score: float
    # Plain-English reasons: "Same service: Council tax collection", "Shares the words: chatbot".
    reasons: tuple[str, ...] = ()


# Search document facet -> similarity dimension. The other dimensions come from Case fields.
FACET_DIMENSIONS = {
    "service": "service",
    "function": "function",
    "sector": "sector",
    "phase": "phase",
    "technology": "technology",
    "outcome": "outcome",
    "nation": "nation",
}
# Dimension -> the code list its labels come from.
CODE_LISTS = {
    "service": "lgsl-services",
    "function": "lgsl-functions",
    "sector": "cofog",
    "phase": "govuk-phase",
    "technology": "technology",
    "outcome": "outcome-label",
}
REASONS: dict[str, Promise] = {
    "service": _("Same service: %(labels)s"),
    "function": _("Same service area: %(labels)s"),
    "innovation_type": _("Same kind of innovation: %(labels)s"),
    "phase": _("Same phase: %(labels)s"),
    "sector": _("Same sector: %(labels)s"),
    "technology": _("Both use: %(labels)s"),
    "outcome": _("Same outcome: %(labels)s"),
    "area": _("Serves the same area"),
    "nation": _("Both in: %(labels)s"),
    "words": _("Shares the words: %(labels)s"),
    # kitbag/semantic/similar.py: the two write-ups are close in meaning, whatever their words.
    "meaning": _("Describes something close to this"),
}
MAX_CODE_REASONS = 3
# Asked of the corpus beyond `limit`, in case the database no longer shows some of them.
SLACK = 5
# How far back before the newest timestamp seen a look at recent documents goes, and how often
# it is taken when nothing looks newer.
RECHECK = dt.timedelta(minutes=2)

_DOC_FIELDS = ("object_id", "title", "body", "facets", "updated_at")
_CASE_FIELDS = (
    "pk",
    "innovation_type",
    "area_codes",
    "lead_organisation__name",
    "lead_organisation_name",
)


# The library, one per database: derived from the database on every call, never the source of
# truth, so each process may hold its own (PRODUCT.md: no in-process state that must be shared).
@dataclass
class _Library:
    corpus: similarity.Corpus
    seen: dict[str, dt.datetime]  # object_id -> updated_at of the document the corpus holds
    as_of: dt.datetime | None  # the newest updated_at seen
    checked_at: float = 0.0  # time.monotonic() of the last look at recent documents


_LIBRARIES: dict[str, _Library] = {}
_LOCK = threading.Lock()


def _database_key(using: str) -> str:
    return f"{using}:{settings.DATABASES[using]['NAME']}"


def _features(
    doc: Mapping[str, Any], extras: Mapping[int, Sequence[Any]]
) -> similarity.CaseFeatures:
    facets = doc.get("facets") or {}
    codes: dict[str, frozenset[str]] = {
        dimension: frozenset(str(value) for value in facets.get(facet, ()) if value)
        for facet, dimension in FACET_DIMENSIONS.items()
    }
    codes["nation"] = own_place(codes.get("nation", frozenset()))
    organisation = ""
    row = extras.get(int(doc["object_id"]))
    if row is not None:
        _, innovation_type, area_codes, lead_name, lead_name_given = row
        codes["innovation_type"] = _innovation_codes(innovation_type)
        codes["area"] = frozenset(str(code) for code in (area_codes or ()) if code)
        organisation = " ".join(part for part in (lead_name, lead_name_given) if part)
    return similarity.CaseFeatures(
        key=str(doc["object_id"]),
        title=doc["title"],
        text=doc["body"],
        codes=codes,
        organisation=organisation,
    )


def _innovation_codes(innovation_type: str) -> frozenset[str]:
    # Free text in the record (the IPS-X type): folded so "Engagement management" written twice
    # in different cases is one code.
    folded = " ".join(fold(innovation_type or "").split())
    return frozenset([folded]) if folded else frozenset()


def _case_extras(pks: Iterable[int] | None, using: str) -> dict[int, Sequence[Any]]:
    cases = Case.objects.using(using)
    if pks is not None:
        cases = cases.filter(pk__in=list(pks))
    return {row[0]: row for row in cases.values_list(*_CASE_FIELDS)}


def _labels(using: str) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {dimension: {} for dimension in CODE_LISTS}
    dimension_of = {slug: dimension for dimension, slug in CODE_LISTS.items()}
    rows = Code.objects.using(using).filter(code_list__slug__in=dimension_of)
    for slug, code, label in rows.values_list("code_list__slug", "code", "label"):
        labels[dimension_of[slug]][code] = label
    return labels


def _innovation_labels(
    corpus: similarity.Corpus, features: Iterable[similarity.CaseFeatures]
) -> None:
    labels = corpus.labels.setdefault("innovation_type", {})
    for item in features:
        for code in item.filled("innovation_type"):
            labels.setdefault(code, code[:1].upper() + code[1:])


def _public_documents(using: str) -> Any:
    return SearchDocument.objects.using(using).filter(doc_type=DOC_TYPE, is_public=True)


def _build(using: str) -> _Library:
    rows = list(_public_documents(using).values(*_DOC_FIELDS))
    extras = _case_extras(None, using)
    features = [_features(row, extras) for row in rows]
    corpus = similarity.Corpus(features, labels=_labels(using))
    _innovation_labels(corpus, features)
    latest = max((row["updated_at"] for row in rows), default=None)
    return _Library(
        corpus=corpus,
        seen={str(row["object_id"]): row["updated_at"] for row in rows},
        as_of=latest,
    )


def _apply(library: _Library, object_ids: set[str], using: str) -> None:
    """Bring these documents up to date in the corpus: add, replace, or drop the non-public."""
    if not object_ids:
        return
    rows = list(
        SearchDocument.objects.using(using)
        .filter(doc_type=DOC_TYPE, object_id__in=sorted(object_ids))
        .values(*_DOC_FIELDS, "is_public")
    )
    extras = _case_extras((int(row["object_id"]) for row in rows), using)
    found = set()
    added = []
    for row in rows:
        key = str(row["object_id"])
        found.add(key)
        if row["is_public"]:
            item = _features(row, extras)
            library.corpus.add(item)
            added.append(item)
            library.seen[key] = row["updated_at"]
        else:
            library.corpus.remove(key)
            library.seen.pop(key, None)
        if library.as_of is None or row["updated_at"] > library.as_of:
            library.as_of = row["updated_at"]
    for key in object_ids - found:
        library.corpus.remove(key)
        library.seen.pop(key, None)
    if added:
        # A new code (an LGSL service no case used before) needs its label.
        library.corpus.labels.update(_labels(using))
        _innovation_labels(library.corpus, added)


def _library(using: str = "default") -> similarity.Corpus:
    """The public library as a Corpus, current as of this call."""
    key = _database_key(using)
    with _LOCK:
        library = _LIBRARIES.get(key)
        if library is None:
            library = _LIBRARIES[key] = _build(using)
            library.checked_at = time.monotonic()
            return library.corpus
        documents = SearchDocument.objects.using(using).filter(doc_type=DOC_TYPE)
        stamp = documents.aggregate(
            public=Count("pk", filter=Q(is_public=True)), latest=Max("updated_at")
        )
        moved = stamp["latest"] is not None and (
            library.as_of is None or stamp["latest"] > library.as_of
        )
        # Even when nothing looks newer, look again now and then: a transaction that committed
        # late may have written a timestamp older than one already seen.
        due = time.monotonic() - library.checked_at > RECHECK.total_seconds()
        if (moved or due) and library.as_of is not None:
            recent = documents.filter(updated_at__gte=library.as_of - RECHECK).values_list(
                "object_id", "updated_at", "is_public"
            )
            changed = {
                str(object_id)
                for object_id, updated_at, is_public in recent
                if library.seen.get(str(object_id)) != updated_at
                and (is_public or str(object_id) in library.seen)
            }
            _apply(library, changed, using)
            library.checked_at = time.monotonic()
        if stamp["public"] != len(library.corpus) or (moved and library.as_of is None):
            # Deleted, or changed long before: compare the lists of public ids once.
            public = documents.filter(is_public=True)
            current = {str(object_id) for object_id in public.values_list("object_id", flat=True)}
            held = library.corpus.keys()
            for gone in held - current:
                library.corpus.remove(gone)
                library.seen.pop(gone, None)
            _apply(library, current - held, using)
        return library.corpus


def forget_library() -> None:
    """Drop every process-held corpus (tests and benchmarks that rebuild the database)."""
    with _LOCK:
        _LIBRARIES.clear()


def _reason_text(reason: similarity.Reason) -> str:
    labels = reason.labels
    if reason.kind == "nation":
        labels = tuple(nation_label(label) for label in labels)
    if not labels:
        return str(REASONS[reason.kind])
    return str(REASONS[reason.kind]) % {"labels": ", ".join(labels[:3])}


def _reasons(match: similarity.Match) -> tuple[str, ...]:
    codes = [r for r in match.reasons if r.kind != "words" and r.kind in REASONS]
    words = [r for r in match.reasons if r.kind == "words"]
    return tuple(_reason_text(reason) for reason in codes[:MAX_CODE_REASONS] + words)


def _as_similar_cases(
    matches: list[similarity.Match], *, viewer: Viewer, limit: int, exclude_pk: int | None
) -> list[SimilarCase]:
    if not matches:
        return []
    pks = [int(match.key) for match in matches if int(match.key) != exclude_pk]
    cases = (
        visible_cases(viewer)
        .public()
        .filter(pk__in=pks)
        .select_related("lead_organisation", "phase", "operational_status", "sector", "outcome")
    )
    by_pk = {case.pk: case for case in cases}
    found = [
        SimilarCase(case=by_pk[int(match.key)], score=match.score, reasons=_reasons(match))
        for match in matches
        if int(match.key) in by_pk
    ]
    return found[:limit]


def _subject_of(case: Case, corpus: similarity.Corpus) -> similarity.CaseFeatures:
    held = corpus.get(str(case.pk))
    if held is not None:
        return held
    # Not public (a draft seen by its writers): its own document, or its fields if not indexed.
    doc = (
        SearchDocument.objects.filter(doc_type=DOC_TYPE, object_id=str(case.pk))
        .values(*_DOC_FIELDS)
        .first()
    )
    # The lead's name only if already loaded: a query for one word filter is not worth it.
    lead = case.lead_organisation if Case.lead_organisation.is_cached(case) else None
    extras = {
        case.pk: (
            case.pk,
            case.innovation_type,
            case.area_codes,
            lead.name if lead is not None else "",
            case.lead_organisation_name,
        )
    }
    if doc is None:
        doc = {"object_id": str(case.pk), "title": case.title, "body": case.summary, "facets": {}}
    return _features(doc, extras)


def similar_cases(
    *,
    case: Case,
    viewer: Viewer,
    limit: int = 5,
    weights: similarity.Weights | None = None,
    by_meaning: bool = True,
) -> list[SimilarCase]:
    """Public cases most like this one, best first, with why; never the case itself.

    `weights` and `by_meaning` are for the benchmark's baselines; pages leave them alone.
    """
    if limit <= 0:
        return []
    corpus = _library()
    subject = _subject_of(case, corpus)
    matches = corpus.similar(subject, limit=limit + SLACK, exclude=[str(case.pk)], weights=weights)
    if by_meaning:
        # Finding by meaning (kitbag/semantic/similar.py); unchanged when it is off.
        vector = semantic_similar.subject_vector(
            doc_type=DOC_TYPE, object_id=str(case.pk), text=f"{subject.title}. {subject.text}"
        )
        matches = semantic_similar.blend(
            corpus=corpus,
            subject=subject,
            matches=matches,
            vector=vector,
            doc_type=DOC_TYPE,
            exclude=[str(case.pk)],
            limit=limit + SLACK,
        )
    return _as_similar_cases(matches, viewer=viewer, limit=limit, exclude_pk=case.pk)


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
    """Public cases like the one being written, for "others working on this"."""
    services, functions = list(services), list(functions)
    if limit <= 0 or not (title.strip() or problem.strip() or services or functions or sector):
        return []
    corpus = _library()
    # A function counts for its parent area too, as in the case's search document.
    parent_ids = {function.parent_id for function in functions if function.parent_id}
    parents = (
        set(Code.objects.filter(pk__in=parent_ids).values_list("code", flat=True))
        if parent_ids
        else set()
    )
    subject = similarity.CaseFeatures(
        key="draft" if exclude_pk is None else str(exclude_pk),
        title=title,
        text=problem,
        codes={
            "service": frozenset(code.code for code in services),
            "function": frozenset(code.code for code in functions) | frozenset(parents),
            "sector": frozenset([sector.code]) if sector is not None else frozenset(),
        },
    )
    exclude = [str(exclude_pk)] if exclude_pk is not None else []
    matches = corpus.similar(subject, limit=limit + SLACK, exclude=exclude)
    # Finding by meaning (kitbag/semantic/similar.py): what is typed, not a stored vector.
    vector = semantic_similar.subject_vector(
        doc_type=DOC_TYPE, object_id=None, text=f"{title}. {problem}"
    )
    matches = semantic_similar.blend(
        corpus=corpus,
        subject=subject,
        matches=matches,
        vector=vector,
        doc_type=DOC_TYPE,
        exclude=exclude,
        limit=limit + SLACK,
    )
    return _as_similar_cases(matches, viewer=viewer, limit=limit, exclude_pk=exclude_pk)
