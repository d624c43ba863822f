"""Similar cases by meaning: the words-and-codes matches of cases/similarity.py blended with the
cosine of the cases' vectors, so "virtual agent" finds "chatbot" while a shared LGSL service still
counts as it did (a blank field never counts: that is the codes' side, unchanged).

    score = words-and-codes score + MEANING_WEIGHT x cosine   (MEANING_WEIGHT = 2)

A case enters on meaning alone when its cosine reaches MIN_MEANING; each one close in meaning
says so in its reasons ("meaning"). Only public documents of the kind are ever candidates here,
and the caller checks the viewer's own visibility again (similar_cases._as_similar_cases).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from kitbag.cases import similarity
from kitbag.search.models import SearchDocument
from kitbag.semantic import encoding, queries

MEANING_WEIGHT = 2.0
MIN_MEANING = 0.45
# Reasons say "close in meaning" from this cosine.
SAYS_MEANING = 0.45
CANDIDATES = 30


def subject_vector(
    *, doc_type: str, object_id: str | None, text: str
) -> npt.NDArray[np.float32] | None:
    """The stored vector of this object's document, or the text's own (a case being written)."""
    if not encoding.is_on():
        return None
    if object_id is not None:
        document = (
            SearchDocument.objects.filter(doc_type=doc_type, object_id=object_id)
            .values_list("pk", flat=True)
            .first()
        )
        if document is not None:
            stored = queries.vector_of(document, doc_type)
            if stored is not None:
                return stored
    return queries.encode_query(text)


def blend(
    *,
    corpus: similarity.Corpus,
    subject: similarity.CaseFeatures,
    matches: list[similarity.Match],
    vector: npt.NDArray[np.float32] | None,
    doc_type: str,
    exclude: Iterable[str],
    limit: int,
    meaning_weight: float = MEANING_WEIGHT,
    words_and_codes: bool = True,
) -> list[similarity.Match]:
    """The best `limit` of the word-and-code matches and the nearest public cases, re-scored."""
    if vector is None:
        return matches[:limit]
    excluded = set(exclude) | {subject.key}
    hidden = set(
        SearchDocument.objects.filter(doc_type=doc_type, is_public=False).values_list(
            "pk", flat=True
        )
    )
    neighbours = queries.nearest_to_vector(
        vector, doc_type=doc_type, k=CANDIDATES + len(excluded), outside=hidden
    )
    ids = {pk for pk, _ in neighbours}
    key_of = dict(SearchDocument.objects.filter(pk__in=ids).values_list("pk", "object_id"))
    cosine = {str(key_of[pk]): score for pk, score in neighbours if pk in key_of}
    by_key = {match.key: match for match in matches}
    missing = [key for key in by_key if key not in cosine]
    if missing:
        held = queries.matrix(doc_type)
        if held is not None:
            for pk, key in SearchDocument.objects.filter(
                doc_type=doc_type, object_id__in=missing
            ).values_list("pk", "object_id"):
                if pk in held.position:
                    cosine[str(key)] = float(held.rows[held.position[pk]] @ vector)
    keys = set(by_key) | {
        key
        for key, score in cosine.items()
        if score >= MIN_MEANING and key not in excluded and corpus.get(key) is not None
    }
    scored: list[similarity.Match] = []
    for key in keys:
        match = by_key.get(key)
        if match is None:
            features = corpus.get(key)
            if features is None:
                continue
            match = corpus.compare(subject, features)
        meaning = cosine.get(key, 0.0)
        base = match.score if words_and_codes else 0.0
        reasons = match.reasons if words_and_codes else ()
        if meaning >= SAYS_MEANING:
            reasons = (similarity.Reason(kind="meaning", labels=()), *reasons)
        scored.append(
            similarity.Match(
                key=key,
                score=round(base + meaning_weight * meaning, 6),
                text_score=match.text_score,
                code_score=match.code_score,
                reasons=reasons,
            )
        )
    scored.sort(key=lambda m: (-m.score, m.key))
    return scored[:limit]
