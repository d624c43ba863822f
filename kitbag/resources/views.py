"""The resource library's pages: the list (by tag, with search), a resource, a tag and its Atom
feed, the recommend form and the bookmark upload. Reads come from queries.py, writes go
through services.py, and who may see what is asked of permissions.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kitbag.accounts.permissions import Actor, can
from kitbag.core.feeds import AtomFeed
from kitbag.core.rate_limits import rate_limited
from kitbag.resources import queries, services
from kitbag.resources.addresses import normalise_tag
from kitbag.resources.bookmark_files import BookmarkFileError
from kitbag.resources.forms import BookmarkUploadForm, RecommendForm, UsedByForm
from kitbag.resources.models import Resource, Use
from kitbag.resources.used_by import (
    UsedByLink,
    editable_choices,
    editable_label,
    keys_viewer_may_edit,
    links_for,
)


def _sentence(text: str) -> str:
    """The message as a sentence: its first letter a capital, the rest as written ("UTF-8")."""
    return text[:1].upper() + text[1:]


def _cards(request: HttpRequest, resources: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "resource": resource,
            "tags": queries.tags_of(resource),
            "recommendations": queries.shown_recommendations(resource, request.user),
        }
        for resource in resources
    ]


@require_safe
def resource_list(request: HttpRequest) -> HttpResponse:
    tag = normalise_tag(request.GET.get("tag", ""))
    words = request.GET.get("q", "").strip()[:200]
    resources = queries.resources_for(request.user, tag=tag)
    if words:
        resources = queries.matching(resources, words)
    page = Paginator(resources, queries.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "resources/resource_list.html",
        {
            "page": page,
            "cards": _cards(request, list(page.object_list)),
            "tag": tag,
            "words": words,
            "tags": queries.tag_counts(request.user),
        },
    )


@require_safe
def tag_detail(request: HttpRequest, tag: str) -> HttpResponse:
    name = normalise_tag(tag)
    if name != tag:
        return redirect("resources:tag", tag=name) if name else redirect("resources:list")
    resources = queries.resources_for(request.user, tag=name)
    page = Paginator(resources, queries.PAGE_SIZE).get_page(request.GET.get("page"))
    if page.paginator.count == 0:
        raise Http404("No resource you may see has this tag.")
    return render(
        request,
        "resources/tag_detail.html",
        {"page": page, "cards": _cards(request, list(page.object_list)), "tag": name},
    )


@require_safe
def tag_feed(request: HttpRequest, tag: str) -> HttpResponse:
    name = normalise_tag(tag)
    # The feed is the same for everyone (readers fetch it without signing in): public only.
    resources = queries.public_resources_for_feed(name)
    if not resources:
        raise Http404("No public resource has this tag.")
    link = request.build_absolute_uri(reverse("resources:tag", kwargs={"tag": name}))
    feed = AtomFeed(
        title=_("Resources tagged “%(tag)s”") % {"tag": name},
        link=link,
        feed_url=request.build_absolute_uri(),
        description=_("Links people recommend in Kitbag's resource library."),
        language="en",
        feed_guid=request.build_absolute_uri(),
    )
    for resource in resources:
        reasons = [r.why for r in queries.shown_recommendations(resource, None) if r.why]
        page_url = request.build_absolute_uri(resource.get_absolute_url())
        feed.add_item(
            title=resource.title,
            link=page_url,
            description="\n\n".join([resource.url, resource.description, *reasons]).strip(),
            unique_id=page_url,
            pubdate=resource.created_at,
            categories=queries.tags_of(resource),
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def _detail(
    request: HttpRequest, resource: Resource, *, form: UsedByForm | None = None, status: int = 200
) -> HttpResponse:
    recommendations = queries.shown_recommendations(resource, request.user)
    used_by = links_for(queries.uses_of(resource), request.user)
    groups = editable_choices(request.user) if request.user.is_authenticated else []
    removable = _removable(request, used_by)
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "tags": queries.tags_of(resource),
            "recommendations": recommendations,
            "yours": next((r for r in recommendations if r.is_yours), None),
            "used_by": [(link, link.use_id in removable) for link in used_by],
            "used_by_form": form or (UsedByForm(groups=groups) if groups else None),
        },
        status=status,
    )


def _removable(request: HttpRequest, used_by: list[UsedByLink]) -> set[int | None]:
    """The uses shown that the viewer may remove (the rule in permissions.py, asked of every
    shown use at once: one query per kind, not one per use)."""
    user = request.user
    if not user.is_authenticated:
        return set()
    actor = Actor.of(user)
    if actor.is_moderator or actor.is_staff:
        return {link.use_id for link in used_by}
    editable = keys_viewer_may_edit(user, [link.key for link in used_by])
    mine = set(
        Use.objects.filter(pk__in=[link.use_id for link in used_by], added_by=user).values_list(
            "pk", flat=True
        )
    )
    return {link.use_id for link in used_by if link.key in editable or link.use_id in mine}


@require_safe
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = queries.resource_for(request.user, pk)
    if resource is None:
        raise Http404("No resource you may see has this number.")
    return _detail(request, resource)


@login_required
@require_POST
@rate_limited("resource-writes")
def say_used(request: HttpRequest, pk: int) -> HttpResponse:
    resource = queries.resource_for(request.user, pk)
    if resource is None:
        raise Http404("No resource you may see has this number.")
    form = UsedByForm(request.POST, groups=editable_choices(request.user))
    if form.is_valid():
        try:
            services.say_used(
                resource=resource,
                key=form.cleaned_data["used_by"],
                by=request.user,  # type: ignore[arg-type]
            )
        except services.ResourceError as error:
            form.add_error("used_by", str(error))
        else:
            messages.success(request, _("Saved: it shows under “Used by”."))
            return redirect(reverse("resources:detail", kwargs={"pk": pk}) + "#used-by")
    return _detail(request, resource, form=form, status=400)


@login_required
@require_POST
@rate_limited("resource-writes")
def remove_use(request: HttpRequest, pk: int, use_id: int) -> HttpResponse:
    resource = queries.resource_for(request.user, pk)
    use = Use.objects.filter(pk=use_id, resource_id=pk).first()
    if resource is None or use is None:
        raise Http404("No such use of a resource you may see.")
    # Refused with 403 (PermissionDenied) for anyone the rule in permissions.py leaves out.
    services.remove_use(use=use, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Removed from “Used by”."))
    return redirect(reverse("resources:detail", kwargs={"pk": pk}) + "#used-by")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("resource-writes")
def recommend(request: HttpRequest) -> HttpResponse:
    form = RecommendForm(
        request.POST or None,
        initial={
            "url": request.GET.get("url", "")[:2000],
            "used_by": request.GET.get("used_by", "")[:120],
        },
    )
    used_by = str(form["used_by"].value() or "")
    used_by_label = editable_label(request.user, used_by) if used_by else None
    if used_by and used_by_label is None:
        # Refused before anything is saved, and said where: the link would be recorded as used
        # by something the person may not edit.
        form.add_error(None, _("You may only say that a thing you may edit used a link."))
    if request.method == "POST" and form.is_valid() and can(request.user, "recommend_resource"):
        data = form.cleaned_data
        fields: dict[str, Any] = {
            "person": request.user,
            "url": data["url"],
            "title": data["title"],
            "why": data["why"],
            "tags": data["tags"],
            "is_private": data["is_private"],
        }
        try:
            if used_by:
                resource = services.recommend_used_by(key=used_by, **fields)
            else:
                resource = services.recommend(**fields)
        except services.ResourceError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Saved to the resource library."))
            return redirect(resource)
    return render(
        request, "resources/recommend_form.html", {"form": form, "used_by_label": used_by_label}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("bookmark-uploads")
def upload_bookmarks(request: HttpRequest) -> HttpResponse:
    form = BookmarkUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid() and can(request.user, "recommend_resource"):
        try:
            report = services.import_bookmark_file(
                data=form.cleaned_data["bookmarks"],
                owner=request.user,  # type: ignore[arg-type]
                location=f"upload: {getattr(request.FILES.get('bookmarks'), 'name', '')}"[:500],
                folders_as_tags=form.cleaned_data["folders_as_tags"],
            )
        except BookmarkFileError as error:
            form.add_error(
                "bookmarks",
                _("%(problem)s. Nothing was imported.") % {"problem": _sentence(str(error))},
            )
    return render(request, "resources/bookmark_upload.html", {"form": form, "report": report})
