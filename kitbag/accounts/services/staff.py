"""Staff accounts made on the command line (`kitbag createsuperuser`)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from kitbag.accounts.audit import record_audit_event
from kitbag.accounts.models import AuditEvent, User


@transaction.atomic
def confirm_staff_address(*, user: User) -> EmailAddress:
    """Make the staff account's own address its confirmed, primary address.

    Whoever ran `createsuperuser` on the server already controls the service, so an emailed link
    would prove nothing; without it allauth would refuse every sign-in (ACCOUNT_EMAIL_VERIFICATION
    is mandatory). Only for staff: anyone else confirms their address by email.
    """
    if not user.is_staff:
        raise ValueError("Only a staff account's address is confirmed without an email")
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress(user=user, email=user.email)
    address.verified = True
    address.primary = True
    address.save()
    record_audit_event(
        AuditEvent.Kind.EMAIL_CONFIRMED, subject=user, actor=None, method="createsuperuser"
    )
    return address
