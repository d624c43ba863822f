"""Every write to conversations: one transaction each, rules here rather than in views."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kitbag.conversations import opinion
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
from kitbag.search.services import index_document

# Runs are debounced: at most one per conversation in this interval, however fast votes arrive.
ANALYSIS_INTERVAL = timedelta(seconds=30)


class ConversationError(ValueError):
    """A write refused by a rule (too long, hidden statement, bad vote); nothing was changed."""


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
    if statement.state != StatementState.APPROVED and not (
        conversation.moderation == Moderation.PERMISSIVE
        and statement.state == StatementState.PENDING
    ):
        raise ConversationError("That statement is not open for votes.")
    # The latest vote counts, as in Polis.
    vote, _ = Vote.objects.update_or_create(
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
    if not text:
        raise ConversationError("Write a statement.")
    if len(text) > conversation.max_statement_length:
        raise ConversationError(
            f"A statement can be at most {conversation.max_statement_length} characters."
        )
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
def moderate_statement(*, statement: Statement, state: StatementState) -> Statement:
    statement.state = state
    statement.save(update_fields=["state"])
    conversation = statement.conversation
    # A hidden statement's words stop finding the conversation; an approved one's start to.
    reindex(conversation)
    transaction.on_commit(lambda: request_analysis(conversation=conversation))
    return statement


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
    *, conversation: Conversation, parameters: opinion.Parameters | None = None
) -> AnalysisRun:
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
    fingerprint = opinion.fingerprint(
        matrix, moderated_out=moderated_out, meta=meta, parameters=params, state=state
    )
    analysis = opinion.analyse(
        matrix, moderated_out=moderated_out, meta=meta, parameters=params, state=state
    )
    Conversation.objects.filter(pk=conversation.pk).update(analysis_wanted=False)
    return AnalysisRun.objects.create(
        conversation=conversation,
        fingerprint=fingerprint,
        mode=params.mode,
        parameters=params.to_json(),
        code_version=opinion.VERSION,
        silhouettes=analysis.result["silhouettes"],
        k=analysis.result["k"],
        k_reason=analysis.result["k_reason"],
        state=analysis.state,
        result=analysis.result,
        n_votes=n_votes,
        seconds=round(time.perf_counter() - started, 3),
    )


def group_sizes(run: AnalysisRun) -> Sequence[int]:
    return [int(g["size"]) for g in run.result.get("groups", [])]
