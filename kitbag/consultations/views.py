"""Reading consultations and commenting on them: the list, a consultation's document with its
comments, the comment and reply pages (which work without JavaScript), flags, the comments'
CSV and Atom feed, and the sections other pages show."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from kitbag.accounts.models import User
from kitbag.accounts.permissions import can
from kitbag.consultations import queries, services
from kitbag.consultations.forms import CommentForm, FlagForm, ReplyForm, SourceForm
from kitbag.consultations.models import (
    Comment,
    CommentState,
    Consultation,
    ConsultationStatus,
    Participant,
)
from kitbag.consultations.permissions import shown_posts
from kitbag.consultations.queries import ConsultationSearch
from kitbag.consultations.tasks import verify_webmention
from kitbag.core.background import run_in_background
from kitbag.core.downloads import csv_response
from kitbag.core.feeds import AtomFeed
from kitbag.core.page_cache import cache_public_page
from kitbag.core.rate_limits import rate_limited
from kitbag.registry.models import Organisation

COMMENT_COLUMNS = (
    "id",
    "created",
    "author",
    "official",
    "version",
    "paragraph",
    "paragraph_number",
    "quote",
    "parent",
    "text",
    "anchor_version",
    "anchor_paragraph",
    "anchor_status",
)


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required has run
    return user


def _consultation(request: HttpRequest, slug: str) -> Consultation:
    consultation = queries.consultation_for(slug=slug, viewer=request.user)
    if consultation is None:
        raise Http404
    return consultation


def _page_int(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


@require_safe
@cache_public_page
def consultation_list(request: HttpRequest) -> HttpResponse:
    search_for = ConsultationSearch(
        query=request.GET.get("q", "")[:200],
        organisation=request.GET.get("organisation", "")[:120],
        status=request.GET.get("status", "")[:24],
        service=request.GET.get("service", "")[:32],
        year=request.GET.get("year", "")[:4],
        page=_page_int(request.GET.get("page")),
    )
    results = queries.search_consultations(search_for)
    organisations = dict(
        Organisation.objects.filter(
            slug__in=[value for value, _n in results.facets.get("organisation", [])]
        ).values_list("slug", "name")
    )
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "consultations/consultation_list.html",
        {
            "search": search_for,
            "results": results,
            "statuses": [
                (value, label)
                for value, label in ConsultationStatus.choices
                if value != ConsultationStatus.DRAFT
            ],
            "organisation_options": sorted(organisations.items(), key=lambda item: item[1]),
            "years": sorted((v for v, _n in results.facets.get("year", [])), reverse=True),
            "next_url": "?" + urlencode({**query, "page": results.page + 1})
            if results.page < results.pages
            else None,
            "previous_url": "?" + urlencode({**query, "page": results.page - 1})
            if results.page > 1
            else None,
            "may_create": request.user.is_authenticated
            and bool(_creatable_organisations(request.user)),
        },
    )


def _creatable_organisations(user: Any) -> list[Organisation]:
    ids = queries.member_organisation_ids(user)
    return [
        organisation
        for organisation in Organisation.objects.filter(pk__in=ids).order_by("name")
        if can(user, "create_consultation", organisation)
    ]


@require_safe
def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    number = request.GET.get("version")
    view = queries.document_view(
        consultation=consultation,
        viewer=request.user,
        number=int(number) if number and number.isdigit() else None,
        paragraph=request.GET.get("paragraph") or None,
    )
    if view is None:
        raise Http404
    user = request.user
    posts = list(shown_posts(consultation))
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "view": view,
            "one_paragraph": bool(request.GET.get("paragraph")),
            "deadline": queries.response_deadline(consultation),
            "may_comment": can(user, "comment", consultation) and view.is_latest,
            "may_answer": can(user, "answer", consultation),
            "may_edit": can(user, "edit", consultation),
            "may_view_queue": can(user, "view_queue", consultation),
            "may_moderate": can(user, "moderate_consultations"),
            "may_manage_elsewhere": can(user, "manage_elsewhere", consultation),
            "posts": posts,
            "posts_answered": sum(1 for post in posts if post.answered_url),
            "signed_in": user.is_authenticated,
            "asks_consent": not user.is_authenticated
            or not Participant.objects.filter(user_id=user.pk).exists(),
            "comment_form": CommentForm(
                asks_consent=not user.is_authenticated
                or not Participant.objects.filter(user_id=user.pk).exists()
            ),
        },
    )


def _participant_choice(request: HttpRequest, form: Any) -> None:
    if "display_name" in form.cleaned_data and form.cleaned_data.get("consent"):
        services.set_participation(
            user=_person(request), display_name=form.cleaned_data["display_name"]
        )


@login_required
@rate_limited("consultation-comments")
def comment_form(request: HttpRequest, slug: str, paragraph: str) -> HttpResponse:
    """Commenting on one paragraph (or a span of it): the page without JavaScript, and where the
    in-place form posts."""
    consultation = _consultation(request, slug)
    latest = services.latest_version(consultation)
    found = latest.paragraphs.filter(key=paragraph).first() if latest else None
    if found is None:
        raise Http404
    if not can(request.user, "comment", consultation):
        return render(
            request, "consultations/comment_closed.html", {"consultation": consultation}, status=403
        )
    asks = not Participant.objects.filter(user=_person(request)).exists()
    form = CommentForm(
        request.POST or None,
        asks_consent=asks,
        initial={
            "paragraph": paragraph,
            **{k: request.GET.get(k, "") for k in ("quote_exact", "quote_prefix", "quote_suffix")},
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            _participant_choice(request, form)
            data = form.cleaned_data
            comment = services.add_comment(
                consultation=consultation,
                by=_person(request),
                text=data["text"],
                paragraph_key=paragraph,
                quote=services.QuoteIn(
                    exact=data.get("quote_exact", ""),
                    prefix=data.get("quote_prefix", ""),
                    suffix=data.get("quote_suffix", ""),
                )
                if data.get("quote_exact")
                else None,
            )
        except services.ConsultationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _comment_sent(comment))
            return redirect(f"{consultation.get_absolute_url()}#comment-{comment.key}")
    return render(
        request,
        "consultations/comment_form.html",
        {"consultation": consultation, "paragraph": found, "form": form},
    )


def _comment_sent(comment: Comment) -> str:
    if comment.state == "pending":
        return _("Your comment was sent. A moderator checks it before it is shown.")
    return _("Your comment is published.")


def _comment(consultation: Consultation, key: str) -> Comment:
    comment = (
        consultation.comments.select_related("version", "consultation__organisation")
        .filter(key=key)
        .first()
    )
    if comment is None:
        raise Http404
    return comment


@login_required
@rate_limited("consultation-comments")
def reply_form(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    parent = _comment(consultation, key)
    if not can(request.user, "view", parent):
        raise Http404
    person = _person(request)
    may_answer = can(person, "answer", consultation)
    may_reply = can(person, "reply", parent)
    if not (may_answer or may_reply):
        return render(
            request, "consultations/comment_closed.html", {"consultation": consultation}, status=403
        )
    asks = not Participant.objects.filter(user=person).exists()
    form = ReplyForm(request.POST or None, initial={"as_official": may_answer})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        official = bool(data.get("as_official")) and may_answer
        try:
            if asks and not official:
                if not data.get("consent") or not (data.get("display_name") or "").strip():
                    raise services.ConsultationError(
                        _("Choose the name to show and agree to publish your comment."),
                        field="consent",
                    )
                services.set_participation(user=person, display_name=data["display_name"])
            reply = services.add_comment(
                consultation=consultation,
                by=person,
                text=data["text"],
                parent=parent,
                as_official=official,
                changed_in_version=data.get("changed_in_version"),
            )
        except services.ConsultationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _comment_sent(reply))
            return redirect(f"{consultation.get_absolute_url()}#comment-{reply.key}")
    return render(
        request,
        "consultations/reply_form.html",
        {
            "consultation": consultation,
            "parent": parent,
            "form": form,
            "may_answer": may_answer,
            "may_reply": may_reply,
            "asks_consent": asks,
        },
    )


@login_required
@rate_limited("consultation-comments")
def flag_form(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    comment = _comment(consultation, key)
    if not can(request.user, "flag", comment):
        raise Http404
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.flag_comment(
            comment=comment, reason=form.cleaned_data["reason"], by=_person(request)
        )
        messages.success(request, _("Thank you. A moderator will look at the comment."))
        return redirect(f"{consultation.get_absolute_url()}#comment-{comment.key}")
    return render(
        request,
        "consultations/flag_form.html",
        {"consultation": consultation, "comment": comment, "form": form},
    )


@require_safe
def moderation_policy(request: HttpRequest) -> HttpResponse:
    return render(request, "consultations/moderation_policy.html")


# --- Downloads and feeds --------------------------------------------------------------------------


def _public(slug: str) -> Consultation:
    consultation = queries.public_consultation(slug)
    if consultation is None:
        raise Http404
    return consultation


def comment_rows(consultation: Consultation) -> list[dict[str, object]]:
    positions = {
        (version.number, paragraph.key): paragraph.position
        for version in consultation.versions.prefetch_related("paragraphs")
        for paragraph in version.paragraphs.all()
    }
    comments = list(queries.export_comments(consultation))
    keys = {comment.pk: comment.key for comment in comments}
    return [
        {
            "id": comment.key,
            "created": comment.created_at,
            "author": comment.display_name,
            "official": comment.is_official,
            "version": comment.version.number,
            "paragraph": comment.paragraph_key,
            "paragraph_number": positions.get((comment.version.number, comment.paragraph_key)),
            "quote": comment.quote_exact,
            "parent": keys.get(comment.parent_id) if comment.parent_id else None,
            "text": comment.text,
            "anchor_version": comment.anchor_version,
            "anchor_paragraph": comment.anchor_paragraph,
            "anchor_status": comment.anchor_status,
        }
        for comment in comments
    ]


@require_safe
def comments_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    consultation = _public(slug)
    return csv_response(
        comment_rows(consultation),
        columns=COMMENT_COLUMNS,
        filename=f"{consultation.slug}-comments.csv",
    )


@require_safe
def comments_feed(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _public(slug)
    link = request.build_absolute_uri(consultation.get_absolute_url())
    feed = AtomFeed(
        title=_("Comments on “%(title)s”") % {"title": consultation.title},
        link=link,
        feed_url=request.build_absolute_uri(),
        description=_("Comments and official responses."),
        language="en",
        feed_guid=request.build_absolute_uri(),
    )
    for comment in list(queries.export_comments(consultation).order_by("-created_at"))[:50]:
        who = (
            _("Official response from %(organisation)s") % {"organisation": comment.display_name}
            if comment.is_official
            else _("Comment by %(name)s") % {"name": comment.display_name}
        )
        opening = comment.text if len(comment.text) <= 80 else comment.text[:79] + "…"
        feed.add_item(
            # A reader lists titles only: the comment's opening words say what it is about.
            title=f"{who}: {opening}",
            link=f"{link}#comment-{comment.key}",
            description=comment.text,
            unique_id=f"{link}#comment-{comment.key}",
            pubdate=comment.created_at,
            author_name=comment.display_name,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


# --- Sections of other pages ----------------------------------------------------------------------


def organisation_section(request: HttpRequest | None, organisation: Any) -> dict[str, Any] | None:
    """The consultations section of an organisation's page, with its answer rate."""
    viewer = request.user if request is not None else None
    consultations = list(queries.consultations_of(organisation=organisation, viewer=viewer))
    if not consultations and not (viewer and can(viewer, "create_consultation", organisation)):
        return None
    return {
        "organisation": organisation,
        "consultations": consultations,
        "rate": queries.organisation_answer_rate(organisation),
        "list_url": reverse("consultations:consultation_list")
        + "?"
        + urlencode({"organisation": organisation.slug}),
    }


def account_section(request: HttpRequest | None, user: Any) -> dict[str, Any] | None:
    """Official responses to the person's comments, on their account page."""
    responses = queries.responses_to(user)
    if not responses:
        return None
    return {"responses": responses}


# --- Elsewhere: Webmentions and the officials' page ----------------------------------------------


@csrf_exempt  # W3C Webmention: any site may send one, with no session and no token
@require_POST
@rate_limited("webmention")
def webmention(request: HttpRequest) -> HttpResponse:
    """Receive a Webmention; its source is fetched to verify it, and a moderator sees it first."""
    source = request.POST.get("source", "")[:1000]
    target = request.POST.get("target", "")[:1000]
    if not source.startswith(("http://", "https://")) or source == target:
        return HttpResponse(
            "source must be a different http(s) address\n", status=400, content_type="text/plain"
        )
    if services.consultation_for_target(target) is None:
        return HttpResponse(
            "target is not a consultation here\n", status=400, content_type="text/plain"
        )
    run_in_background(verify_webmention, source=source, target=target)
    return HttpResponse(
        "Accepted: the source will be checked, then moderated.\n",
        status=202,
        content_type="text/plain",
    )


@login_required
@rate_limited("consultation-writes")
def elsewhere_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Officials add feeds and pages to read, and record answers to posts; moderators let
    Webmentions through."""
    consultation = _consultation(request, slug)
    user = _person(request)
    if not can(user, "manage_elsewhere", consultation):
        raise Http404
    form = SourceForm(request.POST or None if request.POST.get("form") == "source" else None)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("form") == "source" and form.is_valid():
                services.add_source(
                    consultation=consultation,
                    kind=form.cleaned_data["kind"],
                    url=form.cleaned_data["url"],
                    by=user,
                )
                messages.success(request, _("Kitbag will read it every few hours."))
                return redirect(request.path)
            post = consultation.elsewhere_posts.filter(pk=request.POST.get("post") or 0).first()
            if post is not None and request.POST.get("form") == "answer":
                services.record_post_answer(post=post, url=request.POST.get("url", ""), by=user)
                messages.success(request, _("Your answer is recorded."))
                return redirect(request.path)
            if post is not None and request.POST.get("form") == "moderate":
                services.moderate_post(post=post, action=request.POST.get("action", ""), by=user)
                return redirect(request.path)
        except services.ConsultationError as refused:
            error = str(refused)
        except services.NotPermitted:
            error = _("You are not allowed to do this.")
    posts = list(consultation.elsewhere_posts.select_related("source"))
    return render(
        request,
        "consultations/elsewhere.html",
        {
            "consultation": consultation,
            "form": form,
            "error": error,
            "sources": list(consultation.elsewhere_sources.all()),
            "posts": [p for p in posts if p.state == CommentState.VISIBLE],
            "waiting": [p for p in posts if p.state == CommentState.PENDING],
            "may_answer": can(user, "answer", consultation),
            "may_moderate": can(user, "moderate_consultations"),
        },
    )
