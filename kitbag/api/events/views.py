"""Events in the API: the list (the list page's filters, with the same meaning) and one event.

Public and read-only. Attendees are named only when their profile is public, as on the page.
Drafts are never here, whoever asks: they are their organisers' alone, on the event's page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kitbag.api.base import PublicReadOnly
from kitbag.api.events.serializers import EventDetailSerializer, EventSerializer
from kitbag.api.responses import BAD_PARAMETERS, NOT_A_PAGE
from kitbag.events import queries
from kitbag.events.models import Event, EventKind
from kitbag.registry.models import Nation


class EventList(PublicReadOnly, generics.ListAPIView[Event]):
    serializer_class = EventSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Event]:
        # The page ignores a filter it cannot read; a program hears what was wrong.
        params = self.request.query_params
        problems = {
            name: [message]
            for name, allowed, message in (
                ("when", queries.WHEN_CHOICES, "One of: upcoming, past, all."),
                ("kind", EventKind.values, f"One of: {', '.join(EventKind.values)}."),
                ("nation", Nation.values, f"One of: {', '.join(Nation.values)}."),
                (
                    "status",
                    queries.STATUS_CHOICES,
                    f"One of: {', '.join(queries.STATUS_CHOICES)}.",
                ),
            )
            # Present but empty is refused too: the schema lists the values a filter takes.
            if name in params and params[name] not in allowed
        }
        for name in ("from", "to"):
            if name in params and queries.parse_date(params[name]) is None:
                problems[name] = ["A date as YYYY-MM-DD."]
        if problems:
            raise ValidationError(problems)
        return queries.events_matching(queries.EventFilters.from_params(self.request.query_params))

    @extend_schema(
        operation_id="events_list",
        summary="List events",
        description="The filters of the list page at /events/, with the same meaning.",
        parameters=[
            OpenApiParameter(
                "when",
                OpenApiTypes.STR,
                enum=list(queries.WHEN_CHOICES),
                description="upcoming (the default), past or all.",
            ),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Events on or after this day."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Events on or before this day."),
            OpenApiParameter(
                "nation",
                OpenApiTypes.STR,
                enum=list(Nation.values),
                description="England, Scotland, Wales or Northern Ireland.",
            ),
            OpenApiParameter("region", OpenApiTypes.STR, description="A region's name."),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=EventKind.values, description="The kind of event."
            ),
            OpenApiParameter("service", OpenApiTypes.STR, description="An LGSL service code."),
            OpenApiParameter("tag", OpenApiTypes.STR, description="A topic."),
            OpenApiParameter("series", OpenApiTypes.STR, description="A series' slug."),
            OpenApiParameter(
                "organisation", OpenApiTypes.STR, description="An organisation's slug."
            ),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=list(queries.STATUS_CHOICES),
                description="published or cancelled (without it: both).",
            ),
        ],
        responses={
            200: OpenApiResponse(EventSerializer(many=True), description="One page."),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class EventDetail(PublicReadOnly):
    @extend_schema(
        operation_id="events_retrieve",
        summary="One event",
        responses={200: EventDetailSerializer, 404: OpenApiResponse(description="No such event.")},
    )
    def get(self, request: Request, slug: str) -> Response:
        event = queries.announced_events().filter(slug=slug).first()
        if event is None:
            raise NotFound("No event has this slug.")
        context = {"request": request, "attendees": queries.attendees_of(event)}
        return Response(EventDetailSerializer(event, context=context).data)
