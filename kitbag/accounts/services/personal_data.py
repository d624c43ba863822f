"""A person's own data: everything Kitbag holds about them, to download or to erase.

Erasing an account deletes the person and everything that identifies them. What they did for
others stays, shown as "a former user": their moderation log entries and the audit events about
them lose their link to the account (the foreign keys are SET_NULL), and any copy of their email
address or name in those logs' text is replaced. Memberships are ended, not deleted, so an
organisation's history of who could speak for it keeps its shape without saying who.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from kitbag.accounts.audit import record_audit_event
from kitbag.accounts.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    ModerationLogEntry,
    Profile,
    User,
)

FORMER_USER = "a former user"
EXPORT_FORMAT_VERSION = 1


def _when(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def addresses_of(user: User) -> set[str]:
    """Every email address the account holds, lower-cased (the account's own and allauth's)."""
    addresses = {user.email.lower()} if user.email else set()
    addresses.update(
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return addresses


# What other apps hold about a person, each under its own key of the export. Apps register a
# collector from their AppConfig.ready(), so accounts imports none of them.
PERSONAL_DATA_SECTIONS: dict[str, Callable[[User], Any]] = {}


def register_personal_data_section(*, name: str, collect: Callable[[User], Any]) -> None:
    PERSONAL_DATA_SECTIONS[name] = collect


# What other apps must do before an account goes (a comment kept but its name removed, say),
# run inside erase_account's transaction; registered from their AppConfig.ready() too.
ERASURE_STEPS: dict[str, Callable[[User], None]] = {}


def register_erasure_step(*, name: str, erase: Callable[[User], None]) -> None:
    ERASURE_STEPS[name] = erase


def export_personal_data(*, user: User) -> dict[str, Any]:
    """Everything Kitbag holds about `user`, as JSON-ready data. Never a password or token hash."""
    addresses = addresses_of(user)
    profile = Profile.objects.filter(user=user).select_related("organisation").first()
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "service": settings.SERVICE_NAME,
        "exported_at": _when(timezone.now()),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "has_password": user.has_usable_password(),
            "is_active": user.is_active,
            "is_moderator": user.is_moderator,
            "is_staff": user.is_staff,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "profile": (
            {
                "display_name": profile.display_name,
                "job_title": profile.job_title,
                "help_with": profile.help_with,
                "organisation": profile.organisation.name if profile.organisation else None,
                "is_public": profile.is_public,
                "updated_at": _when(profile.updated_at),
            }
            if profile
            else None
        ),
        "memberships": [
            {
                "organisation": m.organisation.name,
                "organisation_id": m.organisation_id,
                "role": m.role,
                "method": m.method,
                "started_at": _when(m.started_at),
                "ended_at": _when(m.ended_at),
                "end_reason": m.end_reason or None,
            }
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "invitations_to_you": [
            {
                "email": i.email,
                "organisation": i.organisation.name,
                "role": i.role,
                "created_at": _when(i.created_at),
                "expires_at": _when(i.expires_at),
                "accepted_at": _when(i.accepted_at),
                "revoked_at": _when(i.revoked_at),
            }
            for i in _invitations_to(addresses).select_related("organisation")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": _when(t.created_at),
                "last_used_at": _when(t.last_used_at),
                "revoked_at": _when(t.revoked_at),
            }
            for t in ApiToken.objects.filter(user=user)
        ],
        "security_events": [
            {
                "kind": e.kind,
                "description": str(AuditEvent.Kind(e.kind).label)
                if e.kind in AuditEvent.Kind.values
                else e.kind,
                "at": _when(e.created_at),
                "organisation": e.organisation.name if e.organisation else None,
                "you_were": "the subject" if e.subject_id == user.pk else "the actor",
            }
            for e in AuditEvent.objects.filter(Q(subject=user) | Q(actor=user)).select_related(
                "organisation"
            )
        ],
        "moderation_actions": [
            {
                "action": m.action,
                "shown_as": m.actor_label,
                "object_type": m.object_type,
                "object_id": m.object_id,
                "object_label": m.object_label,
                "reason": m.reason,
                "visibility": m.visibility,
                "at": _when(m.created_at),
            }
            for m in ModerationLogEntry.objects.filter(actor=user)
        ],
        **{name: collect(user) for name, collect in sorted(PERSONAL_DATA_SECTIONS.items())},
    }


@transaction.atomic
def erase_account(*, user: User, by: User) -> None:
    """Delete `user` and every trace of who they were; what they did stays, anonymous."""
    user = User.objects.select_for_update().get(pk=user.pk)
    addresses = addresses_of(user)
    names = _names_of(user)
    now = timezone.now()
    by_themselves = by.pk == user.pk

    ended = list(Membership.objects.active().filter(user=user).select_related("organisation"))
    for membership in ended:
        membership.ended_at = now
        membership.end_reason = Membership.EndReason.ACCOUNT_DELETED
        membership.save(update_fields=["ended_at", "end_reason"])
        # Each organisation's history shows that someone left; the subject is cleared below.
        record_audit_event(
            AuditEvent.Kind.MEMBERSHIP_ENDED,
            subject=user,
            actor=None if by_themselves else by,
            organisation=membership.organisation,
            reason=Membership.EndReason.ACCOUNT_DELETED.value,
            role=membership.role,
        )
    # Deleting the user would cascade to tokens too; deleting them first says that a token must
    # never outlive the decision to erase, whatever happens to the cascade rules later.
    tokens_revoked, _ = ApiToken.objects.filter(user=user).delete()
    _invitations_to(addresses).delete()
    _delete_sessions_of(user)
    _delete_admin_history_about(user, addresses)
    _scrub_logs(user=user, texts=addresses | names)
    for _name, erase in sorted(ERASURE_STEPS.items()):
        erase(user)

    user.delete()  # cascades to the profile and allauth's email addresses
    record_audit_event(
        AuditEvent.Kind.ACCOUNT_DELETED,
        actor=None if by_themselves else by,
        by_themselves=by_themselves,
        memberships_ended=len(ended),
        tokens_revoked=tokens_revoked,
    )


def _invitations_to(addresses: Iterable[str]) -> Any:
    query = Q(pk__in=[])
    for address in addresses:
        query |= Q(email__iexact=address)
    return Invitation.objects.filter(query)


def _names_of(user: User) -> set[str]:
    profile = Profile.objects.filter(user=user).first()
    candidates = [
        profile.display_name if profile else "",
        user.get_full_name(),
        user.first_name,
        user.last_name,
    ]
    return {name.strip() for name in candidates if name and name.strip()}


def _delete_sessions_of(user: User) -> None:
    """Sign the person out everywhere. Only database sessions can be found by user; with other
    engines the session's auth hash no longer matches any account, so Django ignores it."""
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not issubclass(store_class, DatabaseSessionStore):
        return
    model = store_class.get_model_class()
    user_id = str(user.pk)
    doomed = [
        session.session_key
        for session in model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == user_id
    ]
    model.objects.filter(session_key__in=doomed).delete()


def _delete_admin_history_about(user: User, addresses: set[str]) -> None:
    # The admin's history names the object changed ("jo@example.org"); entries the person made
    # themselves go with the account (LogEntry.user cascades).
    user_type = ContentType.objects.get_for_model(User)
    query = Q(content_type=user_type, object_id=str(user.pk))
    for address in addresses:
        query |= Q(object_repr__icontains=address)
    LogEntry.objects.filter(query).delete()


def _scrub_logs(*, user: User, texts: set[str]) -> None:
    """Replace the person's addresses and names in the two append-only logs.

    The logs refuse changes through the application so that nobody can rewrite history; erasure
    is the one change the law requires, so it goes through the base manager, which has no guard.
    """
    if not texts:
        return
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(t)}(?!\w)" for t in sorted(texts, key=len, reverse=True)),
        re.IGNORECASE,
    )

    text_query = Q(actor=user)
    for text in texts:
        text_query |= (
            Q(actor_label__icontains=text)
            | Q(object_label__icontains=text)
            | Q(reason__icontains=text)
        )
    for entry in ModerationLogEntry._base_manager.filter(text_query):
        changes = {
            field: pattern.sub(FORMER_USER, getattr(entry, field))
            for field in ("actor_label", "object_label", "reason")
        }
        changes = {f: v for f, v in changes.items() if v != getattr(entry, f)}
        if changes:
            ModerationLogEntry._base_manager.filter(pk=entry.pk).update(**changes)

    detail_query = Q(subject=user) | Q(actor=user)
    for text in texts:
        detail_query |= Q(detail_text__icontains=text)
    events = AuditEvent._base_manager.annotate(detail_text=Cast("detail", TextField())).filter(
        detail_query
    )
    for event in events:
        scrubbed = _scrub_json(event.detail, pattern)
        if scrubbed != event.detail:
            AuditEvent._base_manager.filter(pk=event.pk).update(detail=scrubbed)


def _scrub_json(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(FORMER_USER, value)
    if isinstance(value, list):
        return [_scrub_json(item, pattern) for item in value]
    if isinstance(value, dict):
        return {
            pattern.sub(FORMER_USER, key): _scrub_json(item, pattern) for key, item in value.items()
        }
    return value


def download_personal_data(*, user: User) -> dict[str, Any]:
    """The export, recorded: a person can see in their next export when their data was taken."""
    record_audit_event(AuditEvent.Kind.DATA_EXPORTED, subject=user, actor=user)
    return export_personal_data(user=user)
