"""The people pages: finding people, a person's page, what I offer, asking for help and for
mentoring, the relayed conversations, and the moderators' queue of reported messages.

A profile that is not public is answered as absent (404) on every page, whoever asks, so an id
says nothing about whether an account exists.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kitbag.accounts.models import User
from kitbag.accounts.permissions import can
from kitbag.core.rate_limits import rate_limited
from kitbag.network import queries, services
from kitbag.network.forms import (
    HelpOfferForm,
    MentoringDecisionForm,
    MentoringForm,
    MessageForm,
    ReportForm,
    ResolveForm,
)
from kitbag.network.models import MentoringRequest, Message, MessageReport, Offer
from kitbag.network.queries import PeopleSearch
from kitbag.registry.models import Organisation


def _signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required has run
    return user


def _page_int(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and 0 < int(raw) < 10_000 else 1


def _form_error(form: Any, error: services.NetworkError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


def account_section(request: HttpRequest | None, user: Any) -> dict[str, Any] | None:
    """On "Your account": what the person offers, and their messages waiting to be read."""
    return {
        "is_public": queries.is_public_person(user),
        "unread": queries.unread_count(user),
        "waiting_mentoring": queries.waiting_mentoring_count(user),
    }


def people(request: HttpRequest) -> HttpResponse:
    search_for = PeopleSearch.from_params(request.GET, page=_page_int(request.GET.get("page")))
    results = queries.search_people(search_for)
    service_codes = [value for value, _n in results.facets.get("service", [])]
    labels = queries.service_labels(service_codes + [search_for.service])
    organisations = dict(
        Organisation.objects.filter(
            slug__in=[value for value, _n in results.facets.get("organisation", [])]
        ).values_list("slug", "name")
    )
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "network/person_list.html",
        {
            "search": search_for,
            "results": results,
            "service_options": sorted(
                (
                    (code, labels.get(code, code))
                    for code in set(service_codes) | {search_for.service}
                    if code
                ),
                key=lambda item: item[1],
            ),
            "tag_options": sorted(
                {value for value, _n in results.facets.get("tag", [])}
                | {search_for.tag.lower()} - {""}
            ),
            "offer_options": Offer.choices,
            "organisation_options": sorted(organisations.items(), key=lambda item: item[1]),
            "next_url": "?" + urlencode({**query, "page": results.page + 1})
            if results.page < results.pages
            else None,
            "previous_url": "?" + urlencode({**query, "page": results.page - 1})
            if results.page > 1
            else None,
        },
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = queries.person_page(pk)
    if page is None:
        raise Http404
    return render(
        request,
        "network/person_detail.html",
        {
            "page": page,
            "profile": page.profile,
            "offer_labels": page.help_offer.offer_labels() if page.help_offer else [],
            "tags": page.help_offer.tag_names if page.help_offer else [],
            "may_ask": can(request.user, "ask_for_help", page.profile),
            "may_ask_mentoring": can(request.user, "ask_for_mentoring", page.profile),
            "is_own": request.user.is_authenticated and request.user.pk == page.profile.user_id,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def your_help(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    offer = queries.help_offer_of_user(user)
    initial = {
        "services": [code.code for code in offer.services.all()] if offer else [],
        "tags": ", ".join(offer.tag_names) if offer else "",
        "offers": list(offer.offers) if offer else [],
        "accepts_messages": offer.accepts_messages if offer else False,
    }
    form = HelpOfferForm(request.POST or None, initial=initial)
    finding = request.method == "POST" and "find_services" in request.POST
    if request.method == "POST" and not finding and form.is_valid():
        try:
            services.save_help_offer(
                user=user,
                services=list(form.cleaned_data["services"]),
                tags=services.clean_tags(form.cleaned_data["tags"]),
                offers=form.cleaned_data["offers"],
                accepts_messages=form.cleaned_data["accepts_messages"],
            )
        except services.NetworkError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("What you can help with has been saved."))
            return redirect("network:your_help")
    profile = getattr(user, "profile", None)
    return render(
        request,
        "network/help_offer_edit.html",
        {
            "form": form,
            "finding": finding,
            "profile": profile,
            "is_public": queries.is_public_person(user),
        },
        status=400 if request.method == "POST" and not finding and form.errors else 200,
    )


def _askable_profile(request: HttpRequest, pk: int, action: str) -> Any:
    profile = queries.public_person(pk)
    if profile is None:
        raise Http404
    if not can(request.user, action, profile):
        raise PermissionDenied
    return profile


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("help-messages")
def ask_for_help(request: HttpRequest, pk: int) -> HttpResponse:
    user = _signed_in_user(request)
    profile = _askable_profile(request, pk, "ask_for_help")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.ask_for_help(
                sender=user,
                profile=profile,
                subject=form.cleaned_data.get("subject", ""),
                body=form.cleaned_data["body"],
                shows_address=form.cleaned_data["shows_address"],
            )
        except services.NetworkError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Your message has been sent. Their answer will come to your messages here."),
            )
            return redirect("network:message_thread", pk=message.pk)
    return render(
        request,
        "network/ask_for_help.html",
        {"form": form, "profile": profile},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("help-messages")
def ask_for_mentoring(request: HttpRequest, pk: int) -> HttpResponse:
    user = _signed_in_user(request)
    profile = _askable_profile(request, pk, "ask_for_mentoring")
    form = MentoringForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mentoring = services.ask_for_mentoring(
                mentee=user,
                profile=profile,
                about=form.cleaned_data["about"],
                shows_address=form.cleaned_data["shows_address"],
            )
        except services.NetworkError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your request has been sent."))
            return redirect("network:mentoring_detail", pk=mentoring.pk)
    return render(
        request,
        "network/ask_for_mentoring.html",
        {"form": form, "profile": profile},
        status=400 if form.errors else 200,
    )


@login_required
def your_messages(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    asked_of_you, asked_by_you = queries.mentoring_of(user)
    return render(
        request,
        "network/message_list.html",
        {
            "threads": queries.threads_of(user),
            "asked_of_you": asked_of_you,
            "asked_by_you": asked_by_you,
            "me": user,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("help-messages")
def message_thread(request: HttpRequest, pk: int) -> HttpResponse:
    user = _signed_in_user(request)
    found = queries.thread_for(pk=pk, viewer=user)
    if found is None:
        raise Http404
    first, thread = found
    may_reply = can(user, "reply", first)
    form = MessageForm(request.POST or None, with_subject=False)
    if request.method == "POST":
        if not may_reply:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.reply_to_message(
                    thread=first,
                    by=user,
                    body=form.cleaned_data["body"],
                    shows_address=form.cleaned_data["shows_address"],
                )
            except services.NetworkError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Your reply has been sent."))
                return redirect("network:message_thread", pk=first.pk)
    else:
        services.mark_read(messages=thread, by=user)
    other = first.recipient if first.sender_id == user.pk else first.sender
    return render(
        request,
        "network/message_thread.html",
        {
            "first": first,
            "thread": thread,
            "me": user,
            "other_name": services.introduction_of(other),
            "may_reply": may_reply,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("message-reports")
def report_message(request: HttpRequest, pk: int) -> HttpResponse:
    user = _signed_in_user(request)
    message = get_object_or_404(Message.objects.select_related("thread"), pk=pk)
    if not can(user, "view", message):
        raise Http404
    if not can(user, "report", message):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_message(message=message, by=user, reason=form.cleaned_data["reason"])
        except services.NetworkError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Thank you. The moderators have been told and will look at it.")
            )
            return redirect("network:message_thread", pk=message.first.pk)
    return render(
        request,
        "network/report_message.html",
        {"form": form, "message": message},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("help-messages")
def mentoring_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _signed_in_user(request)
    mentoring = get_object_or_404(
        MentoringRequest.objects.select_related("mentee__profile", "mentor__profile"), pk=pk
    )
    if not can(user, "view", mentoring):
        raise Http404
    form = MentoringDecisionForm(request.POST or None)
    if request.method == "POST":
        if "withdraw" in request.POST:
            if not can(user, "withdraw", mentoring):
                raise PermissionDenied
            services.withdraw_mentoring(request=mentoring, by=user)
            messages.success(request, _("Your request has been withdrawn."))
            return redirect("network:mentoring_detail", pk=mentoring.pk)
        if not can(user, "decide", mentoring):
            raise PermissionDenied
        if form.is_valid():
            accept = form.cleaned_data["decision"] == "accept"
            services.decide_mentoring(
                request=mentoring,
                by=user,
                accept=accept,
                answer=form.cleaned_data["answer"],
                shows_address=form.cleaned_data["shows_address"],
            )
            messages.success(
                request,
                _("You accepted. They have been told.")
                if accept
                else _("You declined. They have been told."),
            )
            return redirect("network:mentoring_detail", pk=mentoring.pk)
    is_mentor = mentoring.mentor_id == user.pk
    return render(
        request,
        "network/mentoring_detail.html",
        {
            "mentoring": mentoring,
            "form": form,
            "is_mentor": is_mentor,
            "other_name": services.introduction_of(
                mentoring.mentee if is_mentor else mentoring.mentor
            ),
            "may_decide": can(user, "decide", mentoring),
            "may_withdraw": can(user, "withdraw", mentoring),
        },
        status=400 if form.errors else 200,
    )


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "moderate_messages"):
        raise PermissionDenied
    return render(
        request,
        "network/report_list.html",
        {"reports": list(queries.open_reports()), "form": ResolveForm()},
    )


@login_required
@require_http_methods(["POST"])
@rate_limited("message-reports")
def resolve_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = _signed_in_user(request)
    report = get_object_or_404(MessageReport, pk=pk)
    if not can(user, "resolve", report):
        raise PermissionDenied
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_report(report=report, by=user, outcome=form.cleaned_data["outcome"])
        except services.NetworkError as error:
            messages.warning(request, str(error))
        else:
            messages.success(request, _("The report is closed."))
    else:
        messages.warning(request, _("Say what you did about it."))
    return redirect("network:reports")
