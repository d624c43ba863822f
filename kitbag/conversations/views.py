"""Conversation pages: they parse, check permission, call a service or a query, and respond."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kitbag.accounts.permissions import can
from kitbag.consultations.models import Consultation
from kitbag.conversations import queries, services
from kitbag.conversations.forms import ConversationForm, SeedStatementForm
from kitbag.conversations.models import Conversation, Statement, StatementState, Vote
from kitbag.core.rate_limits import consume_for, rate_limited, too_many_requests
from kitbag.registry.models import Organisation

# The participant cookie of someone taking part without signing in: a random id, nothing else.
COOKIE = "kitbag_participant"
COOKIE_AGE = 60 * 60 * 24 * 365
VOTE_WORDS = {"agree": Vote.AGREE, "disagree": Vote.DISAGREE, "pass": Vote.PASS}


def _conversation(slug: str) -> Conversation:
    return get_object_or_404(
        Conversation.objects.select_related("owner", "consultation"), slug=slug
    )


def _consultation_shown(request: HttpRequest, conversation: Conversation) -> Any:
    """The consultation the conversation is part of, if the viewer may see it (a draft's title
    is its organisation's business until it is published)."""
    consultation = conversation.consultation
    if consultation is not None and can(request.user, "view", consultation):
        return consultation
    return None


def _participant(request: HttpRequest, conversation: Conversation) -> Any:
    return queries.participant_for(
        conversation=conversation, user=request.user, anonymous_id=request.COOKIES.get(COOKIE, "")
    )


@require_safe
def conversation_list(request: HttpRequest) -> HttpResponse:
    conversations = Conversation.objects.select_related("owner").order_by("title")
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
        "may_organise": can(request.user, "organise", conversation),
        "consultation": _consultation_shown(request, conversation),
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


PARTICIPANT_LIMIT_WORDS = {
    "conversation-participant-votes": _(
        "You have voted on a great many statements in a short time."
    ),
    "conversation-participant-statements": _(
        "You have added a great many statements to conversations in a short time."
    ),
}


def _participant_limit(request: HttpRequest, scope: str, participant: Any) -> HttpResponse | None:
    """The 429 page once one participant (an anonymous cookie id, or a person) has made more writes
    to `scope` than the rate table allows; the per-address limit is counted by the decorator."""
    retry_after = consume_for(scope=scope, identity=f"participant:{participant.pk}")
    if retry_after is None:
        return None
    return too_many_requests(
        request, retry_after=retry_after, what=str(PARTICIPANT_LIMIT_WORDS[scope])
    )


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
    limited = _participant_limit(request, "conversation-participant-votes", participant)
    if limited is not None:
        return limited
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
    limited = _participant_limit(request, "conversation-participant-statements", participant)
    if limited is not None:
        return limited
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
    services.moderate_statement(
        statement=statement,
        state=StatementState(state),
        by=request.user,  # type: ignore[arg-type]  # signed in: `moderate` allows nobody else
    )
    messages.success(
        request,
        _("Statement %(number)s is now %(state)s.")
        % {"number": statement.number, "state": StatementState(state).label},
    )
    return redirect(reverse("conversations:moderation", kwargs={"slug": conversation.slug}))


# --- Organisers: starting and running a conversation -------------------------------------------


def _settings_error(form: Any, error: services.ConversationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


@login_required
@rate_limited("conversation-organising")
def conversation_create(request: HttpRequest) -> HttpResponse:
    """A new conversation for one of the person's organisations; `?consultation=SLUG` starts it as
    part of that consultation, `?organisation=SLUG` for that organisation."""
    asked_for = Organisation.objects.filter(slug=request.GET.get("organisation", "")).first()
    consultation = Consultation.objects.filter(slug=request.GET.get("consultation", "")).first()
    if consultation is not None and asked_for is None:
        asked_for = consultation.organisation
    organisations = queries.organisations_for_new_conversations(request.user, also=asked_for)
    if not any(can(request.user, "create_conversation", o) for o in organisations):
        return HttpResponseForbidden(
            _("Only verified members of an organisation may start a conversation for it.")
        )
    consultations = queries.consultations_of_organisations(organisations)
    initial: dict[str, Any] = {"moderation": "strict", "participation": "anyone"}
    initial["max_statement_length"] = 140
    if asked_for is not None and asked_for in organisations:
        initial["organisation"] = asked_for.pk
    if consultation is not None and consultation in consultations:
        initial["consultation"] = consultation.pk
    form = ConversationForm(
        request.POST or None,
        initial=initial,
        organisations=organisations,
        consultations=consultations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.create_conversation(
                organisation=form.cleaned_data["organisation"],
                settings=form.conversation_settings(),
                seed_statements=services.seed_lines(form.cleaned_data["seeds"]),
                by=request.user,  # type: ignore[arg-type]
            )
        except services.NotPermitted as error:
            return HttpResponseForbidden(str(error))
        except services.ConversationError as error:
            _settings_error(form, error)
        else:
            messages.success(request, _("The conversation is open. Share its page."))
            return redirect(reverse("conversations:manage", kwargs={"slug": conversation.slug}))
    return render(
        request,
        "conversations/conversation_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _manage_page(
    request: HttpRequest,
    conversation: Conversation,
    *,
    settings_form: ConversationForm | None = None,
    seed_form: SeedStatementForm | None = None,
) -> HttpResponse:
    consultations = queries.consultations_of_organisations(
        Organisation.objects.filter(pk__in=[conversation.owner_id] if conversation.owner_id else [])
    )
    bound = settings_form is not None and settings_form.errors
    bound = bound or (seed_form is not None and seed_form.errors)
    return render(
        request,
        "conversations/conversation_manage.html",
        {
            "conversation": conversation,
            "form": settings_form
            or ConversationForm(
                initial=ConversationForm.initial_for(conversation),
                organisations=None,
                consultations=consultations,
            ),
            "seed_form": seed_form or SeedStatementForm(),
            "statements": conversation.statements.order_by("number"),
        },
        status=400 if bound else 200,
    )


@login_required
@require_safe
def conversation_manage(request: HttpRequest, slug: str) -> HttpResponse:
    conversation = _conversation(slug)
    if not can(request.user, "organise", conversation):
        return HttpResponseForbidden(_("Only the conversation's organisers may run it."))
    return _manage_page(request, conversation)


def _organiser_post(
    request: HttpRequest, slug: str
) -> tuple[Conversation | None, HttpResponse | None]:
    conversation = _conversation(slug)
    if not can(request.user, "organise", conversation):
        return None, HttpResponseForbidden(_("Only the conversation's organisers may run it."))
    return conversation, None


def _to_manage(conversation: Conversation) -> HttpResponse:
    return redirect(reverse("conversations:manage", kwargs={"slug": conversation.slug}))


@login_required
@require_POST
@rate_limited("conversation-organising")
def conversation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    conversation, refused = _organiser_post(request, slug)
    if conversation is None:
        return refused  # type: ignore[return-value]
    form = ConversationForm(
        request.POST,
        organisations=None,
        consultations=queries.consultations_of_organisations(
            Organisation.objects.filter(
                pk__in=[conversation.owner_id] if conversation.owner_id else []
            )
        ),
    )
    if form.is_valid():
        try:
            services.update_conversation(
                conversation=conversation,
                settings=form.conversation_settings(),
                by=request.user,  # type: ignore[arg-type]
            )
        except services.ConversationError as error:
            _settings_error(form, error)
        else:
            messages.success(request, _("The conversation's settings are saved."))
            return _to_manage(conversation)
    conversation.refresh_from_db()
    return _manage_page(request, conversation, settings_form=form)


@login_required
@require_POST
@rate_limited("conversation-organising")
def add_seed_statements(request: HttpRequest, slug: str) -> HttpResponse:
    conversation, refused = _organiser_post(request, slug)
    if conversation is None:
        return refused  # type: ignore[return-value]
    form = SeedStatementForm(request.POST)
    if form.is_valid():
        try:
            added = services.add_seed_statements(
                conversation=conversation,
                texts=services.seed_lines(form.cleaned_data["text"]),
                is_meta=form.cleaned_data["is_meta"],
                by=request.user,  # type: ignore[arg-type]
            )
        except services.ConversationError as error:
            form.add_error("text", str(error))
        else:
            messages.success(
                request,
                _("Added %(n)s statement(s); they are shown at once.") % {"n": len(added)},
            )
            return _to_manage(conversation)
    return _manage_page(request, conversation, seed_form=form)


@login_required
@require_POST
@rate_limited("conversation-organising")
def mark_meta(request: HttpRequest, slug: str) -> HttpResponse:
    conversation, refused = _organiser_post(request, slug)
    if conversation is None:
        return refused  # type: ignore[return-value]
    number = request.POST.get("statement", "")
    statement = get_object_or_404(
        Statement, conversation=conversation, number=int(number) if number.isdigit() else -1
    )
    is_meta = request.POST.get("meta") == "yes"
    services.mark_meta(statement=statement, is_meta=is_meta, by=request.user)  # type: ignore[arg-type]
    if is_meta:
        text = _("Statement %(n)s is now meta: asked first, left out of the opinion groups.")
    else:
        text = _("Statement %(n)s is an opinion again.")
    messages.success(request, text % {"n": statement.number})
    return _to_manage(conversation)


@login_required
@require_POST
@rate_limited("conversation-organising")
def close_or_reopen(request: HttpRequest, slug: str) -> HttpResponse:
    conversation, refused = _organiser_post(request, slug)
    if conversation is None:
        return refused  # type: ignore[return-value]
    by: Any = request.user
    try:
        if request.POST.get("action") == "reopen":
            services.reopen_conversation(conversation=conversation, by=by)
            messages.success(request, _("The conversation is open again."))
        else:
            services.close_conversation(conversation=conversation, by=by)
            messages.success(request, _("The conversation is closed: it takes no more votes."))
    except services.ConversationError as error:
        messages.error(request, str(error))
    return _to_manage(conversation)


def organisation_section(request: HttpRequest | None, organisation: Any) -> dict[str, Any] | None:
    """The conversations section of an organisation's registry page: open and closed."""
    conversations = list(queries.conversations_of(organisation=organisation))
    viewer = request.user if request is not None else None
    may_start = viewer is not None and can(viewer, "create_conversation", organisation)
    if not conversations and not may_start:
        return None
    return {
        "organisation": organisation,
        "open": [c for c in conversations if not c.is_closed],
        "closed": [c for c in conversations if c.is_closed],
        "may_start": may_start,
    }


def consultation_section(request: HttpRequest | None, consultation: Any) -> dict[str, Any] | None:
    """The conversations of a consultation, on its page."""
    conversations = list(queries.conversations_in(consultation=consultation))
    viewer = request.user if request is not None else None
    may_start = viewer is not None and can(viewer, "create_conversation", consultation.organisation)
    if not conversations and not may_start:
        return None
    return {"consultation": consultation, "conversations": conversations, "may_start": may_start}
