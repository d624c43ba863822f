"""Reads shared by the conversation pages and the API."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kitbag.accounts.permissions import Actor, can
from kitbag.consultations.models import Consultation
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
from kitbag.core.parts import Figure
from kitbag.registry.models import Organisation

# A statement newer than the latest analysis has no votes yet: Polis's formula with A = D = S = 0
# and extremity 0 gives it this priority until the next run.
NEW_STATEMENT_PRIORITY = float(opinion.priority(*(np.zeros(1) for _ in range(4)))[0])


def visible_statements(conversation: Conversation) -> QuerySet[Statement]:
    """Statements anyone may see and vote on: approved, or pending where moderation is permissive."""
    shown = Q(state=StatementState.APPROVED)
    if conversation.moderation == Moderation.PERMISSIVE:
        shown |= Q(state=StatementState.PENDING)
    return conversation.statements.filter(shown)


def latest_run(conversation: Conversation) -> AnalysisRun | None:
    return AnalysisRun.objects.filter(conversation=conversation).first()


def next_statement(
    *,
    conversation: Conversation,
    participant: Participant | None,
    run: AnalysisRun | None,
    rng: random.Random | None = None,
) -> Statement | None:
    """Polis's routing (§4.9): meta statements first, then a draw weighted by priority."""
    candidates = list(visible_statements(conversation))
    if participant is not None:
        voted = set(participant.votes.values_list("statement_id", flat=True))
        candidates = [s for s in candidates if s.pk not in voted]
    if not candidates:
        return None
    meta = [s for s in candidates if s.is_meta]
    if meta:
        return meta[0]
    priorities: dict[str, float] = run.result.get("priority", {}) if run else {}
    weights = [max(priorities.get(str(s.number), NEW_STATEMENT_PRIORITY), 0.0) for s in candidates]
    if not any(weights):
        weights = [1.0] * len(candidates)
    return (rng or random.SystemRandom()).choices(candidates, weights=weights, k=1)[0]


def participant_for(
    *, conversation: Conversation, user: Any, anonymous_id: str
) -> Participant | None:
    if user is not None and user.is_authenticated:
        return Participant.objects.filter(conversation=conversation, user=user).first()
    if anonymous_id:
        return Participant.objects.filter(
            conversation=conversation, anonymous_id=anonymous_id, user__isnull=True
        ).first()
    return None


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    group: int | None
    is_you: bool


@dataclass(frozen=True)
class OpinionMap:
    width: int
    height: int
    points: list[MapPoint]
    centres: list[tuple[int, float, float, int]]  # group, x, y, size


def opinion_map(
    run: AnalysisRun, *, you: int | None, width: int = 480, height: int = 320
) -> OpinionMap:
    """Participants' projections scaled into an SVG view box, coloured by group."""
    result = run.result
    points = result.get("projection", [])
    pids = result.get("participants", [])
    group_of = opinion.participant_groups(result)
    if not points:
        return OpinionMap(width, height, [], [])
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    pad = 16
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def sx(x: float) -> float:
        return round(pad + (x - min(xs)) / span_x * (width - 2 * pad), 1)

    def sy(y: float) -> float:
        return round(pad + (y - min(ys)) / span_y * (height - 2 * pad), 1)

    out = [
        MapPoint(sx(x), sy(y), group_of.get(int(pid)), int(pid) == you)
        for pid, (x, y) in zip(pids, points, strict=True)
    ]
    centres = []
    for g in result.get("groups", []):
        members = [p for p in out if p.group == g["id"]]
        if members:
            cx = sum(p.x for p in members) / len(members)
            cy = sum(p.y for p in members) / len(members)
            centres.append((int(g["id"]), round(cx, 1), round(cy, 1), int(g["size"])))
    return OpinionMap(width, height, out, centres)


def group_letter(group_id: int) -> str:
    return chr(ord("A") + group_id)


def groups_with_statements(
    run: AnalysisRun, statements: dict[int, Statement]
) -> list[dict[str, Any]]:
    """Each group: its size, share of those grouped, representative statements with shares."""
    groups = run.result.get("groups", [])
    total = sum(int(g["size"]) for g in groups) or 1
    out = []
    for g in groups:
        reps = []
        for r in g["representative"]:
            statement = statements.get(int(r["statement"]))
            if statement is None:
                continue
            seen = max(r["ns"], 1)
            reps.append(
                {
                    "statement": statement,
                    "repful": r["repful"],
                    "agree_share": round(100 * r["na"] / seen),
                    "disagree_share": round(100 * r["nd"] / seen),
                    "seen": int(r["ns"]),
                }
            )
        out.append(
            {
                "id": g["id"],
                "letter": group_letter(int(g["id"])),
                "size": g["size"],
                "share": round(100 * int(g["size"]) / total),
                "representative": reps,
            }
        )
    return out


def consensus_statements(
    run: AnalysisRun, statements: dict[int, Statement]
) -> dict[str, list[dict[str, Any]]]:
    consensus = run.result.get("consensus", {})
    out: dict[str, list[dict[str, Any]]] = {}
    for side in ("agree", "disagree"):
        out[side] = [
            {"statement": statements[int(c["statement"])], "share": round(100 * c["p"])}
            for c in consensus.get(side, [])
            if int(c["statement"]) in statements
        ]
    gac = run.result.get("group_informed_consensus", {})
    ranked = sorted(
        (s for s in statements.values() if str(s.number) in gac and not s.is_meta),
        key=lambda s: gac[str(s.number)],
        reverse=True,
    )
    out["group_informed"] = [
        {"statement": s, "score": round(gac[str(s.number)], 3)} for s in ranked[:5]
    ]
    return out


def statements_with_counts(conversation: Conversation) -> QuerySet[Statement]:
    """Visible statements with everyone's agree / disagree / pass counts (latest votes)."""
    return visible_statements(conversation).annotate(
        agree_count=Count("votes", filter=Q(votes__value=1)),
        disagree_count=Count("votes", filter=Q(votes__value=-1)),
        pass_count=Count("votes", filter=Q(votes__value=0)),
    )


def report_rows(run: AnalysisRun | None, statements: list[Statement]) -> list[dict[str, Any]]:
    """Every statement's counts overall (from `statements_with_counts`) and by group (from the run,
    over the participants it grouped)."""
    groups = run.result.get("groups", []) if run else []
    rows = []
    for s in statements:
        by_group = []
        for g in groups:
            a, d, seen = g["votes"].get(str(s.number), [0, 0, 0])
            by_group.append(
                {
                    "letter": group_letter(int(g["id"])),
                    "agree": a,
                    "disagree": d,
                    "pass": seen - a - d,
                }
            )
        rows.append({"statement": s, "by_group": by_group})
    return rows


def where_you_stand(
    run: AnalysisRun | None, participant: Participant | None
) -> dict[str, Any] | None:
    if run is None or participant is None:
        return None
    group = opinion.participant_groups(run.result).get(participant.number)
    if group is None:
        return {"group": None, "votes": participant.votes.count()}
    return {"group": group_letter(group), "votes": participant.votes.count()}


def conversation_figures() -> list[Figure]:
    return [
        Figure(label=_("Conversations"), value=Conversation.objects.count()),
        Figure(label=_("Votes"), value=Vote.objects.count()),
    ]


# --- Lists: an organisation's and a consultation's conversations, organisers' choices ----------


def _listed(conversations: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """Open before closed, newest first, each with how many people took part (one query)."""
    return conversations.annotate(participant_count=Count("participants", distinct=True)).order_by(
        F("closed_at").asc(nulls_first=True), "-created_at", "-pk"
    )


def conversations_of(*, organisation: Organisation) -> QuerySet[Conversation]:
    """Every conversation the organisation owns, open and closed (every conversation is public)."""
    return _listed(Conversation.objects.filter(owner=organisation))


def conversations_in(*, consultation: Consultation) -> QuerySet[Conversation]:
    return _listed(Conversation.objects.filter(consultation=consultation))


def organisations_for_new_conversations(
    user: Any, *, also: Organisation | None = None
) -> QuerySet[Organisation]:
    """The organisations a person may start a conversation for: those they are a member of, and
    `also` (one asked for by name) when the rules let them, as they let staff for any."""
    actor = Actor.of(user)
    ids = set(actor.load_roles())
    if also is not None and can(user, "create_conversation", also):
        ids.add(also.pk)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def consultations_of_organisations(
    organisations: QuerySet[Organisation],
) -> QuerySet[Consultation]:
    """The consultations a conversation of these organisations may be part of (drafts too: their
    members see them; the conversation links to one only for those who may see it)."""
    return (
        Consultation.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("organisation__name", "title")
    )
