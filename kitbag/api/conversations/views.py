"""Conversations in the API: conversations, their statements, votes (signed in) and the latest
analysis with its parameters. Statements go through `visible_statements`, the same rule as the
pages: a pending or hidden statement is never listed and cannot be voted on."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kitbag.accounts.permissions import can
from kitbag.api.base import ApiView, PublicReadOnly
from kitbag.api.conversations.serializers import (
    AnalysisSerializer,
    ConversationSerializer,
    StatementSerializer,
    VoteResultSerializer,
    VoteSerializer,
)
from kitbag.api.responses import (
    BAD_FIELDS,
    BAD_PAGE_SIZE,
    FORBIDDEN,
    NOT_A_PAGE,
    UNAUTHENTICATED,
)
from kitbag.conversations import queries, services
from kitbag.conversations.models import Conversation, Statement

VOTES = {"agree": 1, "disagree": -1, "pass": 0}


def _conversation(slug: str) -> Conversation:
    conversation = (
        Conversation.objects.select_related("owner", "consultation").filter(slug=slug).first()
    )
    if conversation is None:
        raise Http404
    return conversation


class ConversationList(PublicReadOnly, generics.ListAPIView[Conversation]):
    """Every conversation."""

    serializer_class = ConversationSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return Conversation.objects.select_related("owner", "consultation").order_by("slug")

    @extend_schema(
        operation_id="conversations_list",
        summary="List conversations",
        responses={200: ConversationSerializer(many=True), 400: BAD_PAGE_SIZE, 404: NOT_A_PAGE},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ConversationDetail(PublicReadOnly):
    """One conversation."""

    @extend_schema(
        operation_id="conversations_retrieve",
        summary="One conversation",
        responses={200: ConversationSerializer, 404: NOT_A_PAGE},
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(ConversationSerializer(_conversation(slug)).data)


class StatementList(PublicReadOnly, generics.ListAPIView[Statement]):
    """A conversation's shown statements with everyone's agree, disagree and pass counts."""

    serializer_class = StatementSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return queries.statements_with_counts(_conversation(self.kwargs["slug"])).order_by("number")

    @extend_schema(
        operation_id="conversations_statements_list",
        summary="List statements",
        responses={200: StatementSerializer(many=True), 400: BAD_PAGE_SIZE, 404: NOT_A_PAGE},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class VoteCreate(ApiView):
    """Vote on a statement as the signed-in person; a later vote replaces an earlier one."""

    write_scope = "conversation-votes"

    @extend_schema(
        operation_id="conversations_votes_create",
        summary="Vote on a statement",
        request=VoteSerializer,
        responses={
            200: VoteResultSerializer,
            400: BAD_FIELDS,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_A_PAGE,
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        conversation = _conversation(slug)
        person = self.person()
        if not can(person, "take_part", conversation):
            raise PermissionDenied
        data = VoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        statement = (
            queries.visible_statements(conversation)
            .filter(number=data.validated_data["statement"])
            .first()
        )
        if statement is None:
            raise ValidationError({"statement": ["No statement with this id is open for votes."]})
        participant = services.join(conversation=conversation, user=person)
        services.cast_vote(
            conversation=conversation,
            participant=participant,
            statement=statement,
            value=VOTES[data.validated_data["vote"]],
        )
        return Response({"statement": statement.number, "vote": data.validated_data["vote"]})


class LatestAnalysis(PublicReadOnly):
    """The latest analysis: parameters, fingerprint, per-k silhouettes, the chosen k and why,
    groups with representative statements, consensus, group-informed consensus and priorities."""

    @extend_schema(
        operation_id="conversations_analysis_retrieve",
        summary="The latest analysis",
        responses={200: AnalysisSerializer, 404: NOT_A_PAGE},
    )
    def get(self, request: Request, slug: str) -> Response:
        run = queries.latest_run(_conversation(slug))
        if run is None:
            raise Http404
        return Response(AnalysisSerializer(run).data)
