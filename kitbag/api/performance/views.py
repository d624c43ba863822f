"""Published performance figures in the API: the indicators, and one indicator's observations with
Kitbag's comparison of each against the nation beside the publisher's own figures.

Public and read-only (PublicReadOnly); both sources are evaluation only, which every indicator
says. Observations are compared within their period before the page is cut, so a figure's median
does not depend on the page it is on.
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
from kitbag.api.performance.serializers import (
    IndicatorSerializer,
    ObservationSerializer,
    ObservationsQuerySerializer,
)
from kitbag.api.responses import BAD_PARAMETERS, NOT_A_PAGE
from kitbag.performance import queries
from kitbag.performance.models import Indicator, Source


class IndicatorList(PublicReadOnly, generics.ListAPIView[Indicator]):
    """Indicators of the published sources, by source and code."""

    serializer_class = IndicatorSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Indicator]:
        # A serializer field named "source" would hide the Field's own `source`: read it here.
        source = self.request.query_params.get("source", "")
        if source and source not in Source.values:
            raise ValidationError({"source": [f"One of {', '.join(Source.values)}."]})
        found = Indicator.objects.order_by("source", "code")
        return found.filter(source=source) if source else found

    @extend_schema(
        operation_id="indicators_list",
        summary="List performance indicators",
        parameters=[
            OpenApiParameter(
                "source", OpenApiTypes.STR, enum=Source.values, description="oflog or lgbf."
            )
        ],
        responses={
            200: OpenApiResponse(IndicatorSerializer(many=True), description="One page."),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# Any, not Compared: the generic view's type expects a model, and these are computed rows.
class IndicatorObservations(PublicReadOnly, generics.ListAPIView[Any]):
    """One indicator's observations with Kitbag's comparison against the nation."""

    serializer_class = ObservationSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:  # a list: comparisons are computed, not queried
        query = ObservationsQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        try:
            indicator = Indicator.objects.get(slug=self.kwargs["slug"])
        except Indicator.DoesNotExist:
            raise Http404("No such indicator") from None
        compared = queries.compare_all(indicator, queries.observations_of(indicator))
        period = query.validated_data.get("period")
        code = query.validated_data.get("organisation")
        return [
            c
            for c in compared
            if (not period or c.observation.period_label == period)
            and (not code or c.observation.organisation.code == code)
        ]

    @extend_schema(
        operation_id="indicator_observations_list",
        summary="List one indicator's observations, compared",
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, description="e.g. 2021-22."),
            OpenApiParameter("organisation", OpenApiTypes.STR, description="e.g. KEN."),
        ],
        responses={
            200: OpenApiResponse(ObservationSerializer(many=True), description="One page."),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
