"""The follows pages: thin views over queries.py and services.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kitbag.accounts.models import User
from kitbag.core.feeds import AtomFeed
from kitbag.core.rate_limits import rate_limited
from kitbag.follows import digests, queries, services
from kitbag.follows.forms import DigestForm, FollowForm
from kitbag.follows.models import FollowSettings

PAGE_SIZE = 25
FEED_SIZE = 50


def _signed_in_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


@login_required
@require_POST
@rate_limited("follows")
def follow_toggle(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("That cannot be followed."))
    key = form.cleaned_data["key"]
    back = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("follows:following")
    if form.cleaned_data["action"] == "unfollow":
        services.unfollow(user=user, key=key)
        messages.success(request, _("You no longer follow it."))
        return redirect(back or "follows:following")
    try:
        services.follow(user=user, key=key)
    except ValidationError:
        return HttpResponseBadRequest(_("That cannot be followed."))
    messages.success(request, _("You follow it now: what happens shows in your notifications."))
    return redirect(back or "follows:following")


@login_required
def following(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    found = queries.settings_of(user)
    form = DigestForm(initial={"frequency": found.digest_frequency})
    return render(request, "follows/following.html", _following_context(request, found, form))


def _following_context(request: HttpRequest, found: FollowSettings, form: DigestForm) -> Any:
    return {
        "things": queries.followed_things(found.user),
        "form": form,
        "settings": found,
        "feed_url": request.build_absolute_uri(reverse("follows:feed", args=[found.feed_token])),
    }


@login_required
@require_POST
@rate_limited("follows")
def digest_settings(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    form = DigestForm(request.POST)
    if not form.is_valid():
        found = queries.settings_of(user)
        return render(
            request,
            "follows/following.html",
            _following_context(request, found, form),
            status=400,
        )
    services.set_digest_frequency(user=user, frequency=form.cleaned_data["frequency"])
    messages.success(request, _("Your email choice has been saved."))
    return redirect("follows:following")


@login_required
@require_POST
@rate_limited("follows")
def reset_feed(request: HttpRequest) -> HttpResponse:
    services.reset_feed_token(user=_signed_in_user(request))
    messages.success(request, _("Your feed has a new address. The old one no longer works."))
    return redirect(reverse("follows:following") + "#feed")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    found = queries.settings_of(user)
    page = Paginator(
        queries.happenings_for(user).order_by("-recorded_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    read_at = found.notifications_read_at
    items = [
        (happening, read_at is None or happening.recorded_at > read_at)
        for happening in page.object_list
    ]
    return render(
        request,
        "follows/notifications.html",
        {"page": page, "items": items, "unread": any(unread for _h, unread in items)},
    )


@login_required
@require_POST
@rate_limited("follows")
def mark_read(request: HttpRequest) -> HttpResponse:
    services.mark_notifications_read(user=_signed_in_user(request))
    return redirect("follows:notifications")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal Atom feed: what the person follows and may read, behind a secret address."""
    found = (
        FollowSettings.objects.select_related("user")
        .filter(feed_token=token, user__is_active=True)
        .first()
    )
    if found is None:
        raise Http404
    happenings = queries.happenings_for(found.user).order_by("-recorded_at", "-pk")[:FEED_SIZE]
    atom = AtomFeed(
        title=_("%(service)s: what you follow") % {"service": settings.SERVICE_NAME},
        link=request.build_absolute_uri(reverse("follows:notifications")),
        description=_("What happened to the things you follow."),
        feed_url=request.build_absolute_uri(),
        language="en",
    )
    for happening in happenings:
        atom.add_item(
            title=happening.title,
            link=request.build_absolute_uri(happening.url),
            description=happening.summary,
            pubdate=happening.recorded_at,
            updateddate=happening.recorded_at,
            unique_id=f"{settings.SITE_URL}/following/happenings/{happening.pk}",
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    # A secret address: keep it out of shared caches and away from search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# Mail programs POST the one-click unsubscribe (RFC 8058) without a session or a CSRF token; the
# signed link itself is the proof, and all it can do is turn emails off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@rate_limited("unsubscribe")
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user_id = digests.user_id_from_unsubscribe_token(token)
    if user_id is None:
        return render(request, "follows/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.unsubscribe(user_id=user_id)
        return render(request, "follows/unsubscribe_done.html")
    return render(request, "follows/unsubscribe_confirm.html")


def account_section(request: HttpRequest | None, user: Any) -> dict[str, Any] | None:
    """Context of the "Following" section of "Your account" (core.page_sections)."""
    return {}
