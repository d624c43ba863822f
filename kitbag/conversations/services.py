"""Every write to conversations: one transaction each, rules here rather than in views."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kitbag.accounts.audit import log_moderation
from kitbag.accounts.models import ModerationLogEntry, User
from kitbag.accounts.permissions import Actor, require
from kitbag.consultations.models import Consultation
from kitbag.conversations import opinion
from kitbag.conversations.happenings import announce_conversation
from kitbag.conversations.models import (
    AnalysisRun,
    Conversation,
    Moderation,
    Participant,
    Statement,
    StatementState,
    Vote,
)
from kitbag.conversations.search_documents import DOC_TYPE, document_for
from kitbag.core.background import background_task, run_in_background

# Callers catch this as services.NotPermitted: what each service raises is named on it.
from kitbag.core.refusals import NotPermitted as NotPermitted
from kitbag.core.refusals import RuleRefused
from kitbag.core.text_limits import text_problem
from kitbag.registry.models import Organisation
from kitbag.search.services import index_document

# Runs are debounced: at most one per conversation in this interval, however fast votes arrive.
ANALYSIS_INTERVAL = timedelta(seconds=30)


# The bounds an organiser may set on a statement's length; Polis's own is 140.
MIN_STATEMENT_LENGTH, MAX_STATEMENT_LENGTH = 20, 1000
CONVERSATION_OBJECT_TYPE = "conversation"


class ConversationError(RuleRefused):
    """A write refused by a rule (too long, hidden statement, bad vote); nothing was changed.
    `field` names the form field it is about, if any."""


def _require(user: Any, action: str, obj: object) -> None:
    require(user, action, obj, message=_("Only the conversation's organisers may do this."))


def _statement_problem(text: str, *, max_length: int) -> str | None:
    """Why a statement cannot be stored, in words, or None."""
    if not text:
        return _("Write a statement.")
    if len(text) > max_length:
        return _("A statement can be at most %(n)s characters (this one is %(length)s).") % {
            "n": max_length,
            "length": len(text),
        }
    problem = text_problem(text, max_length=None, single_line=True)
    return problem.sentence(_("A statement")) if problem is not None else None


def _next_number(highest: int | None) -> int:
    return 0 if highest is None else highest + 1


@transaction.atomic
def cast_vote(
    *, conversation: Conversation, participant: Participant, statement: Statement, value: int
) -> Vote:
    if value not in (Vote.AGREE, Vote.DISAGREE, Vote.PASS):
        raise ConversationError("A vote is agree (1), disagree (-1) or pass (0).")
    if (
        statement.conversation_id != conversation.pk
        or participant.conversation_id != conversation.pk
    ):
        raise ConversationError("That statement is not in this conversation.")
    if conversation.is_closed:
        raise ConversationError(_("This conversation is closed: it takes no more votes."))
    if statement.state != StatementState.APPROVED and not (
        conversation.moderation == Moderation.PERMISSIVE
        and statement.state == StatementState.PENDING
    ):
        raise ConversationError("That statement is not open for votes.")
    # The latest vote counts, as in Polis.
    vote, _created = Vote.objects.update_or_create(
        participant=participant,
        statement=statement,
        defaults={"conversation": conversation, "value": value, "cast_at": timezone.now()},
    )
    transaction.on_commit(lambda: request_analysis(conversation=conversation))
    return vote


@transaction.atomic
def join(*, conversation: Conversation, user: Any = None, anonymous_id: str = "") -> Participant:
    """The participant for a signed-in user or an anonymous cookie id, created on first use."""
    if user is not None and user.is_authenticated:
        found = Participant.objects.filter(conversation=conversation, user=user).first()
    elif conversation.allow_anonymous and anonymous_id:
        found = Participant.objects.filter(
            conversation=conversation, anonymous_id=anonymous_id, user__isnull=True
        ).first()
    else:
        raise ConversationError("Sign in to take part in this conversation.")
    if found:
        return found
    Conversation.objects.select_for_update().get(pk=conversation.pk)
    number = _next_number(conversation.participants.aggregate(m=Max("number"))["m"])
    return Participant.objects.create(
        conversation=conversation,
        number=number,
        user=user if user is not None and user.is_authenticated else None,
        anonymous_id="" if user is not None and user.is_authenticated else anonymous_id,
    )


@transaction.atomic
def add_statement(
    *,
    conversation: Conversation,
    text: str,
    author: Participant | None = None,
    is_seed: bool = False,
    is_meta: bool = False,
) -> Statement:
    text = text.strip()
    problem = _statement_problem(text, max_length=conversation.max_statement_length)
    if problem is not None:
        raise ConversationError(problem, field="text")
    if conversation.is_closed:
        raise ConversationError(_("This conversation is closed."))
    Conversation.objects.select_for_update().get(pk=conversation.pk)
    number = _next_number(conversation.statements.aggregate(m=Max("number"))["m"])
    # Organisers' seed statements are shown at once; participants' follow the moderation policy.
    shown = is_seed or conversation.moderation == Moderation.PERMISSIVE
    statement = Statement.objects.create(
        conversation=conversation,
        number=number,
        text=text,
        author=author,
        is_seed=is_seed,
        is_meta=is_meta,
        state=StatementState.APPROVED if shown else StatementState.PENDING,
        created_at=timezone.now(),
    )
    if shown:
        # Anyone can see it now, so its words find the conversation (search_documents.py).
        reindex(conversation)
    return statement


@transaction.atomic
def moderate_statement(
    *, statement: Statement, state: StatementState, by: User | None = None
) -> Statement:
    """Show, hide or return a statement to the queue. `by` None is a command or a test, unchecked;
    a person must be allowed to moderate, and the step goes to the public moderation log."""
    conversation = statement.conversation
    if by is not None:
        _require(by, "moderate", conversation)
    statement.state = state
    statement.save(update_fields=["state"])
    if by is not None:
        _log(by, conversation, f"statement-{state}", reason=f"statement {statement.number}")
    # A hidden statement's words stop finding the conversation; an approved one's start to.
    reindex(conversation)
    transaction.on_commit(lambda: request_analysis(conversation=conversation))
    return statement


# --- Organisers: creating and running a conversation ------------------------------------------


@dataclass(frozen=True)
class ConversationSettings:
    """What organisers decide about a conversation."""

    title: str
    question: str = ""
    moderation: str = Moderation.STRICT
    allow_anonymous: bool = True
    max_statement_length: int = 140
    consultation: Consultation | None = None


def _check_settings(settings: ConversationSettings, *, owner: Organisation | None) -> None:
    if not settings.title.strip():
        raise ConversationError(_("Enter a title."), field="title")
    if settings.moderation not in Moderation.values:
        raise ConversationError(_("Choose how statements are moderated."), field="moderation")
    if not MIN_STATEMENT_LENGTH <= settings.max_statement_length <= MAX_STATEMENT_LENGTH:
        raise ConversationError(
            _("The maximum length must be between %(low)s and %(high)s characters.")
            % {"low": MIN_STATEMENT_LENGTH, "high": MAX_STATEMENT_LENGTH},
            field="max_statement_length",
        )
    consultation = settings.consultation
    if consultation is not None and (owner is None or consultation.organisation_id != owner.pk):
        raise ConversationError(
            _("Choose one of the organisation's own consultations."), field="consultation"
        )


def _apply(conversation: Conversation, settings: ConversationSettings) -> None:
    conversation.title = settings.title.strip()
    conversation.question = settings.question.strip()
    conversation.moderation = settings.moderation
    conversation.allow_anonymous = settings.allow_anonymous
    conversation.max_statement_length = settings.max_statement_length
    conversation.consultation = settings.consultation


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "conversation"
    slug, n = base, 1
    # "new" is the address of the form that starts a conversation (urls.py).
    while slug == "new" or Conversation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def seed_lines(text: str) -> list[str]:
    """Seed statements typed one a line: each line stripped, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _check_seeds(texts: Sequence[str], *, max_length: int, field: str) -> None:
    for line, text in enumerate(texts, start=1):
        problem = _statement_problem(text.strip(), max_length=max_length)
        if problem is not None:
            where = _("Statement %(n)s: ") % {"n": line} if len(texts) > 1 else ""
            raise ConversationError(where + problem, field=field)


def _actor_label(by: User, conversation: Conversation) -> str:
    actor = Actor.of(by)
    if conversation.owner_id is not None and actor.role_in(conversation.owner_id):
        return _("an organiser")
    return _("a moderator") if actor.is_moderator else _("Kitbag staff")


def _log(by: User, conversation: Conversation, action: str, *, reason: str = "") -> None:
    # The log is public: it names the conversation and what changed, never a participant.
    log_moderation(
        actor=by,
        actor_label=_actor_label(by, conversation),
        action=action,
        object_type=CONVERSATION_OBJECT_TYPE,
        object_id=conversation.pk,
        object_label=conversation.title[:255],
        reason=reason,
        visibility=ModerationLogEntry.Visibility.PUBLIC,
    )


@transaction.atomic
def create_conversation(
    *,
    organisation: Organisation,
    settings: ConversationSettings,
    seed_statements: Sequence[str] = (),
    by: User,
) -> Conversation:
    """A new conversation owned by `organisation`, open at once, with its seed statements."""
    _require(by, "create_conversation", organisation)
    _check_settings(settings, owner=organisation)
    _check_seeds(seed_statements, max_length=settings.max_statement_length, field="seeds")
    conversation = Conversation(owner=organisation, created_by=by)
    _apply(conversation, settings)
    conversation.slug = _unique_slug(settings.title)
    conversation.save()
    for text in seed_statements:
        add_statement(conversation=conversation, text=text, is_seed=True)
    reindex(conversation)
    _log(by, conversation, "conversation-created")
    announce_conversation(conversation)
    return conversation


@transaction.atomic
def update_conversation(
    *, conversation: Conversation, settings: ConversationSettings, by: User
) -> Conversation:
    """New settings; statements already written keep their length and state."""
    _require(by, "organise", conversation)
    _check_settings(settings, owner=conversation.owner)
    _apply(conversation, settings)
    conversation.save()
    reindex(conversation)
    _log(by, conversation, "conversation-changed")
    return conversation


@transaction.atomic
def add_seed_statements(
    *, conversation: Conversation, texts: Sequence[str], by: User, is_meta: bool = False
) -> list[Statement]:
    """Organisers' statements, shown at once; all or none of them are added."""
    _require(by, "organise", conversation)
    if not texts:
        raise ConversationError(_("Write a statement."), field="text")
    _check_seeds(texts, max_length=conversation.max_statement_length, field="text")
    if conversation.is_closed:
        raise ConversationError(_("Reopen the conversation to add statements."), field="text")
    added = [
        add_statement(conversation=conversation, text=text, is_seed=True, is_meta=is_meta)
        for text in texts
    ]
    _log(
        by,
        conversation,
        "seed-statements-added",
        reason=", ".join(f"statement {s.number}" for s in added),
    )
    return added


@transaction.atomic
def mark_meta(*, statement: Statement, is_meta: bool, by: User) -> Statement:
    """Meta statements are about the participant ("I am under 25"): asked first, and left out of
    the opinion groups (opinion.py zeroes them), so the next analysis is asked for."""
    conversation = statement.conversation
    _require(by, "organise", conversation)
    statement.is_meta = is_meta
    statement.save(update_fields=["is_meta"])
    _log(
        by,
        conversation,
        "statement-marked-meta" if is_meta else "statement-unmarked-meta",
        reason=f"statement {statement.number}",
    )
    transaction.on_commit(lambda: request_analysis(conversation=conversation))
    return statement


@transaction.atomic
def close_conversation(*, conversation: Conversation, by: User) -> Conversation:
    """No more statements or votes; what was said stays, with its groups."""
    _require(by, "organise", conversation)
    if conversation.is_closed:
        raise ConversationError(_("This conversation is already closed."))
    conversation.closed_at = timezone.now()
    conversation.save(update_fields=["closed_at"])
    _log(by, conversation, "conversation-closed")
    return conversation


@transaction.atomic
def reopen_conversation(*, conversation: Conversation, by: User) -> Conversation:
    _require(by, "organise", conversation)
    if not conversation.is_closed:
        raise ConversationError(_("This conversation is open."))
    conversation.closed_at = None
    conversation.save(update_fields=["closed_at"])
    _log(by, conversation, "conversation-reopened")
    return conversation


def reindex(conversation: Conversation) -> None:
    """The conversation's search document, with the statements anyone may see."""
    document = document_for(conversation)
    index_document(
        doc_type=DOC_TYPE,
        object_id=str(conversation.pk),
        title=document.title,
        body=document.body,
        extra=document.extra,
        facets=document.facets,
        sort_date=document.sort_date,
        is_public=document.is_public,
        url=document.url,
    )


def request_analysis(*, conversation: Conversation) -> None:
    """Ask for a run; debounced, and at most one at a time per conversation."""
    Conversation.objects.filter(pk=conversation.pk).update(analysis_wanted=True)
    last = AnalysisRun.objects.filter(conversation=conversation).only("created_at").first()
    if last and timezone.now() - last.created_at < ANALYSIS_INTERVAL:
        # The next request after the interval (or the next page view) picks it up.
        return
    run_in_background(analyse_conversation_task, conversation_id=conversation.pk)


@background_task
def analyse_conversation_task(*, conversation_id: int) -> int | None:
    with transaction.atomic():
        # One at a time: a second worker finds the row locked and leaves it to the first.
        locked = (
            Conversation.objects.select_for_update(skip_locked=True)
            .filter(pk=conversation_id, analysis_wanted=True)
            .first()
        )
        if locked is None:
            return None
        run = run_analysis(conversation=locked)
        return run.pk


def vote_arrays(conversation: Conversation) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The conversation's votes as arrays, in the order cast (not model instances)."""
    rows = list(
        Vote.objects.filter(conversation=conversation)
        .order_by("cast_at", "id")
        .values_list("participant__number", "statement__number", "value")
    )
    data = np.array(rows, dtype=np.int64).reshape(-1, 3)
    return data[:, 0], data[:, 1], data[:, 2].astype(np.float64), len(rows)


@transaction.atomic
def run_analysis(
    *,
    conversation: Conversation,
    parameters: opinion.Parameters | None = None,
    history: opinion.VoteHistory | None = None,
) -> AnalysisRun:
    """Analyse the conversation's votes now, warm-started from its last run.

    With ``history`` (every vote as cast, as an import has it) a Polis-mode run first replays the
    conversation's runs (`opinion.replay`), so that its k is the one the history leads to, as
    Polis's was, rather than what a single run on the final votes would choose."""
    started = time.perf_counter()
    statements = list(conversation.statements.values_list("number", "state", "is_meta"))
    ids = [n for n, _, _ in statements]
    moderated_out = [n for n, state, _ in statements if state == StatementState.HIDDEN]
    meta = [n for n, _, is_meta in statements if is_meta]
    participants, statement_numbers, values, n_votes = vote_arrays(conversation)
    matrix = opinion.vote_matrix(
        participants=participants, statements=statement_numbers, votes=values, statement_ids=ids
    )
    params = parameters or opinion.Parameters(mode=conversation.analysis_mode)  # type: ignore[arg-type]
    # Only the state: the stored result of a large conversation is megabytes of JSON.
    previous = (
        AnalysisRun.objects.filter(conversation=conversation, mode=params.mode)
        .only("state")
        .first()
    )
    state = previous.state if previous and params.mode == "polis" else None
    replayed: opinion.Replay | None = None
    if history is not None and params.mode == "polis":
        replayed = opinion.replay(
            history, statement_ids=ids, moderated_out=moderated_out, meta=meta, parameters=params
        )
        state = replayed.state
    fingerprint = opinion.fingerprint(
        matrix, moderated_out=moderated_out, meta=meta, parameters=params, state=state
    )
    analysis = opinion.analyse(
        matrix, moderated_out=moderated_out, meta=meta, parameters=params, state=state
    )
    Conversation.objects.filter(pk=conversation.pk).update(analysis_wanted=False)
    k_reason = analysis.result["k_reason"]
    stored_parameters = params.to_json()
    if replayed and replayed.runs:
        k_reason += f" (after replaying {replayed.runs} earlier runs of the vote history)"
        stored_parameters |= {
            "replayed_runs": replayed.runs,
            "replay_interval_ms": replayed.interval_ms,
        }
    return AnalysisRun.objects.create(
        conversation=conversation,
        fingerprint=fingerprint,
        mode=params.mode,
        parameters=stored_parameters,
        code_version=opinion.VERSION,
        silhouettes=analysis.result["silhouettes"],
        k=analysis.result["k"],
        k_reason=k_reason,
        state=analysis.state,
        result=analysis.result,
        n_votes=n_votes,
        seconds=round(time.perf_counter() - started, 3),
    )


def group_sizes(run: AnalysisRun) -> Sequence[int]:
    return [int(g["size"]) for g in run.result.get("groups", [])]
