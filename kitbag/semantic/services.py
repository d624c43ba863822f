"""Writes of vectors: embed search documents in batches, on import, on every write and by hand.

- embed_documents(*, document_ids, batch_size, progress) -> int: (re-)embed these documents
  where the stored vector is missing, from another model, or of an older text.
- embed_all(*, missing_only, doc_type, progress) -> int: `kitbag embed [--missing-only]`.
- embed_objects_soon(*, doc_type, object_ids): after the current transaction commits, through
  the background-task interface (in this process without a broker, on a worker with one).
- embed_written_documents(doc_type, object_ids): the search index's hook, so every kind's
  documents (consultations, resources, people, events...) are embedded when written.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from kitbag.core.background import background_task, run_in_background
from kitbag.search.models import SearchDocument
from kitbag.search.services import generation_key as search_generation_key
from kitbag.semantic import encoding, vectors
from kitbag.semantic.models import Embedding

BATCH_SIZE = 64
# What is embedded of a document: its title and the start of its body, which says what the case is
# about; the encoder reads 128 word pieces of it (about 600 characters), half what the model could
# take, for half the time on this NumPy path (decision 0027).
BODY_CHARACTERS = 600

Progress = Callable[[int, int], None]


def text_of(title: str, body: str) -> str:
    return f"{title.strip()}. {body.strip()[:BODY_CHARACTERS]}".strip(". ")


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def embed_documents(
    *,
    document_ids: Iterable[int],
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    force: bool = False,
) -> int:
    """Embed what is stale among these documents; returns how many vectors were written."""
    encoder = encoding.encoder()
    if encoder is None:
        return 0
    ids = sorted(set(document_ids))
    held = {
        row[0]: row[1:]
        for row in Embedding.objects.filter(document_id__in=ids).values_list(
            "document_id", "model", "text_hash"
        )
    }
    stale: list[tuple[int, str, str]] = []
    for start in range(0, len(ids), 2000):
        for pk, title, body in SearchDocument.objects.filter(
            pk__in=ids[start : start + 2000]
        ).values_list("pk", "title", "body"):
            text = text_of(title, body)
            digest = _hash(text)
            if force or held.get(pk) != (encoder.name, digest):
                stale.append((pk, text, digest))
    written = 0
    for start in range(0, len(stale), batch_size):
        batch = stale[start : start + batch_size]
        matrix = encoder.encode([text for _, text, _ in batch])
        _store(batch, matrix, encoder.name)
        written += len(batch)
        if progress is not None:
            progress(written, len(stale))
    return written


def generation_key() -> str:
    return f"semantic:generation:{connection.settings_dict['NAME']}"


def _new_generation() -> None:
    cache.set(generation_key(), uuid.uuid4().hex, None)


def current_generation() -> str | None:
    """Changes at every write of vectors (and at every write to the search index, whose
    documents the vectors belong to); None when the cache keeps nothing."""
    found = cache.get_many([generation_key(), search_generation_key()])
    if len(found) < 2:
        cache.add(generation_key(), uuid.uuid4().hex, None)
        found = cache.get_many([generation_key(), search_generation_key()])
        if generation_key() not in found:
            return None
    return f"{found.get(generation_key())}|{found.get(search_generation_key())}"


def _store(batch: Sequence[tuple[int, str, str]], matrix: vectors.Matrix, model: str) -> None:
    with transaction.atomic():
        existing = set(
            Embedding.objects.filter(document_id__in=[pk for pk, _, _ in batch]).values_list(
                "document_id", flat=True
            )
        )
        # bulk_update leaves auto_now alone: the time is set here, and the matrices follow it.
        now = timezone.now()
        rows = [
            Embedding(
                document_id=pk,
                model=model,
                vector=vectors.to_bytes(row),
                text_hash=digest,
                updated_at=now,
            )
            for (pk, _, digest), row in zip(batch, matrix, strict=True)
        ]
        Embedding.objects.bulk_create([row for row in rows if row.document_id not in existing])
        Embedding.objects.bulk_update(
            [row for row in rows if row.document_id in existing],
            ["model", "vector", "text_hash", "updated_at"],
        )
        # Now, and again on commit: a matrix read in between must not pass for current.
        _new_generation()
        transaction.on_commit(_new_generation)


# Registry bodies are found by name (the resolver), not by meaning; their thousands of documents
# are rewritten by every registry import.
NOT_EMBEDDED_ON_WRITE = frozenset({"organisation"})


def embed_all(
    *, missing_only: bool = False, doc_type: str | None = None, progress: Progress | None = None
) -> int:
    """Every document whose vector is missing, or (unless missing_only) stale; registry bodies
    only when asked for by `doc_type` (nothing finds them by meaning)."""
    documents = SearchDocument.objects.all()
    if doc_type:
        documents = documents.filter(doc_type=doc_type)
    else:
        documents = documents.exclude(doc_type__in=NOT_EMBEDDED_ON_WRITE)
    if missing_only:
        documents = documents.filter(embedding__isnull=True)
    return embed_documents(document_ids=documents.values_list("pk", flat=True), progress=progress)


@background_task
def embed_objects(*, doc_type: str, object_ids: list[str]) -> int:
    ids = list(
        SearchDocument.objects.filter(doc_type=doc_type, object_id__in=object_ids).values_list(
            "pk", flat=True
        )
    )
    if len(ids) <= BATCH_SIZE:
        return embed_documents(document_ids=ids)
    # An import's worth: progress on the command line (tqdm stays quiet when not on a terminal).
    with tqdm(total=len(ids), unit="doc", desc="Embedding", disable=None) as bar:
        return embed_documents(
            document_ids=ids, progress=lambda done, total: bar.update(done - bar.n)
        )


class _Pending:
    """Objects written in one transaction, embedded together (one batch) when it commits."""

    def __init__(self) -> None:
        self.wanted: dict[str, set[str]] = {}
        self.done = False

    def flush(self) -> None:
        self.done = True
        wanted, self.wanted = self.wanted, {}
        for doc_type, object_ids in sorted(wanted.items()):
            run_in_background(embed_objects, doc_type=doc_type, object_ids=sorted(object_ids))


def embed_objects_soon(*, doc_type: str, object_ids: Iterable[str]) -> None:
    """Embed these objects' documents once the writing transaction has committed; every write of
    one transaction (an import: thousands) goes in one background task, in batches."""
    if not encoding.is_on():
        return
    wanted = {str(object_id) for object_id in object_ids}
    if not wanted:
        return
    connection = transaction.get_connection()
    pending: _Pending | None = getattr(connection, "_kitbag_embed_pending", None)
    if (
        pending is not None
        and not pending.done
        and any(entry[1] == pending.flush for entry in connection.run_on_commit)
    ):
        pending.wanted.setdefault(doc_type, set()).update(wanted)
        return
    pending = _Pending()
    pending.wanted[doc_type] = wanted
    connection._kitbag_embed_pending = pending
    # Outside a transaction this runs at once.
    transaction.on_commit(pending.flush)


def embed_written_documents(doc_type: str, object_ids: list[str]) -> None:
    """The search index's hook: embed what was just written, after its commit."""
    if doc_type not in NOT_EMBEDDED_ON_WRITE:
        embed_objects_soon(doc_type=doc_type, object_ids=object_ids)
