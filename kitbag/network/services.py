"""Writes of the network, one transaction each: what a person offers, the contact relay, reports
of messages, mentoring requests, and keeping people's search documents in step with their choices.

The relay: a message is stored (so that it is logged and can be reported) and emailed to its
recipient from Kitbag's own address. The email carries neither person's address, in its headers
or its text, unless its writer ticked "show my email address"; the recipient answers through a
link to the thread on Kitbag, and that answer is relayed the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kitbag.accounts.audit import log_moderation
from kitbag.accounts.models import ModerationLogEntry, Profile, User
from kitbag.accounts.permissions import Actor, require

# Callers catch this as services.NotPermitted: what each service raises is named on it.
from kitbag.core.refusals import NotPermitted as NotPermitted
from kitbag.core.refusals import RuleRefused
from kitbag.network import queries
from kitbag.network.models import (
    MAX_FREE_TAGS,
    MAX_TAG_LENGTH,
    FreeTag,
    HelpOffer,
    MentoringRequest,
    MentoringState,
    Message,
    MessageReport,
    Offer,
)
from kitbag.network.search_documents import DOC_TYPE, document_for
from kitbag.search.services import index_document, remove_document
from kitbag.vocabularies.models import Code

MESSAGE_OBJECT_TYPE = "network-message"


class NetworkError(RuleRefused):
    """A write the rules do not allow; `field` names the form field it is about, if any."""


# --- What a person offers -------------------------------------------------------------------------


def clean_tags(raw: str | Iterable[str]) -> list[str]:
    """Free tags as stored: lower-case, spaces collapsed, no blanks or repeats, in the order
    given. `raw` is a comma-separated string or a list."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for part in parts:
        tag = " ".join(part.lower().split())
        if tag and tag not in tags:
            tags.append(tag)
    return tags


@transaction.atomic
def save_help_offer(
    *,
    user: User,
    services: Sequence[Code],
    tags: Sequence[str],
    offers: Sequence[str],
    accepts_messages: bool,
) -> HelpOffer:
    """Set what the person can help with and how; shown only while their profile is public."""
    cleaned = clean_tags(tags)
    if len(cleaned) > MAX_FREE_TAGS:
        raise NetworkError(
            _("Give at most %(count)d tags.") % {"count": MAX_FREE_TAGS}, field="tags"
        )
    if any(len(tag) > MAX_TAG_LENGTH for tag in cleaned):
        raise NetworkError(
            _("Each tag must be %(count)d characters or fewer.") % {"count": MAX_TAG_LENGTH},
            field="tags",
        )
    unknown = [offer for offer in offers if offer not in Offer.values]
    if unknown:
        raise NetworkError(_("Choose offers from the list."), field="offers")
    if any(code.code_list.slug != "lgsl-services" for code in services):
        raise NetworkError(_("Choose services from the LGSL."), field="services")
    offer, _created = HelpOffer.objects.get_or_create(user=user)
    offer.offers = [value for value in Offer.values if value in offers]
    offer.accepts_messages = accepts_messages
    offer.save()
    offer.services.set(services)
    offer.free_tags.exclude(name__in=cleaned).delete()
    existing = set(offer.free_tags.values_list("name", flat=True))
    FreeTag.objects.bulk_create(
        FreeTag(help_offer=offer, name=tag) for tag in cleaned if tag not in existing
    )
    reindex_person(user_id=user.pk)
    return offer


@transaction.atomic
def reindex_person(*, user_id: int) -> None:
    """Write the person's search document if their profile is public; otherwise make sure there
    is none. Called whenever anything it reads changes (apps.py connects the accounts' models)."""
    for profile_id in Profile.objects.filter(user_id=user_id).values_list("pk", flat=True):
        reindex_profile(profile_id=profile_id)


@transaction.atomic
def reindex_profile(*, profile_id: int) -> None:
    profile = queries.public_person(profile_id)
    if profile is None:
        remove_document(doc_type=DOC_TYPE, object_id=str(profile_id))
        return
    organisation = queries.shown_organisation(profile)
    document = document_for(
        profile,
        help_offer=queries.help_offer_of(profile),
        shown_organisation_slug=organisation.slug if organisation else "",
        shown_organisation_name=organisation.name if organisation else "",
    )
    index_document(
        doc_type=DOC_TYPE,
        object_id=str(profile.pk),
        title=document.title,
        body=document.body,
        extra=document.extra,
        facets=document.facets,
        sort_date=document.sort_date,
        is_public=True,
        url=reverse("network:person_detail", kwargs={"pk": profile.pk}),
    )


# --- The relay ------------------------------------------------------------------------------------


def _link(view_name: str, pk: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(view_name, args=[pk])


def introduction_of(user: User | None) -> str:
    """How a writer is named to the person they write to: by their public profile's name, role
    and organisation if their profile is public, otherwise only as a Kitbag member. Never their
    address (that is added only when they choose to show it)."""
    if user is None:
        return _("a former Kitbag member")
    profile = queries.public_people(user_ids=[user.pk]).first()
    if profile is None:
        return _("a %(service)s member whose profile is private") % {
            "service": settings.SERVICE_NAME
        }
    parts = [profile.display_name or _("a %(service)s member") % {"service": settings.SERVICE_NAME}]
    if profile.job_title:
        parts.append(profile.job_title)
    organisation = queries.shown_organisation(profile)
    if organisation is not None:
        parts.append(organisation.name)
    return ", ".join(parts)


def _relay(*, to: User, subject: str, template: str, context: dict[str, object]) -> None:
    """Email one person from Kitbag's own address after the commit. No Reply-To: a reply by email
    would go to Kitbag's no-reply address, never to the other person."""
    body = render_to_string(template, {"service": settings.SERVICE_NAME, **context})
    email = EmailMessage(
        subject=f"[{settings.SERVICE_NAME}] {subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to.email],
    )
    transaction.on_commit(lambda: email.send(fail_silently=True))


def _check_text(text: str, *, field: str, limit: int) -> str:
    text = text.strip()
    if not text:
        raise NetworkError(_("Write your message."), field=field)
    if len(text) > limit:
        raise NetworkError(
            _("Your message must be %(count)d characters or fewer.") % {"count": limit},
            field=field,
        )
    return text


@transaction.atomic
def ask_for_help(
    *, sender: User, profile: Profile, subject: str, body: str, shows_address: bool
) -> Message:
    """Send a request for help to the owner of a public profile who accepts messages."""
    require(sender, "ask_for_help", profile)
    subject = " ".join(subject.split())[:150] or _("A request for help")
    message = Message.objects.create(
        sender=sender,
        recipient=profile.user,
        subject=subject,
        body=_check_text(body, field="body", limit=5000),
        shows_address=shows_address,
    )
    _relay(
        to=profile.user,
        subject=_("Someone asks for your help: %(subject)s") % {"subject": subject},
        template="network/email/help_request.txt",
        context={
            "message": message,
            "writer": introduction_of(sender),
            "writer_address": sender.email if shows_address else "",
            "link": _link("network:message_thread", message.pk),
        },
    )
    return message


@transaction.atomic
def reply_to_message(*, thread: Message, by: User, body: str, shows_address: bool) -> Message:
    """An answer in a thread, relayed to the other person in it."""
    first = thread.first
    require(by, "reply", first)
    other = first.recipient if first.sender_id == by.pk else first.sender
    assert other is not None  # the rule requires both accounts
    message = Message.objects.create(
        sender=by,
        recipient=other,
        thread=first,
        subject=first.subject,
        body=_check_text(body, field="body", limit=5000),
        shows_address=shows_address,
    )
    _relay(
        to=other,
        subject=_("A reply: %(subject)s") % {"subject": first.subject},
        template="network/email/reply.txt",
        context={
            "message": message,
            "writer": introduction_of(by),
            "writer_address": by.email if shows_address else "",
            "link": _link("network:message_thread", first.pk),
        },
    )
    return message


@transaction.atomic
def mark_read(*, messages: Iterable[Message], by: User) -> None:
    ids = [m.pk for m in messages if m.recipient_id == by.pk and m.read_at is None]
    if ids:
        Message.objects.filter(pk__in=ids).update(read_at=timezone.now())


@transaction.atomic
def report_message(*, message: Message, by: User, reason: str) -> MessageReport:
    """The recipient reports a message to the moderators, who are told by email."""
    require(by, "report", message)
    reason = reason.strip()
    if not reason:
        raise NetworkError(_("Say what is wrong with the message."), field="reason")
    report = MessageReport.objects.create(message=message, reported_by=by, reason=reason[:2000])
    moderators = User.objects.filter(is_active=True, is_moderator=True).order_by("email")
    recipients = list(moderators) or list(
        User.objects.filter(is_active=True, is_staff=True).order_by("email")
    )
    for moderator in recipients:
        _relay(
            to=moderator,
            subject=_("A message was reported"),
            template="network/email/report.txt",
            context={"report": report, "link": settings.SITE_URL + reverse("network:reports")},
        )
    return report


@transaction.atomic
def resolve_report(*, report: MessageReport, by: User, outcome: str) -> MessageReport:
    """A moderator closes a report, saying what they did; the moderators' log keeps it."""
    require(by, "resolve", report)
    outcome = outcome.strip()
    if not outcome:
        raise NetworkError(_("Say what you did about it."), field="outcome")
    if report.resolved_at is not None:
        raise NetworkError(_("This report is already closed."))
    report.resolved_at = timezone.now()
    report.resolved_by = by
    report.outcome = outcome[:2000]
    report.save(update_fields=["resolved_at", "resolved_by", "outcome"])
    log_moderation(
        actor=by,
        actor_label=_("a moderator") if Actor.of(by).is_moderator else _("Kitbag staff"),
        action="resolved-message-report",
        object_type=MESSAGE_OBJECT_TYPE,
        object_id=report.message_id,
        object_label=_("a message between two people"),
        reason=report.outcome,
        # Private correspondence: never on the public log.
        visibility=ModerationLogEntry.Visibility.MODERATORS,
    )
    return report


# --- Mentoring ------------------------------------------------------------------------------------


@transaction.atomic
def ask_for_mentoring(
    *, mentee: User, profile: Profile, about: str, shows_address: bool
) -> MentoringRequest:
    require(mentee, "ask_for_mentoring", profile)
    if queries.pending_mentoring_between(mentee=mentee, mentor_id=profile.user_id):
        raise NetworkError(
            _("You have already asked this person; wait for their answer."), field="about"
        )
    request = MentoringRequest.objects.create(
        mentee=mentee,
        mentor=profile.user,
        about=_check_text(about, field="about", limit=3000),
        shows_address=shows_address,
    )
    _relay(
        to=profile.user,
        subject=_("Someone asks you to mentor them"),
        template="network/email/mentoring_request.txt",
        context={
            "request": request,
            "writer": introduction_of(mentee),
            "writer_address": mentee.email if shows_address else "",
            "link": _link("network:mentoring_detail", request.pk),
        },
    )
    return request


@transaction.atomic
def decide_mentoring(
    *, request: MentoringRequest, by: User, accept: bool, answer: str, shows_address: bool
) -> MentoringRequest:
    """The mentor accepts or declines; the mentee is told, without the mentor's address unless
    the mentor chose to show it."""
    require(by, "decide", request)
    request.state = MentoringState.ACCEPTED if accept else MentoringState.DECLINED
    request.answer = answer.strip()[:2000]
    request.mentor_shows_address = accept and shows_address
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "answer", "mentor_shows_address", "decided_at"])
    if request.mentee is not None:
        _relay(
            to=request.mentee,
            subject=_("Your mentoring request was accepted")
            if accept
            else _("Your mentoring request was declined"),
            template="network/email/mentoring_decision.txt",
            context={
                "request": request,
                "accepted": accept,
                "writer": introduction_of(by),
                "writer_address": by.email if request.mentor_shows_address else "",
                "link": _link("network:mentoring_detail", request.pk),
            },
        )
    return request


@transaction.atomic
def withdraw_mentoring(*, request: MentoringRequest, by: User) -> MentoringRequest:
    require(by, "withdraw", request)
    request.state = MentoringState.WITHDRAWN
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decided_at"])
    return request
