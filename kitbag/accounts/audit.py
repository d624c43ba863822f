"""Writing to the two append-only logs: the security audit and the moderation log."""

from __future__ import annotations

from typing import Any

from kitbag.accounts.models import AuditEvent, ModerationLogEntry, User
from kitbag.registry.models import Organisation


def record_audit_event(
    kind: AuditEvent.Kind,
    *,
    subject: User | None = None,
    actor: User | None = None,
    organisation: Organisation | None = None,
    **detail: Any,
) -> AuditEvent:
    """Record a security-relevant event. `detail` must hold no personal data (no emails, names or
    IP addresses): erasing an account clears `subject` and `actor` and nothing else."""
    return AuditEvent.objects.create(
        kind=kind, subject=subject, actor=actor, organisation=organisation, detail=detail
    )


def log_moderation(
    *,
    actor: User | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str | int,
    object_label: str,
    reason: str = "",
    visibility: ModerationLogEntry.Visibility = ModerationLogEntry.Visibility.PUBLIC,
) -> ModerationLogEntry:
    return ModerationLogEntry.objects.create(
        actor=actor,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_label=object_label,
        reason=reason,
        visibility=visibility,
    )
