"""Writes to consultations: each function one transaction, each checking who may do it.

Moderation steps go to the append-only moderation log (kitbag.accounts.audit.log_moderation);
the commenter is emailed once an official response commits. Search documents and stored anchors
are written here, beside the writes that change them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kitbag.accounts.audit import log_moderation
from kitbag.accounts.models import ModerationLogEntry, User
from kitbag.accounts.permissions import Actor, require
from kitbag.consultations import anchoring, elsewhere
from kitbag.consultations.documents import Block, blocks_from_markdown
from kitbag.consultations.happenings import announce_response
from kitbag.consultations.models import (
    MAX_DEPTH,
    AnchorStatus,
    Comment,
    CommentFlag,
    CommentState,
    Consultation,
    ConsultationStatus,
    ElsewherePost,
    ElsewhereSource,
    ModerationMode,
    Paragraph,
    ParagraphKind,
    Participant,
    PostVia,
    SourceKind,
    Version,
    new_key,
)
from kitbag.consultations.search_documents import DOC_TYPE, document_for

# Callers catch this as services.NotPermitted: what each service raises is named on it.
from kitbag.core.refusals import NotPermitted as NotPermitted
from kitbag.core.refusals import RuleRefused
from kitbag.registry.models import Organisation
from kitbag.search.services import index_document, remove_document
from kitbag.vocabularies.models import Code

COMMENT_OBJECT_TYPE = "consultation-comment"


class ConsultationError(RuleRefused):
    """A write the rules do not allow; `field` names the form field it is about, if any."""


# --- Consultations and their documents ------------------------------------------------------------


@dataclass(frozen=True)
class Details:
    """What an editor says about a consultation (everything but its document)."""

    title: str
    summary: str = ""
    consulted: str = ""
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    questions: str = ""
    contact: str = ""
    moderation: str = ModerationMode.POST
    keywords: str = ""
    services: Sequence[Code] = field(default_factory=tuple)


def _check_details(details: Details) -> None:
    if not details.title.strip():
        raise ConsultationError(_("Enter a title."), field="title")
    if details.opens_at and details.closes_at and details.closes_at <= details.opens_at:
        raise ConsultationError(
            _("The closing date must be after the opening date."), field="closes_at"
        )


def _unique_slug(title: str, *, wanted: str = "") -> str:
    base = slugify(wanted or title)[:100] or "consultation"
    slug, n = base, 1
    while Consultation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(consultation: Consultation, details: Details) -> None:
    consultation.title = details.title.strip()
    consultation.summary = details.summary.strip()
    consultation.consulted = details.consulted.strip()
    consultation.opens_at = details.opens_at
    consultation.closes_at = details.closes_at
    consultation.questions = details.questions.strip()
    consultation.contact = details.contact.strip()
    consultation.moderation = details.moderation
    consultation.keywords = details.keywords.strip()


def _write_paragraphs(version: Version, paragraphs: Sequence[anchoring.Paragraph]) -> None:
    rows = []
    for position, paragraph in enumerate(paragraphs, start=1):
        from kitbag.consultations.documents import block_of

        block = block_of(paragraph.text)
        rows.append(
            Paragraph(
                version=version,
                key=paragraph.id,
                position=position,
                kind=block.kind,
                level=block.level,
                text=block.text,
            )
        )
    Paragraph.objects.bulk_create(rows)


def _as_anchoring(version: Version) -> list[anchoring.Paragraph]:
    return [
        anchoring.Paragraph(id=row.key, text=row.markdown)
        for row in version.paragraphs.order_by("position")
    ]


@transaction.atomic
def create_consultation(
    *,
    organisation: Organisation,
    details: Details,
    document: str,
    by: User | None,
    slug: str = "",
    check_permission: bool = True,
) -> Consultation:
    """A draft consultation with its document as version 1 (not yet published)."""
    if check_permission:
        require(by, "create_consultation", organisation)
    _check_details(details)
    blocks = blocks_from_markdown(document)
    consultation = Consultation(organisation=organisation, created_by=by)
    _apply(consultation, details)
    consultation.slug = _unique_slug(details.title, wanted=slug)
    consultation.save()
    consultation.services.set(details.services)
    version = Version.objects.create(
        consultation=consultation, number=1, source=document.strip(), created_by=by
    )
    _write_paragraphs(
        version,
        anchoring.revise([], [b.markdown for b in blocks], new_id=new_key),
    )
    reindex(consultation)
    return consultation


@transaction.atomic
def update_consultation(
    *, consultation: Consultation, details: Details, by: User | None, document: str | None = None
) -> Consultation:
    """Change the details; while a draft, the document too (afterwards, publish a revision)."""
    require(by, "edit", consultation)
    _check_details(details)
    _apply(consultation, details)
    consultation.save()
    consultation.services.set(details.services)
    if document is not None and consultation.is_draft:
        version = consultation.versions.get(number=1)
        blocks = blocks_from_markdown(document)
        previous = _as_anchoring(version)
        version.paragraphs.all().delete()
        version.source = document.strip()
        version.save(update_fields=["source"])
        _write_paragraphs(
            version, anchoring.revise(previous, [b.markdown for b in blocks], new_id=new_key)
        )
    reindex(consultation)
    return consultation


@transaction.atomic
def publish_consultation(
    *, consultation: Consultation, by: User | None, check_permission: bool = True
) -> Consultation:
    """Open a draft for comment: its first version is published now."""
    if check_permission:
        require(by, "publish", consultation)
    if not consultation.is_draft:
        raise ConsultationError(_("This consultation has already been published."))
    now = timezone.now()
    consultation.status = ConsultationStatus.OPEN
    if consultation.opens_at is None:
        consultation.opens_at = now
    consultation.save(update_fields=["status", "opens_at", "updated_at"])
    consultation.versions.filter(published_at__isnull=True).update(published_at=now)
    reindex(consultation)
    return consultation


@transaction.atomic
def close_consultation(*, consultation: Consultation, by: User | None) -> Consultation:
    require(by, "close", consultation)
    if not consultation.is_open:
        raise ConsultationError(_("Only an open consultation can be closed."))
    now = timezone.now()
    consultation.status = ConsultationStatus.CLOSED
    consultation.closed_at = now
    if consultation.closes_at is None or consultation.closes_at > now:
        consultation.closes_at = now
    consultation.save(update_fields=["status", "closed_at", "closes_at", "updated_at"])
    reindex(consultation)
    return consultation


@transaction.atomic
def publish_response(*, consultation: Consultation, text: str, by: User | None) -> Consultation:
    """We asked, you said, we did: the organisation's response, after the close."""
    require(by, "respond", consultation)
    if consultation.status not in {
        ConsultationStatus.CLOSED,
        ConsultationStatus.RESPONSE_PUBLISHED,
    }:
        raise ConsultationError(_("Close the consultation before publishing its response."))
    if not text.strip():
        raise ConsultationError(_("Enter the response."), field="response")
    first_response = consultation.status != ConsultationStatus.RESPONSE_PUBLISHED
    consultation.response = text.strip()
    consultation.response_published_at = consultation.response_published_at or timezone.now()
    consultation.status = ConsultationStatus.RESPONSE_PUBLISHED
    consultation.save(update_fields=["response", "response_published_at", "status", "updated_at"])
    if first_response:
        announce_response(consultation)
    return consultation


def latest_version(consultation: Consultation) -> Version | None:
    return consultation.versions.filter(published_at__isnull=False).order_by("-number").first()


@transaction.atomic
def publish_revision(
    *,
    consultation: Consultation,
    document: str,
    by: User | None,
    check_permission: bool = True,
    published_at: dt.datetime | None = None,
) -> Version:
    """A new version from the same inputs as the first; every comment's anchor carried to it."""
    if check_permission:
        require(by, "revise", consultation)
    if consultation.is_draft:
        raise ConsultationError(_("Publish the consultation before revising it."))
    # Locking the consultation serialises two revisions at once: the second numbers after the first.
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    blocks = blocks_from_markdown(document)
    previous = latest_version(consultation)
    number = (consultation.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = Version.objects.create(
        consultation=consultation,
        number=number,
        source=document.strip(),
        created_by=by,
        published_at=published_at or timezone.now(),
    )
    _write_paragraphs(
        version,
        anchoring.revise(
            _as_anchoring(previous) if previous else [],
            [b.markdown for b in blocks],
            new_id=new_key,
        ),
    )
    carry_anchors(consultation)
    reindex(consultation)
    return version


def carry_anchors(consultation: Consultation) -> int:
    """Store each comment's anchor in the latest version; replies take their thread's."""
    versions = {
        version.number: _as_anchoring(version)
        for version in consultation.versions.filter(published_at__isnull=False).prefetch_related(
            "paragraphs"
        )
    }
    comments = list(
        consultation.comments.select_related("version").only(
            "pk",
            "key",
            "parent_id",
            "paragraph_key",
            "quote_exact",
            "quote_prefix",
            "quote_suffix",
            "version__number",
            "anchor_version",
            "anchor_paragraph",
            "anchor_status",
        )
    )
    places = [
        anchoring.CommentPlace(
            id=comment.key,
            version=comment.version.number,
            paragraph=comment.paragraph_key,
            quote=anchoring.Quote(
                exact=comment.quote_exact, prefix=comment.quote_prefix, suffix=comment.quote_suffix
            )
            if comment.quote_exact
            else None,
        )
        for comment in comments
        if comment.parent_id is None
    ]
    anchors = anchoring.carry_forward(versions, places)
    by_pk = {comment.pk: comment for comment in comments}

    def root_key(comment: Comment) -> str:
        seen = 0
        while comment.parent_id is not None and comment.parent_id in by_pk and seen <= MAX_DEPTH:
            comment = by_pk[comment.parent_id]
            seen += 1
        return comment.key

    changed = []
    for comment in comments:
        anchor = anchors.get(root_key(comment))
        if anchor is None:
            continue
        values = (anchor.version, anchor.paragraph or "", str(anchor.status))
        if values != (comment.anchor_version, comment.anchor_paragraph, comment.anchor_status):
            comment.anchor_version, comment.anchor_paragraph, comment.anchor_status = values
            changed.append(comment)
    Comment.objects.bulk_update(
        changed, ["anchor_version", "anchor_paragraph", "anchor_status"], batch_size=1000
    )
    return len(changed)


def reindex(consultation: Consultation) -> None:
    """The consultation's search document: drafts are indexed as not public."""
    document = document_for(consultation)
    index_document(
        doc_type=DOC_TYPE,
        object_id=str(consultation.pk),
        title=document.title,
        body=document.body,
        extra=document.extra,
        facets=document.facets,
        sort_date=document.sort_date,
        is_public=document.is_public,
        url=document.url,
    )


@transaction.atomic
def delete_draft(*, consultation: Consultation, by: User | None) -> None:
    require(by, "edit", consultation)
    if not consultation.is_draft:
        raise ConsultationError(_("Only a draft can be deleted."))
    remove_document(doc_type=DOC_TYPE, object_id=str(consultation.pk))
    consultation.delete()


# --- Comments -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteIn:
    exact: str
    prefix: str = ""
    suffix: str = ""


@transaction.atomic
def set_participation(*, user: User, display_name: str) -> Participant:
    """The name a person's comments are shown under, and their consent to publish them."""
    name = " ".join(display_name.split())
    if not name:
        raise ConsultationError(
            _("Enter the name to show with your comments."), field="display_name"
        )
    if "@" in name:
        raise ConsultationError(
            _("Enter a name, not an email address: it is shown to everyone."), field="display_name"
        )
    participant, _created = Participant.objects.update_or_create(
        user=user, defaults={"display_name": name[:80], "consented_at": timezone.now()}
    )
    return participant


def _official_label(organisation: Organisation) -> str:
    return organisation.display_name


@transaction.atomic
def add_comment(
    *,
    consultation: Consultation,
    by: User,
    text: str,
    paragraph_key: str = "",
    quote: QuoteIn | None = None,
    parent: Comment | None = None,
    as_official: bool = False,
    changed_in_version: int | None = None,
) -> Comment:
    """A comment on a paragraph (or a span of it), or a reply; officials answer as their body.

    The person must have chosen a display name and consented to publish (`set_participation`).
    """
    body = text.strip()
    if not body:
        raise ConsultationError(_("Enter your comment."), field="text")
    if len(body) > 5000:
        raise ConsultationError(_("Your comment must be 5,000 characters or fewer."), field="text")
    if as_official:
        require(by, "answer", consultation)
        if parent is None:
            raise ConsultationError(_("An official response answers a comment."))
    elif parent is not None:
        require(by, "reply", parent)
    else:
        require(by, "comment", consultation)
    participant = Participant.objects.filter(user=by).first()
    if participant is None and not as_official:
        raise ConsultationError(
            _("Choose the name to show and agree to publish your comment."), field="consent"
        )
    if parent is not None:
        if parent.consultation_id != consultation.pk:
            raise ConsultationError(_("That comment is on another consultation."))
        if parent.depth >= MAX_DEPTH:
            raise ConsultationError(_("Replies go three levels deep at most."))
        version, paragraph_key, quote = parent.version, parent.paragraph_key, None
    else:
        found = latest_version(consultation)
        if found is None:
            raise ConsultationError(_("This consultation has no published document."))
        version = found
        if not version.paragraphs.filter(key=paragraph_key).exists():
            raise ConsultationError(_("Choose a paragraph of the document."), field="paragraph")
    if quote is not None:
        paragraph_text = version.paragraphs.get(key=paragraph_key).text
        if not quote.exact.strip() or quote.exact not in paragraph_text:
            quote = None  # a selection that is not in the paragraph: comment on the paragraph
    organisation = consultation.organisation
    root = parent
    while root is not None and root.parent_id is not None:
        root = root.parent
    comment = Comment.objects.create(
        consultation=consultation,
        version=version,
        paragraph_key=paragraph_key,
        quote_exact=quote.exact[:2000] if quote else "",
        quote_prefix=quote.prefix[-200:] if quote else "",
        quote_suffix=quote.suffix[:200] if quote else "",
        parent=parent,
        depth=0 if parent is None else parent.depth + 1,
        author=by,
        display_name=_official_label(organisation) if as_official else participant.display_name,  # type: ignore[union-attr]
        is_official=as_official,
        official_organisation=organisation if as_official else None,
        changed_in_version=changed_in_version if as_official else None,
        text=body,
        created_at=timezone.now(),
        state=CommentState.PENDING
        if consultation.moderation == ModerationMode.PRE and not as_official
        else CommentState.VISIBLE,
        anchor_version=root.anchor_version if root else version.number,
        anchor_paragraph=root.anchor_paragraph if root else paragraph_key,
        anchor_status=root.anchor_status if root else AnchorStatus.UNCHANGED,
    )
    if as_official and parent is not None:
        _tell_commenters(comment)
    return comment


def _tell_commenters(response: Comment) -> None:
    """Email the authors of the thread the official response answers, once it is committed."""
    people: list[User] = []
    current = response.parent
    while current is not None:
        if current.author is not None and not current.is_official and current.author not in people:
            people.append(current.author)
        current = current.parent
    consultation = response.consultation
    link = absolute_url(consultation)
    subject = _("Official response from %(organisation)s") % {
        "organisation": consultation.organisation.display_name
    }
    body = _(
        "%(organisation)s has answered your comment on “%(title)s”.\n\n%(text)s\n\n"
        "Read it in the thread: %(link)s#comment-%(key)s\n"
    ) % {
        "organisation": consultation.organisation.display_name,
        "title": consultation.title,
        "text": response.text,
        "link": link,
        "key": response.key,
    }
    for person in people:
        address = person.email
        transaction.on_commit(
            partial(send_mail, subject, body, None, [address], fail_silently=True)
        )


@transaction.atomic
def flag_comment(*, comment: Comment, reason: str, by: User) -> CommentFlag:
    require(by, "flag", comment)
    if not reason.strip():
        raise ConsultationError(_("Say what is wrong with the comment."), field="reason")
    return CommentFlag.objects.create(comment=comment, flagged_by=by, reason=reason.strip())


MODERATION_ACTIONS = {"approve", "hide", "redact", "restore"}


@transaction.atomic
def moderate_comments(
    *,
    comments: Iterable[Comment],
    action: str,
    by: User,
    reason: str = "",
    redacted_text: str = "",
) -> int:
    """Approve, hide, restore or redact comments, each step with its reason in the log."""
    require(by, "moderate_consultations", None)
    if action not in MODERATION_ACTIONS:
        raise ConsultationError(_("Choose what to do."), field="action")
    if action in {"hide", "redact"} and not reason.strip():
        raise ConsultationError(
            _("Give the reason: it is shown in the moderation log."), field="reason"
        )
    if action == "redact" and not redacted_text.strip():
        raise ConsultationError(
            _("Enter the comment as it should be shown."), field="redacted_text"
        )
    label = _("a moderator") if Actor.of(by).is_moderator else _("Kitbag staff")
    now = timezone.now()
    done = 0
    for comment in comments:
        if action == "approve" or action == "restore":
            comment.state = CommentState.VISIBLE
        elif action == "hide":
            comment.state = CommentState.HIDDEN
        else:
            comment.text = redacted_text.strip()
            comment.redacted = True
            comment.state = CommentState.VISIBLE
        comment.moderation_reason = reason.strip()
        comment.save(update_fields=["state", "text", "redacted", "moderation_reason"])
        comment.flags.filter(resolved_at__isnull=True).update(resolved_at=now)
        log_moderation(
            actor=by,
            actor_label=label,
            action=f"comment-{action}",
            object_type=COMMENT_OBJECT_TYPE,
            object_id=comment.key,
            # The log is public: it names the consultation, never the comment's text or author.
            object_label=_("A comment on “%(title)s”") % {"title": comment.consultation.title},
            reason=reason.strip(),
            visibility=ModerationLogEntry.Visibility.PUBLIC,
        )
        done += 1
    return done


def blocks_of(version: Version) -> list[Block]:
    return [Block(kind=p.kind, level=p.level, text=p.text) for p in version.paragraphs.all()]


def is_heading(paragraph: Paragraph) -> bool:
    return paragraph.kind == ParagraphKind.HEADING


# --- Elsewhere ------------------------------------------------------------------------------------

POST_OBJECT_TYPE = "consultation-post"


def absolute_url(consultation: Consultation) -> str:
    return settings.SITE_URL.rstrip("/") + consultation.get_absolute_url()


@transaction.atomic
def add_source(*, consultation: Consultation, kind: str, url: str, by: User) -> ElsewhereSource:
    """A feed or page for Kitbag to read for posts about the consultation."""
    require(by, "manage_elsewhere", consultation)
    if kind not in SourceKind.values:
        raise ConsultationError(_("Choose a feed or a page."), field="kind")
    if not url.startswith(("http://", "https://")):
        raise ConsultationError(
            _("Enter an address starting with http:// or https://"), field="url"
        )
    source, _created = ElsewhereSource.objects.get_or_create(
        consultation=consultation, url=url, defaults={"kind": kind, "added_by": by}
    )
    return source


def fetch_source(*, source: ElsewhereSource, client: elsewhere.Fetcher | None = None) -> int:
    """Read one source (outside any transaction: it waits on the network), then keep the posts
    that link to the consultation or use its keywords. Returns how many posts were new."""
    consultation = source.consultation
    fetch = elsewhere.fetch_feed if source.kind == SourceKind.FEED else elsewhere.fetch_page
    result = fetch(
        source.url,
        etag=source.etag or None,
        last_modified=source.last_modified or None,
        client=client,
    )
    return _store_fetch(source=source, consultation=consultation, result=result)


@transaction.atomic
def _store_fetch(
    *, source: ElsewhereSource, consultation: Consultation, result: elsewhere.FetchResult
) -> int:
    source.last_fetched_at = timezone.now()
    source.last_error = result.error[:500]
    source.etag = (result.etag or "")[:500]
    source.last_modified = (result.last_modified or "")[:100]
    source.save(update_fields=["last_fetched_at", "last_error", "etag", "last_modified"])
    if result.status != "ok":
        return 0
    links_to = [absolute_url(consultation)]
    made = 0
    for post in result.posts:
        if not elsewhere.relevant(post, links_to=links_to, keywords=consultation.keyword_list):
            continue
        _row, created = ElsewherePost.objects.update_or_create(
            consultation=consultation,
            url=post.url[:1000],
            defaults=_post_fields(post) | {"source": source, "via": source.kind},
        )
        made += created
    return made


def _post_fields(post: elsewhere.Post) -> dict[str, object]:
    return {
        "title": post.title[:300],
        "author": post.author[:200],
        "published_at": post.published,
        "excerpt": post.excerpt,
    }


def fetch_all_sources(*, client: elsewhere.Fetcher | None = None) -> dict[str, int]:
    """Every source of every consultation that is not a draft (the scheduled task)."""
    counts = {"sources": 0, "new_posts": 0, "errors": 0}
    for source in ElsewhereSource.objects.exclude(
        consultation__status=ConsultationStatus.DRAFT
    ).select_related("consultation"):
        counts["sources"] += 1
        counts["new_posts"] += fetch_source(source=source, client=client)
        counts["errors"] += bool(source.last_error)
    return counts


def consultation_for_target(target: str) -> Consultation | None:
    """The public consultation a Webmention's target is a page of, if any."""
    site = settings.SITE_URL.rstrip("/")
    prefix = site + "/consultations/"
    if not target.startswith(prefix):
        return None
    slug = target[len(prefix) :].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return Consultation.objects.public().filter(slug=slug).first()


def receive_webmention(
    *, source: str, target: str, client: elsewhere.Fetcher | None = None
) -> ElsewherePost | None:
    """Verify a Webmention by fetching its source; keep it for a moderator if it links here, and
    forget one we had if its source no longer does (W3C Webmention, 3.2.2 and 3.2.4)."""
    consultation = consultation_for_target(target)
    if consultation is None:
        return None
    verified, post, _reason = elsewhere.verify_webmention(source, target, client=client)
    with transaction.atomic():
        if not verified or post is None:
            ElsewherePost.objects.filter(
                consultation=consultation, url=source, via=PostVia.WEBMENTION
            ).delete()
            return None
        row, created = ElsewherePost.objects.get_or_create(
            consultation=consultation,
            url=source[:1000],
            defaults=_post_fields(post)
            | {"via": PostVia.WEBMENTION, "state": CommentState.PENDING},
        )
        if not created:
            for name, value in _post_fields(post).items():
                setattr(row, name, value)
            row.save()
        return row


@transaction.atomic
def moderate_post(*, post: ElsewherePost, action: str, by: User, reason: str = "") -> None:
    require(by, "moderate", post)
    if action not in {"approve", "hide"}:
        raise ConsultationError(_("Choose what to do."), field="action")
    post.state = CommentState.VISIBLE if action == "approve" else CommentState.HIDDEN
    post.save(update_fields=["state"])
    log_moderation(
        actor=by,
        actor_label=_("a moderator") if Actor.of(by).is_moderator else _("Kitbag staff"),
        action=f"post-{action}",
        object_type=POST_OBJECT_TYPE,
        object_id=post.pk,
        object_label=_("A post about “%(title)s”") % {"title": post.consultation.title},
        reason=reason.strip(),
    )


@transaction.atomic
def record_post_answer(*, post: ElsewherePost, url: str, by: User) -> ElsewherePost:
    """An official says they answered a post, with the address of their reply."""
    require(by, "record_answer", post)
    if not url.startswith(("http://", "https://")):
        raise ConsultationError(_("Enter the address of your reply."), field="url")
    post.answered_url = url[:1000]
    post.answered_at = timezone.now()
    post.answered_by = by
    post.save(update_fields=["answered_url", "answered_at", "answered_by"])
    return post
