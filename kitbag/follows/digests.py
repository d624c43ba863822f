"""A digest email for one person: its text and HTML parts, its headers and its unsubscribe link.

The unsubscribe link carries the person's id signed with the site's secret key (salted for this
use only), so it needs no sign-in and cannot be made for someone else; it does not expire, because
a digest read months later must still let its reader stop the emails.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from kitbag.accounts.models import User
from kitbag.follows.models import StoredHappening

UNSUBSCRIBE_SALT = "kitbag.follows.unsubscribe"


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"user": user.pk, "from": "digests"}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_id_from_unsubscribe_token(token: str) -> int | None:
    """The person the link was made for, or None for a link that was not made by Kitbag."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("from") != "digests":
        return None
    user_id = value.get("user")
    return user_id if isinstance(user_id, int) else None


def unsubscribe_url(user: User) -> str:
    return settings.SITE_URL + reverse("follows:unsubscribe", args=[unsubscribe_token(user)])


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def digest_email(
    *, user: User, frequency: str, happenings: Sequence[StoredHappening], more: int = 0
) -> EmailMultiAlternatives:
    link = unsubscribe_url(user)
    context = {
        "user": user,
        "frequency": frequency,
        "happenings": [(happening, absolute(happening.url)) for happening in happenings],
        "more": more,
        "unsubscribe_url": link,
        "notifications_url": settings.SITE_URL + reverse("follows:notifications"),
        "following_url": settings.SITE_URL + reverse("follows:following"),
        "service_name": settings.SERVICE_NAME,
    }
    subject = (
        _("[%(service)s] Your daily digest: %(count)d new")
        if frequency == "daily"
        else _("[%(service)s] Your weekly digest: %(count)d new")
    ) % {"service": settings.SERVICE_NAME, "count": len(happenings) + more}
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("follows/email/digest.txt", context),
        to=[user.email],
        # RFC 2369 and RFC 8058: mail programs offer their own unsubscribe button, which POSTs
        # "List-Unsubscribe=One-Click" to the link without opening it in a browser.
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(render_to_string("follows/email/digest.html", context), "text/html")
    return email
