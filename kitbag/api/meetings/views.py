"""Meetings in the API: every council's meetings calendar, by council and date; and meeting
openness: the law, every council's position (the national table), one council's policies with
their history, and accepted reports.

Like every public read here, these are anonymous (PublicReadOnly): a report that is not accepted
is never listed, whatever credentials a request carries (kitbag/meetings/permissions.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kitbag.api.base import PublicReadOnly
from kitbag.api.meetings.serializers import (
    CouncilOpennessSerializer,
    CouncilPoliciesSerializer,
    LegalRuleSerializer,
    MeetingSerializer,
    MeetingsQuerySerializer,
    OpennessQuerySerializer,
    OpennessReportSerializer,
)
from kitbag.api.responses import BAD_PARAMETERS, NOT_A_PAGE, json_response
from kitbag.meetings.calendar import queries
from kitbag.meetings.models import Activity, LegalRule, Meeting, OpennessReport, PolicyStatus
from kitbag.meetings.openness import queries as openness_queries
from kitbag.registry.models import Nation

COUNCIL_CODE = OpenApiParameter(
    "organisation",
    OpenApiTypes.STR,
    description="A council's local authority code (mySociety), e.g. MAN.",
)

# --- The meetings calendar ------------------------------------------------------------------


class MeetingList(PublicReadOnly, generics.ListAPIView[Meeting]):
    """Meetings of councils and their committees, in order of start, from the councils' systems."""

    serializer_class = MeetingSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Meeting]:
        query = MeetingsQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        code = query.validated_data.get("organisation")
        council = queries.council_by_code(code) if code else None
        if code and council is None:
            raise ValidationError({"organisation": ["No council has this local authority code."]})
        self.council = council
        return queries.meetings_between(
            council=council,
            date_from=query.validated_data.get("date_from"),
            date_to=query.validated_data.get("date_to"),
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["council"] = getattr(self, "council", None)
        return context

    @extend_schema(
        operation_id="meetings_list",
        summary="List council meetings",
        parameters=[
            COUNCIL_CODE,
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="Meetings on or after this date."
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="Meetings on or before this date."
            ),
        ],
        responses={
            200: OpenApiResponse(
                MeetingSerializer(many=True), description="One page of meetings, by start."
            ),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# --- Meeting openness -----------------------------------------------------------------------

NATION = OpenApiParameter(
    "nation",
    OpenApiTypes.STR,
    enum=["", *Nation.values],
    description="The council's nation; empty for any.",
)
ACTIVITY = OpenApiParameter(
    "activity",
    OpenApiTypes.STR,
    enum=["", *Activity.values],
    description="An activity, e.g. filming; empty for any.",
)
STATUS = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    enum=["", *PolicyStatus.values],
    description="allowed, allowed-with-conditions, permission-required, prohibited or unknown: "
    "the status of `activity`, or of any activity when none is given.",
)


def _query(request: Request) -> dict[str, Any]:
    query = OpennessQuerySerializer(data={k: v for k, v in request.query_params.items() if v != ""})
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


class LegalRuleList(PublicReadOnly, generics.ListAPIView[LegalRule]):
    """The law on reporting, recording and filming council meetings, by nation and activity."""

    serializer_class = LegalRuleSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[LegalRule]:
        query = _query(self.request)
        rules = LegalRule.objects.order_by("nation", "activity", "pk")
        if "nation" in query:
            rules = rules.filter(nation=query["nation"])
        if "activity" in query:
            rules = rules.filter(activity=query["activity"])
        return rules

    @extend_schema(
        operation_id="openness_rules_list",
        summary="List the law by nation and activity",
        parameters=[NATION, ACTIVITY],
        responses={200: LegalRuleSerializer(many=True), 400: BAD_PARAMETERS, 404: NOT_A_PAGE},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CouncilOpennessList(PublicReadOnly, generics.ListAPIView[Any]):
    """Every current council with its position on each activity: its policy, or else the law."""

    serializer_class = CouncilOpennessSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        query = _query(self.request)
        return openness_queries.national_table(
            nation=query.get("nation"), activity=query.get("activity"), status=query.get("status")
        )

    @extend_schema(
        operation_id="openness_councils_list",
        summary="List councils by meeting openness",
        parameters=[NATION, ACTIVITY, STATUS],
        responses={
            200: CouncilOpennessSerializer(many=True),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CouncilPolicies(PublicReadOnly, generics.GenericAPIView[Any]):
    """One council's position on each activity, the law of its nation, and every policy version."""

    serializer_class = CouncilPoliciesSerializer

    @extend_schema(
        operation_id="openness_council_retrieve",
        summary="A council's meeting openness policies with their history",
        responses={
            200: CouncilPoliciesSerializer,
            404: json_response("No current council has this code or slug."),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        council = openness_queries.council_by_code(code)
        if council is None:
            raise Http404("No current council has this code or slug.")
        data = {"council": council, "activities": openness_queries.council_openness(council)}
        return Response(self.get_serializer(data).data)


class OpennessReportList(PublicReadOnly, generics.ListAPIView[OpennessReport]):
    """Accepted reports of what happened at meetings, newest first, with the councils' replies."""

    serializer_class = OpennessReportSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[OpennessReport]:
        code = self.request.query_params.get("organisation", "")
        council = openness_queries.council_by_code(code) if code else None
        if code and council is None:
            return OpennessReport.objects.none()  # no such council has no reports
        # Anonymous on purpose (PublicReadOnly): only accepted reports, on every request.
        return openness_queries.public_reports(viewer=None, council=council)

    @extend_schema(
        operation_id="openness_reports_list",
        summary="List accepted reports from council meetings",
        parameters=[COUNCIL_CODE],
        responses={
            200: OpennessReportSerializer(many=True),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
