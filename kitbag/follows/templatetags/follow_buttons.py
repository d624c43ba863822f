"""`{% follow_button "case" case.pk %}`: the follow or unfollow button of a page (a POST form that
works without JavaScript), or a sign-in link for someone not signed in."""

from __future__ import annotations

from typing import Any

from django import template

from kitbag.core.happenings import key_of
from kitbag.follows import queries

register = template.Library()


@register.inclusion_tag("follows/partials/_follow_button.html", takes_context=True)
def follow_button(context: dict[str, Any], kind: str, identifier: object, name: str = "") -> Any:
    request = context.get("request")
    user = getattr(request, "user", None)
    key = key_of(kind, identifier)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "key": key,
        "name": name,
        "signed_in": signed_in,
        "following": signed_in and queries.is_following(user, key),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
