"""Conversation pages: they parse, check permission, call a service or a query, and respond."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kitbag.accounts.permissions import can
from kitbag.conversations import queries, services
from kitbag.conversations.models import Conversation, Statement, StatementState, Vote
from kitbag.core.rate_limits import rate_limited

# The participant cookie of someone taking part without signing in: a random id, nothing else.
COOKIE = "kitbag_participant"
COOKIE_AGE = 60 * 60 * 24 * 365
VOTE_WORDS = {"agree": Vote.AGREE, "disagree": Vote.DISAGREE, "pass": Vote.PASS}


def _conversation(slug: str) -> Conversation:
    return get_object_or_404(Conversation.objects.select_related("owner"), slug=slug)


def _participant(request: HttpRequest, conversation: Conversation) -> Any:
    return queries.participant_for(
        conversation=conversation, user=request.user, anonymous_id=request.COOKIES.get(COOKIE, "")
    )


@require_safe
def conversation_list(request: HttpRequest) -> HttpResponse:
    conversations = Conversation.objects.order_by("title")
    return render(request, "conversations/conversation_list.html", {"conversations": conversations})


@require_safe
def conversation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = _conversation(slug)
    participant = _participant(request, conversation)
    run = queries.latest_run(conversation)
    statements = {s.number: s for s in queries.visible_statements(conversation)}
    context: dict[str, Any] = {
        "conversation": conversation,
        "participant": participant,
        "may_take_part": can(request.user, "take_part", conversation),
        "may_moderate": can(request.user, "moderate", conversation),
        "next": queries.next_statement(conversation=conversation, participant=participant, run=run),
        "run": run,
        "you": queries.where_you_stand(run, participant),
        "statement_count": len(statements),
    }
    if run is not None:
        context["map"] = queries.opinion_map(run, you=participant.number if participant else None)
        context["groups"] = queries.groups_with_statements(run, statements)
        context["consensus"] = queries.consensus_statements(run, statements)
    return render(request, "conversations/conversation_detail.html", context)


@require_safe
def conversation_report(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = _conversation(slug)
    run = queries.latest_run(conversation)
    statements = list(queries.statements_with_counts(conversation))
    groups = queries.groups_with_statements(run, {}) if run else []
    return render(
        request,
        "conversations/conversation_report.html",
        {
            "conversation": conversation,
            "run": run,
            "groups": groups,
            "rows": queries.report_rows(run, statements),
        },
    )


def _join(request: HttpRequest, conversation: Conversation) -> tuple[Any, str | None]:
    """The participant, created on first use; and a new cookie value to set, if any."""
    anonymous_id = request.COOKIES.get(COOKIE, "")
    new_cookie = None
    if not request.user.is_authenticated and not anonymous_id:
        anonymous_id = new_cookie = secrets.token_urlsafe(24)
    participant = services.join(
        conversation=conversation, user=request.user, anonymous_id=anonymous_id
    )
    return participant, new_cookie


def _back(conversation: Conversation, cookie: str | None) -> HttpResponse:
    response = redirect(reverse("conversations:detail", kwargs={"slug": conversation.slug}))
    if cookie:
        response.set_cookie(
            COOKIE, cookie, max_age=COOKIE_AGE, httponly=True, samesite="Lax", secure=False
        )
    return response


@require_POST
@rate_limited("conversation-votes")
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = _conversation(slug)
    if not can(request.user, "take_part", conversation):
        return redirect(f"{reverse('account_login')}?next={request.path}")
    value = VOTE_WORDS.get(request.POST.get("vote", ""))
    try:
        number = int(request.POST.get("statement", ""))
    except ValueError:
        raise Http404 from None
    statement = get_object_or_404(Statement, conversation=conversation, number=number)
    if value is None or not can(request.user, "view", statement):
        raise Http404
    participant, cookie = _join(request, conversation)
    try:
        services.cast_vote(
            conversation=conversation, participant=participant, statement=statement, value=value
        )
    except services.ConversationError as error:
        messages.error(request, str(error))
    return _back(conversation, cookie)


@require_POST
@rate_limited("conversation-statements")
def add_statement(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = _conversation(slug)
    if not can(request.user, "take_part", conversation):
        return redirect(f"{reverse('account_login')}?next={request.path}")
    participant, cookie = _join(request, conversation)
    try:
        statement = services.add_statement(
            conversation=conversation, text=request.POST.get("text", ""), author=participant
        )
    except services.ConversationError as error:
        messages.error(request, str(error))
    else:
        if statement.state == StatementState.PENDING:
            messages.success(
                request, _("Thank you. Your statement will be shown once a moderator approves it.")
            )
        else:
            messages.success(request, _("Thank you. Your statement is now shown to others."))
    return _back(conversation, cookie)


def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = _conversation(slug)
    if not can(request.user, "moderate", conversation):
        return HttpResponseForbidden(_("Only the conversation's organisers may moderate it."))
    if request.method == "POST":
        return _moderate(request, conversation)
    statements = conversation.statements.exclude(state=StatementState.APPROVED).order_by("number")
    return render(
        request,
        "conversations/conversation_moderation.html",
        {"conversation": conversation, "statements": statements},
    )


@rate_limited("conversation-moderation")
def _moderate(request: HttpRequest, conversation: Conversation) -> HttpResponse:
    statement = get_object_or_404(
        Statement, conversation=conversation, number=request.POST.get("statement", -1)
    )
    state = request.POST.get("state", "")
    if state not in StatementState.values:
        raise Http404
    services.moderate_statement(statement=statement, state=StatementState(state))
    messages.success(
        request,
        _("Statement %(number)s is now %(state)s.")
        % {"number": statement.number, "state": StatementState(state).label},
    )
    return redirect(reverse("conversations:moderation", kwargs={"slug": conversation.slug}))
