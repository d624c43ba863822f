"""Editors' and moderators' pages: creating, editing, publishing, closing and revising a
consultation, its response, the members' queue of unanswered comments and the moderators' queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kitbag.accounts.permissions import can
from kitbag.consultations import queries, services
from kitbag.consultations.documents import DocumentError
from kitbag.consultations.forms import (
    ConsultationForm,
    ModerationForm,
    ResponseForm,
    RevisionForm,
)
from kitbag.consultations.models import Comment
from kitbag.consultations.views import _consultation, _creatable_organisations, _person
from kitbag.core.rate_limits import rate_limited
from kitbag.registry.models import Organisation


def _must(request: HttpRequest, action: str, obj: object | None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied


def _form_error(form: Any, error: Exception) -> None:
    field = getattr(error, "field", "")
    if isinstance(error, DocumentError):
        field = "document"
    form.add_error(field if field in form.fields else None, str(error))


@login_required
@rate_limited("consultation-writes")
def consultation_create(request: HttpRequest) -> HttpResponse:
    organisations = _creatable_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = ConsultationForm(
        request.POST or None,
        request.FILES or None,
        organisations=[(str(o.pk), o.name) for o in organisations],
    )
    if request.method == "POST" and form.is_valid():
        organisation = Organisation.objects.get(pk=int(form.cleaned_data["organisation"]))
        try:
            consultation = services.create_consultation(
                organisation=organisation,
                details=form.details(),
                document=form.cleaned_data["document_text"],
                by=_person(request),
            )
        except (services.ConsultationError, DocumentError) as error:
            _form_error(form, error)
        except services.NotPermitted as error:
            raise PermissionDenied from error
        else:
            messages.success(request, _("The draft is saved. Check it, then publish it."))
            return redirect(consultation.get_absolute_url())
    return render(
        request, "consultations/consultation_form.html", {"form": form, "consultation": None}
    )


@login_required
@rate_limited("consultation-writes")
def consultation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    _must(request, "edit", consultation)
    service = consultation.services.first()
    latest = consultation.versions.order_by("-number").first()
    initial = {
        "title": consultation.title,
        "summary": consultation.summary,
        "consulted": consultation.consulted,
        "opens": consultation.opens_at.date() if consultation.opens_at else None,
        "closes": consultation.closes_at.date() if consultation.closes_at else None,
        "questions": consultation.questions,
        "contact": consultation.contact,
        "moderation": consultation.moderation,
        "keywords": consultation.keywords,
        "service": service.code if service else "",
        "document": latest.source if latest else "",
    }
    form = ConsultationForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        document_required=consultation.is_draft,
    )
    if not consultation.is_draft:
        for name in ("document", "document_file"):
            del form.fields[name]
    if request.method == "POST" and form.is_valid():
        try:
            services.update_consultation(
                consultation=consultation,
                details=form.details(),
                by=_person(request),
                document=form.cleaned_data.get("document_text") if consultation.is_draft else None,
            )
        except (services.ConsultationError, DocumentError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(consultation.get_absolute_url())
    return render(
        request,
        "consultations/consultation_form.html",
        {"form": form, "consultation": consultation},
    )


def _confirm_step(
    request: HttpRequest,
    slug: str,
    *,
    action: str,
    heading: str,
    explanation: str,
    button: str,
    run: Any,
    done: str,
) -> HttpResponse:
    consultation = _consultation(request, slug)
    _must(request, action, consultation)
    error = ""
    if request.method == "POST":
        try:
            run(consultation=consultation, by=_person(request))
        except services.ConsultationError as refused:
            error = str(refused)
        else:
            messages.success(request, done)
            return redirect(consultation.get_absolute_url())
    return render(
        request,
        "consultations/confirm.html",
        {
            "consultation": consultation,
            "heading": heading,
            "explanation": explanation,
            "button": button,
            "error": error,
        },
    )


@login_required
@rate_limited("consultation-writes")
def consultation_publish(request: HttpRequest, slug: str) -> HttpResponse:
    return _confirm_step(
        request,
        slug,
        action="publish",
        heading=_("Publish and open this consultation"),
        explanation=_(
            "Anyone can then read it, and signed-in people can comment until it closes. "
            "The document cannot be edited afterwards: changes are published as new versions."
        ),
        button=_("Publish and open"),
        run=services.publish_consultation,
        done=_("The consultation is open for comments."),
    )


@login_required
@rate_limited("consultation-writes")
def consultation_close(request: HttpRequest, slug: str) -> HttpResponse:
    return _confirm_step(
        request,
        slug,
        action="close",
        heading=_("Close this consultation"),
        explanation=_(
            "Nobody can comment afterwards. Your response is due 12 weeks after the close."
        ),
        button=_("Close the consultation"),
        run=services.close_consultation,
        done=_("The consultation is closed."),
    )


@login_required
@rate_limited("consultation-writes")
def consultation_revise(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    _must(request, "revise", consultation)
    latest = services.latest_version(consultation)
    form = RevisionForm(
        request.POST or None,
        request.FILES or None,
        initial={"document": latest.source if latest else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.publish_revision(
                consultation=consultation,
                document=form.cleaned_data["document_text"],
                by=_person(request),
            )
        except (services.ConsultationError, DocumentError) as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)s is published. Comments have moved with their paragraphs.")
                % {"number": version.number},
            )
            return redirect(consultation.get_absolute_url())
    return render(
        request,
        "consultations/revision_form.html",
        {"consultation": consultation, "form": form, "latest": latest},
    )


@login_required
@rate_limited("consultation-writes")
def consultation_respond(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    _must(request, "respond", consultation)
    form = ResponseForm(request.POST or None, initial={"response": consultation.response})
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_response(
                consultation=consultation, text=form.cleaned_data["response"], by=_person(request)
            )
        except services.ConsultationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your response is published."))
            return redirect(consultation.get_absolute_url())
    return render(
        request, "consultations/response_form.html", {"consultation": consultation, "form": form}
    )


@login_required
def unanswered_queue(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _consultation(request, slug)
    _must(request, "view_queue", consultation)
    return render(
        request,
        "consultations/unanswered_queue.html",
        {
            "consultation": consultation,
            "comments": queries.unanswered_queue(consultation),
            "rate": queries.answer_rate_of(consultation),
            "deadline": queries.response_deadline(consultation),
        },
    )


@login_required
@rate_limited("consultation-writes")
def moderation_queue(request: HttpRequest) -> HttpResponse:
    _must(request, "moderate_consultations", None)
    waiting = list(queries.comments_awaiting_moderation()[:200])
    # "Moderate" on a shown comment brings it here too (post-moderation).
    asked = request.GET.get("comment") or request.POST.get("asked", "")
    if asked and asked not in {comment.key for comment in waiting}:
        waiting[:0] = Comment.objects.filter(key=asked).select_related("consultation", "version")
    keys = [comment.key for comment in waiting]
    form = ModerationForm(request.POST or None, keys=keys)
    if request.method == "POST" and form.is_valid():
        chosen = Comment.objects.filter(key__in=form.cleaned_data["comments"]).select_related(
            "consultation"
        )
        try:
            done = services.moderate_comments(
                comments=chosen,
                action=form.cleaned_data["action"],
                by=_person(request),
                reason=form.cleaned_data.get("reason", ""),
                redacted_text=form.cleaned_data.get("redacted_text", ""),
            )
        except services.ConsultationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(count)s comments moderated.") % {"count": done})
            return redirect(reverse("consultations:moderation_queue"))
    return render(
        request,
        "consultations/moderation_queue.html",
        {"comments": waiting, "form": form, "asked": asked},
    )
