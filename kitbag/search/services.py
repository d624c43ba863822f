"""Writes to the search index. Every write goes through here so the text index stays in step."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.core.cache import cache
from django.db import connection, transaction

from kitbag.core.page_cache import public_content_changed
from kitbag.search import text
from kitbag.search.backends import backend_for
from kitbag.search.models import SearchDocument, SearchFacet, SearchSynonym


def generation_key() -> str:
    """Cached counts of the search index (queries.py) carry the value under this key in their
    own keys: a new value after every write makes them all stale at once, in every process. One
    per database, since a test's or a benchmark's database may share the cache."""
    return f"search:generation:{connection.settings_dict['NAME']}"


def _new_generation() -> None:
    cache.set(generation_key(), uuid.uuid4().hex, None)


def current_generation() -> str | None:
    """The index's generation; when the cache has lost it (emptied, or a Redis restarted), a new
    one, which every process then shares and the next write replaces. None only when the cache
    keeps nothing at all."""
    found = cache.get(generation_key())
    if found is None:
        # add, not set: two processes starting one at once keep the first.
        cache.add(generation_key(), uuid.uuid4().hex, None)
        found = cache.get(generation_key())
    return None if found is None else str(found)


def bump_generation() -> None:
    """Forget every cached count; called after each write to the index.

    At once, so that the writing transaction never reads counts from before its own write, and
    again on commit (once per transaction), so that counts another process cached in between,
    from before the commit, are forgotten too.
    """
    _new_generation()
    connection = transaction.get_connection()
    if not any(entry[1] is _new_generation for entry in connection.run_on_commit):
        transaction.on_commit(_new_generation)


def clean_facets(facets: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Facets as they are stored, both in SearchDocument.facets and as SearchFacet rows: values as
    strings, sorted, without blanks or repeats. Every writer of either uses this, since searches
    count from the one and filter by the other."""
    cleaned: dict[str, list[str]] = {}
    for name, values in (facets or {}).items():
        unique = sorted({str(value) for value in values if str(value) != ""})
        if unique:
            cleaned[str(name)] = unique
    return cleaned


DocumentsWritten = Callable[[str, list[str]], None]
_on_written: dict[str, DocumentsWritten] = {}


def on_documents_written(name: str, hook: DocumentsWritten) -> None:
    """Call `hook(doc_type, object_ids)` whenever documents are written (replaced by name).

    Finding by meaning embeds every written document this way: the search app must not import
    it, since it reads the index."""
    _on_written[name] = hook


def _written(doc_type: str, object_ids: list[str]) -> None:
    for hook in list(_on_written.values()):
        hook(doc_type, object_ids)


@transaction.atomic
def index_document(
    *,
    doc_type: str,
    object_id: str,
    title: str,
    body: str = "",
    extra: str = "",
    facets: dict[str, list[str]] | None = None,
    sort_date: dt.date | None = None,
    is_public: bool = True,
    url: str = "",
) -> SearchDocument:
    """Add or replace one object's entry; indexing the same thing twice changes nothing.

    `url` is where a hit links to, as a path: the site-wide search reads it with the text."""
    cleaned = clean_facets(facets)
    document, _ = SearchDocument.objects.update_or_create(
        doc_type=doc_type,
        object_id=str(object_id),
        defaults={
            "title": title,
            "body": body,
            "extra": extra,
            "facets": cleaned,
            "sort_date": sort_date,
            "is_public": is_public,
            "url": url,
            # With the row, so that the backend's write adds no second copy of it.
            "terms": text.terms_of({"title": title, "extra": extra, "body": body}),
        },
    )
    document.facet_rows.all().delete()
    SearchFacet.objects.bulk_create(
        SearchFacet(document=document, name=name, value=value)
        for name, values in cleaned.items()
        for value in values
    )
    backend_for().write(document)
    bump_generation()
    _written(doc_type, [str(object_id)])
    return document


class Indexable(Protocol):
    """What an app gives the index for one object (cases: search_documents.CaseDocument).

    It may also have a `url` (a path, where a hit links to): read when present, so that a kind
    written before the site-wide search existed still fits."""

    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def extra(self) -> str: ...
    @property
    def facets(self) -> dict[str, list[str]]: ...
    @property
    def sort_date(self) -> dt.date | None: ...
    @property
    def is_public(self) -> bool: ...


def url_of(document: Indexable) -> str:
    return str(getattr(document, "url", "") or "")


@transaction.atomic
def index_new_documents(*, doc_type: str, documents: Sequence[tuple[str, Indexable]]) -> None:
    """Index objects that have no search document yet, in a few statements: what
    `index_document` writes for each, for bulk loads (synthetic cases, 100,000 at a time).

    The text index is still written by the backend's own `write`, one document at a time, so its
    SQL stays in the backends.
    """
    rows = [
        SearchDocument(
            doc_type=doc_type,
            object_id=str(object_id),
            title=document.title,
            body=document.body,
            extra=document.extra,
            facets=clean_facets(document.facets),
            sort_date=document.sort_date,
            is_public=document.is_public,
            url=url_of(document),
            terms=text.terms_of(
                {"title": document.title, "extra": document.extra, "body": document.body}
            ),
        )
        for object_id, document in documents
    ]
    SearchDocument.objects.bulk_create(rows)
    SearchFacet.objects.bulk_create(
        SearchFacet(document=row, name=name, value=value)
        for row in rows
        for name, values in row.facets.items()
        for value in values
    )
    backend = backend_for()
    for row in rows:
        backend.write(row)
    bump_generation()
    _written(doc_type, [row.object_id for row in rows])


@dataclass(frozen=True)
class SyncCounts:
    created: int
    updated: int
    removed: int
    unchanged: int


# What sync_documents compares of a stored document with a wanted one.
_COMPARED = ("title", "body", "extra", "facets", "sort_date", "is_public", "url")


@transaction.atomic
def sync_documents(*, doc_type: str, documents: Sequence[tuple[str, Indexable]]) -> SyncCounts:
    """Make the documents of `doc_type` exactly these: new ones written in bulk
    (`index_new_documents`), changed ones rewritten one by one, the rest removed. A kind whose
    objects all come from an import (the registry's organisations) calls it after each import;
    running it again with the same objects writes nothing."""
    stored = {
        row["object_id"]: row
        for row in SearchDocument.objects.filter(doc_type=doc_type).values("object_id", *_COMPARED)
    }
    new: list[tuple[str, Indexable]] = []
    changed: list[tuple[str, Indexable]] = []
    unchanged = 0
    wanted: set[str] = set()
    for object_id, document in documents:
        key = str(object_id)
        wanted.add(key)
        found = stored.get(key)
        if found is None:
            new.append((key, document))
            continue
        values = {
            "title": document.title,
            "body": document.body,
            "extra": document.extra,
            "facets": clean_facets(document.facets),
            "sort_date": document.sort_date,
            "is_public": document.is_public,
            "url": url_of(document),
        }
        if all(found[name] == value for name, value in values.items()):
            unchanged += 1
        else:
            changed.append((key, document))
    if new:
        index_new_documents(doc_type=doc_type, documents=new)
    for object_id, document in changed:
        index_document(
            doc_type=doc_type,
            object_id=object_id,
            title=document.title,
            body=document.body,
            extra=document.extra,
            facets=document.facets,
            sort_date=document.sort_date,
            is_public=document.is_public,
            url=url_of(document),
        )
    gone = sorted(set(stored) - wanted)
    if gone:
        remove_documents(doc_type=doc_type, object_ids=gone)
    return SyncCounts(
        created=len(new), updated=len(changed), removed=len(gone), unchanged=unchanged
    )


@transaction.atomic
def remove_documents(*, doc_type: str, object_ids: Sequence[str]) -> int:
    """Take many objects out of search at once; returns how many documents went.

    Deleting the rows removes their text index too (a trigger on SQLite, the row's own column
    on PostgreSQL), and their facet rows by cascade.
    """
    removed, _ = SearchDocument.objects.filter(doc_type=doc_type, object_id__in=object_ids).delete()
    bump_generation()
    return removed


@transaction.atomic
def remove_document(*, doc_type: str, object_id: str) -> bool:
    """Take one object out of search; True if it was there. Removing twice is harmless."""
    document = SearchDocument.objects.filter(doc_type=doc_type, object_id=str(object_id)).first()
    if document is None:
        return False
    backend_for().delete(document.pk)
    document.delete()
    bump_generation()
    return True


@transaction.atomic
def replace_synonyms(*, source: str, pairs: Iterable[tuple[str, str]]) -> tuple[int, int]:
    """Make `source`'s one-way synonyms exactly these (phrase, means) pairs; returns how many
    were added and removed. Unchanged pairs are left alone, so running it again writes nothing;
    a change makes every search read the new table (the generation moves on)."""
    wanted = {(" ".join(phrase.split()), " ".join(means.split())) for phrase, means in pairs}
    wanted = {(phrase, means) for phrase, means in wanted if phrase and means}
    existing = {
        (row.phrase, row.means): row.pk for row in SearchSynonym.objects.filter(source=source)
    }
    gone = [pk for pair, pk in existing.items() if pair not in wanted]
    new = [
        SearchSynonym(source=source, phrase=phrase, means=means)
        for phrase, means in sorted(wanted - set(existing))
    ]
    SearchSynonym.objects.filter(pk__in=gone).delete()
    SearchSynonym.objects.bulk_create(new)
    if gone or new:
        bump_generation()
        # What a cached public search page shows changes too; bulk writes send no signal.
        public_content_changed()
    return len(new), len(gone)
