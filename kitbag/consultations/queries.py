"""Reads that the consultation pages, downloads, feeds and the API share.

A consultation's page costs a fixed number of queries however many paragraphs and comments it has:
the version's paragraphs, the shown comments (with the viewer's own waiting ones), the texts of
earlier paragraphs commented on, and the figures of every comment (states only, never text).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kitbag.accounts.models import Membership
from kitbag.accounts.permissions import Actor, Viewer
from kitbag.consultations import anchoring, answer_rate, campaigns
from kitbag.consultations.models import (
    AnchorStatus,
    Comment,
    CommentState,
    Consultation,
    ConsultationStatus,
    Paragraph,
    Version,
)
from kitbag.consultations.permissions import shown_comments, visible_consultations
from kitbag.consultations.search_documents import DOC_TYPE
from kitbag.core.parts import Figure
from kitbag.registry.models import Organisation
from kitbag.search.queries import search

PAGE_SIZE = 20


# --- Finding consultations ------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationSearch:
    query: str = ""
    organisation: str = ""  # slug
    status: str = ""
    service: str = ""  # LGSL service code
    year: str = ""  # the year it opened
    page: int = 1

    def filters(self) -> dict[str, list[str]]:
        wanted = {
            "organisation": self.organisation,
            "status": self.status,
            "service": self.service,
            "year": self.year,
        }
        return {name: [value] for name, value in wanted.items() if value}


@dataclass(frozen=True)
class ConsultationResults:
    consultations: list[Consultation]
    total: int
    page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]]


def search_consultations(search_for: ConsultationSearch) -> ConsultationResults:
    """Public consultations through the search interface (drafts are never public in it)."""
    results = search(
        query=search_for.query,
        doc_type=DOC_TYPE,
        filters=search_for.filters(),
        facets=["organisation", "status", "service", "year"],
        public_only=True,
        page=search_for.page,
        page_size=PAGE_SIZE,
        sort="relevance" if search_for.query.strip() else "newest",
    )
    ids = [int(hit.object_id) for hit in results.hits]
    by_id = {
        consultation.pk: consultation
        for consultation in Consultation.objects.public()
        .filter(pk__in=ids)
        .select_related("organisation")
        .annotate(shown_comments=Count("comments", filter=Q(comments__state=CommentState.VISIBLE)))
    }
    return ConsultationResults(
        consultations=[by_id[pk] for pk in ids if pk in by_id],
        total=results.total,
        page=search_for.page,
        pages=max(1, -(-results.total // PAGE_SIZE)),
        facets={name: list(values) for name, values in results.facet_counts.items()},
    )


def consultation_for(*, slug: str, viewer: Viewer) -> Consultation | None:
    return (
        visible_consultations(viewer)
        .select_related("organisation")
        .prefetch_related("services")
        .filter(slug=slug)
        .first()
    )


def public_consultation(slug: str) -> Consultation | None:
    return Consultation.objects.public().select_related("organisation").filter(slug=slug).first()


def published_versions(consultation: Consultation) -> list[Version]:
    return list(consultation.versions.filter(published_at__isnull=False).order_by("number"))


def consultations_of(*, organisation: Organisation, viewer: Viewer) -> QuerySet[Consultation]:
    return visible_consultations(viewer).filter(organisation=organisation).order_by("-opens_at")


def consultation_figures() -> list[Figure]:
    public = Consultation.objects.public()
    return [
        Figure(
            label="Open consultations", value=public.filter(status=ConsultationStatus.OPEN).count()
        ),
        Figure(
            label="Comments",
            value=shown_comments().filter(parent__isnull=True, is_official=False).count(),
        ),
        Figure(label="Official responses", value=shown_comments().filter(is_official=True).count()),
    ]


# --- Answer rate ----------------------------------------------------------------------------------


def thread_rows(comments: QuerySet[Comment]) -> list[answer_rate.ThreadComment]:
    """Every comment's place in its thread and state, without its text."""
    return [
        answer_rate.ThreadComment(
            id=str(pk),
            parent=None if parent is None else str(parent),
            created=created,
            official=official,
            state=state,
            paragraph=anchor or paragraph,
        )
        for pk, parent, created, official, state, anchor, paragraph in comments.values_list(
            "pk",
            "parent_id",
            "created_at",
            "is_official",
            "state",
            "anchor_paragraph",
            "paragraph_key",
        )
    ]


def answer_rate_of(consultation: Consultation) -> answer_rate.AnswerRate:
    return answer_rate.answer_rate(thread_rows(consultation.comments.all()))


def organisation_answer_rate(organisation: Organisation) -> answer_rate.AnswerRate:
    return answer_rate.answer_rate(
        thread_rows(
            Comment.objects.filter(consultation__organisation=organisation).exclude(
                consultation__status=ConsultationStatus.DRAFT
            )
        )
    )


@dataclass(frozen=True)
class Deadline:
    due: dt.datetime | None
    overdue: bool


def response_deadline(consultation: Consultation) -> Deadline:
    closes = consultation.closes_at if consultation.status != ConsultationStatus.OPEN else None
    if consultation.status == ConsultationStatus.DRAFT:
        closes = None
    return Deadline(
        due=answer_rate.response_due(closes),
        overdue=answer_rate.is_overdue(
            closes=closes,
            responded=consultation.response_published_at is not None,
            now=timezone.now(),
        ),
    )


def unanswered_queue(consultation: Consultation) -> list[Comment]:
    """Shown top-level comments by the public with no shown official response, oldest first."""
    rows = thread_rows(consultation.comments.all())
    answered = answer_rate.first_official_answers(rows)
    waiting = [
        int(row.id)
        for row in rows
        if row.parent is None
        and not row.official
        and row.state == CommentState.VISIBLE
        and row.id not in answered
    ]
    return list(
        Comment.objects.filter(pk__in=waiting)
        .select_related("version")
        .order_by("created_at", "pk")
    )


# --- A consultation's page ------------------------------------------------------------------------


@dataclass
class Thread:
    comment: Comment
    replies: list[Thread] = field(default_factory=list)
    # For a comment made on an earlier version: that paragraph's text then and the word diff to now.
    earlier_version: int | None = None
    changed: bool = False
    diff: list[tuple[str, str]] = field(default_factory=list)
    # Near-identical comments (a campaign's text) shown once, under the earliest of them.
    variants: list[Thread] = field(default_factory=list)

    @property
    def senders(self) -> int:
        return 1 + len(self.variants)


# The document page shows the first few threads of each paragraph and links to the rest, so its
# size (and time) is bounded by the document, not by how much was said (benchmarks/
# consultation_page.py); a paragraph's own view shows them all.
THREADS_SHOWN = 3


@dataclass
class ParagraphView:
    paragraph: Paragraph
    threads: list[Thread]
    rate: answer_rate.AnswerRate
    hidden_threads: int = 0
    total: int = 0  # comments and replies shown on the paragraph, in every thread


def _reply_count(thread: Thread) -> int:
    return sum(1 + _reply_count(reply) for reply in thread.replies)


@dataclass
class DocumentView:
    version: Version
    latest: Version
    versions: list[Version]
    paragraphs: list[ParagraphView]
    removed: list[Thread]  # comments whose paragraph has no descendant in this version
    rate: answer_rate.AnswerRate

    @property
    def is_latest(self) -> bool:
        return self.version.pk == self.latest.pk


def _threads(comments: Sequence[Comment]) -> dict[int, Thread]:
    threads = {comment.pk: Thread(comment=comment) for comment in comments}
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in threads:
            threads[comment.parent_id].replies.append(threads[comment.pk])
    return threads


def page_comments(consultation: Consultation, viewer: Viewer) -> list[Comment]:
    """Shown comments, and the viewer's own that wait for a moderator, oldest first."""
    actor = Actor.of(viewer)
    wanted = Q(state=CommentState.VISIBLE)
    if actor.user is not None:
        wanted |= Q(state=CommentState.PENDING, author=actor.user)
    return list(
        consultation.comments.filter(wanted)
        .select_related("version", "official_organisation")
        .order_by("created_at", "pk")
    )


def _anchors_in(
    version: Version, versions: Sequence[Version], tops: Iterable[Comment]
) -> dict[str, anchoring.Anchor]:
    """Where top-level comments sit in an earlier version (the stored anchors are the latest's)."""
    by_number = {
        v.number: [anchoring.Paragraph(id=p.key, text=p.markdown) for p in v.paragraphs.all()]
        for v in versions
        if v.number <= version.number
    }
    places = [
        anchoring.CommentPlace(
            id=c.key,
            version=c.version.number,
            paragraph=c.paragraph_key,
            quote=anchoring.Quote(c.quote_exact, c.quote_prefix, c.quote_suffix)
            if c.quote_exact
            else None,
        )
        for c in tops
        if c.version.number <= version.number
    ]
    return anchoring.carry_forward(by_number, places)


def document_view(
    *,
    consultation: Consultation,
    viewer: Viewer,
    number: int | None = None,
    paragraph: str | None = None,
) -> DocumentView | None:
    """A version's paragraphs with their threads; with `paragraph`, that one with all of them."""
    versions = list(
        consultation.versions.filter(published_at__isnull=False)
        .order_by("number")
        .prefetch_related("paragraphs")
    )
    if not versions:
        # A draft, seen by its organisation: its unpublished first version.
        versions = list(consultation.versions.order_by("number").prefetch_related("paragraphs"))
    if not versions:
        return None
    latest = versions[-1]
    version = next((v for v in versions if v.number == number), None) if number else latest
    if version is None:
        return None
    comments = [
        c for c in page_comments(consultation, viewer) if c.version.number <= version.number
    ]
    threads = _threads(comments)
    tops = [c for c in comments if c.parent_id is None]
    if version.pk == latest.pk:
        anchors = {
            c.key: anchoring.Anchor(
                version=c.anchor_version or version.number,
                paragraph=c.anchor_paragraph or None,
                status=anchoring.Status(c.anchor_status or AnchorStatus.UNCHANGED),
            )
            for c in tops
        }
    else:
        anchors = _anchors_in(version, versions, tops)
    texts_then = {(v.number, p.key): p.markdown for v in versions for p in v.paragraphs.all()}
    texts_now = {p.key: p.markdown for p in version.paragraphs.all()}
    by_paragraph: dict[str, list[Thread]] = defaultdict(list)
    removed: list[Thread] = []
    for comment in tops:
        thread = threads[comment.pk]
        anchor = anchors.get(comment.key)
        if anchor is None or anchor.paragraph is None or anchor.status == anchoring.Status.REMOVED:
            removed.append(thread)
            continue
        if comment.version.number != version.number:
            thread.earlier_version = comment.version.number
            if anchor.status == anchoring.Status.EDITED:
                thread.changed = True
                thread.diff = anchoring.word_diff(
                    texts_then.get((comment.version.number, comment.paragraph_key), ""),
                    texts_now.get(anchor.paragraph, ""),
                )
        by_paragraph[anchor.paragraph].append(thread)
    _group_campaigns(tops, threads, by_paragraph, removed)
    rows = thread_rows(consultation.comments.all())
    rates = answer_rate.answer_rates_by_paragraph(rows)
    paragraphs = []
    for row in version.paragraphs.all():
        if paragraph is not None and row.key != paragraph:
            continue
        listed = by_paragraph.get(row.key, [])
        shown = listed if paragraph is not None else listed[:THREADS_SHOWN]
        paragraphs.append(
            ParagraphView(
                paragraph=row,
                threads=shown,
                rate=rates.get(row.key, answer_rate.EMPTY),
                hidden_threads=len(listed) - len(shown),
                total=sum(1 + _reply_count(t) for t in listed),
            )
        )
    if paragraph is not None and not paragraphs:
        return None
    return DocumentView(
        version=version,
        latest=latest,
        versions=versions,
        paragraphs=paragraphs,
        removed=removed,
        rate=answer_rate.answer_rate(rows),
    )


def _group_campaigns(
    tops: Sequence[Comment],
    threads: dict[int, Thread],
    by_paragraph: dict[str, list[Thread]],
    removed: list[Thread],
) -> None:
    """Show each group of near-identical comments once, as its most typical text (the medoid),
    with the others as its variants, oldest first."""
    texts = {str(c.pk): c.text for c in tops if not c.is_official}
    for group in campaigns.group_near_duplicates(texts):
        oldest_first = sorted(group, key=lambda pk: threads[int(pk)].comment.created_at)
        leader = threads[int(campaigns.representative(oldest_first, texts))]
        others = [threads[int(pk)] for pk in oldest_first if threads[int(pk)] is not leader]
        leader.variants = others
        for other in others:
            for listed in (*by_paragraph.values(), removed):
                if other in listed:
                    listed.remove(other)


# --- Lists for people -----------------------------------------------------------------------------


def comments_awaiting_moderation() -> QuerySet[Comment]:
    """The moderators' queue: waiting comments and shown ones readers flagged, oldest first."""
    return (
        Comment.objects.filter(
            Q(state=CommentState.PENDING)
            | Q(state=CommentState.VISIBLE, flags__resolved_at__isnull=True, flags__isnull=False)
        )
        .distinct()
        .select_related("consultation", "version")
        .prefetch_related("flags")
        .order_by("created_at", "pk")
    )


def responses_to(user: Viewer) -> list[Comment]:
    """Shown official responses in threads the person commented in, newest first."""
    actor = Actor.of(user)
    if actor.user is None:
        return []
    theirs = Comment.objects.filter(author=actor.user, is_official=False).values("pk")
    return list(
        shown_comments()
        .filter(is_official=True)
        .filter(Q(parent__in=theirs) | Q(parent__parent__in=theirs))
        .select_related("consultation", "parent")
        .order_by("-created_at")[:20]
    )


def member_organisation_ids(viewer: Viewer) -> list[int]:
    actor = Actor.of(viewer)
    if actor.user is None:
        return []
    return list(
        Membership.objects.active()
        .filter(user=actor.user)
        .values_list("organisation_id", flat=True)
    )


def export_comments(consultation: Consultation) -> QuerySet[Comment]:
    """Shown comments of a public consultation, for downloads, feeds, exports and the API."""
    return (
        shown_comments(consultation)
        .select_related("version", "parent")
        .order_by("created_at", "pk")
    )
