"""Personal API tokens: created, shown once, used to write through the API, revoked.

A token is ``kb_`` followed by 43 random URL-safe characters. Only its SHA-256 is stored, with the
first few characters so that a person can tell their tokens apart; a stolen database holds nothing
that can be sent as a token. SHA-256 rather than a slow password hash is enough because the token
has 256 bits of randomness: there is nothing to guess.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from kitbag.accounts.audit import record_audit_event
from kitbag.accounts.models import ApiToken, AuditEvent, User

TOKEN_PREFIX = "kb_"  # noqa: S105 -- a label that marks Kitbag tokens, not a secret
PREFIX_LENGTH = 10  # "kb_" and seven random characters
# Writing last_used_at on every request would make each API read a write; a minute is precise
# enough to tell a person whether a token is still in use.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """The new token and, once only, its plain value to show the person."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=raw[:PREFIX_LENGTH], token_hash=_hash(raw)
    )
    record_audit_event(AuditEvent.Kind.TOKEN_CREATED, subject=user, actor=user, token_id=token.pk)
    return token, raw


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User) -> ApiToken:
    """Revoking twice changes nothing and records nothing the second time."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_audit_event(
            AuditEvent.Kind.TOKEN_REVOKED, subject=token.user, actor=by, token_id=token.pk
        )
    return token


def authenticate_token(raw: str) -> User | None:
    """The person a token belongs to, or None if it is unknown, revoked or their account is not
    active."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > MAX_TOKEN_LENGTH:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        # A plain UPDATE: concurrent requests with one token need no lock to record "just now".
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
