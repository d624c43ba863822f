"""The meetings calendar in the API: every council's meetings, by council and date."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kitbag.api.meetings_serializers import MeetingSerializer, MeetingsQuerySerializer
from kitbag.api.views import BAD_REQUEST, PublicReadOnly
from kitbag.meetings.calendar import queries
from kitbag.meetings.models import Meeting


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
            OpenApiParameter(
                "organisation",
                OpenApiTypes.STR,
                description="A council's local authority code (mySociety), e.g. MAN.",
            ),
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
            400: BAD_REQUEST,
            404: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="There is no such page; the body says so in detail.",
            ),
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
