"""Published performance figures in the API: the indicators, and one indicator's observations with
Kitbag's comparison of each against the nation beside the publisher's own figures.

Read-only; imported figures are public and both sources are evaluation only, which every
indicator says. Partnerships, their indicators and partners' figures answer with what the caller
(token or session) may see, through the same permissions.visible_* querysets as the pages. Observations are compared within their period before the page is cut, so a figure's median
does not depend on the page it is on.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kitbag.api.base import ApiView
from kitbag.api.performance.serializers import (
    ComparisonGroupDetailSerializer,
    ComparisonGroupSerializer,
    IndicatorSerializer,
    ObservationSerializer,
    ObservationsQuerySerializer,
    PartnerFigureSerializer,
    PartnershipDetailSerializer,
    PartnershipSerializer,
    TargetSerializer,
)
from kitbag.api.responses import (
    BAD_PARAMETERS,
    NO_COMPARISON_GROUP,
    NO_PARTNERSHIP,
    NOT_A_PAGE,
    NOT_REPUBLISHED,
)
from kitbag.performance import queries
from kitbag.performance.models import (
    ComparisonGroup,
    Indicator,
    Observation,
    Partnership,
    Source,
    Target,
)
from kitbag.performance.permissions import (
    visible_indicators,
    visible_partnerships,
    visible_targets,
)
from kitbag.registry.models import Organisation

# Stands in for the body of a figure about an area, which no organisation filter matches.
_NOBODY = Organisation(code="")


class IndicatorList(ApiView, generics.ListAPIView[Indicator]):
    """Indicators of the published sources, by source and code."""

    serializer_class = IndicatorSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Indicator]:
        # A serializer field named "source" would hide the Field's own `source`: read it here.
        source = self.request.query_params.get("source", "")
        if "source" in self.request.query_params and source not in Source.values:
            raise ValidationError({"source": [f"One of {', '.join(Source.values)}."]})
        found = visible_indicators(self.request.user).order_by("source", "code")
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
class IndicatorObservations(ApiView, generics.ListAPIView[Any]):
    """One indicator's observations with Kitbag's comparison against the nation. An
    evaluation-only source's figures are refused (403, with why): Kitbag never republishes them."""

    serializer_class = ObservationSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:  # a list: comparisons are computed, not queried
        query = ObservationsQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        indicator = visible_indicators(self.request.user).filter(slug=self.kwargs["slug"]).first()
        if indicator is None:
            raise Http404("No such indicator")
        if indicator.is_evaluation_only:
            raise PermissionDenied(
                f"The figures of {indicator.code} come from the {indicator.get_source_display()}, "
                "which Kitbag holds for evaluation only and does not republish: use the "
                "publisher's own release. The comparisons are on the indicator's page."
            )
        compared = queries.compare_all(
            indicator,
            queries.observations_of(indicator, self.request.user).filter(import_run__isnull=True),
        )
        period = query.validated_data.get("period")
        code = query.validated_data.get("organisation")
        return [
            c
            for c in compared
            if (not period or c.observation.period_label == period)
            and (not code or (c.observation.organisation or _NOBODY).code == code)
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
            403: NOT_REPUBLISHED,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def _visible_partnership(request: Request, slug: str) -> Partnership:
    found = visible_partnerships(request.user).filter(slug=slug).first()
    if found is None:
        raise Http404("No such partnership")
    return found


class PartnershipList(ApiView, generics.ListAPIView[Partnership]):
    """Partnerships the caller may see, by name."""

    serializer_class = PartnershipSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Partnership]:
        return visible_partnerships(self.request.user).order_by("name", "pk")

    @extend_schema(
        operation_id="partnerships_list",
        summary="List the partnerships you may see",
        responses={
            200: OpenApiResponse(PartnershipSerializer(many=True), description="One page."),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PartnershipDetail(ApiView):
    """One partnership: its current members, outcomes and the indicators the caller may see."""

    @extend_schema(
        operation_id="partnerships_retrieve",
        summary="One partnership",
        responses={200: PartnershipDetailSerializer, 404: NO_PARTNERSHIP},
    )
    def get(self, request: Request, slug: str) -> Response:
        partnership = _visible_partnership(request, slug)
        indicators = list(queries.partnership_indicators(request.user, partnership))
        context = {
            "request": request,
            "members": queries.current_members(partnership),
            "outcomes": partnership.outcomes.prefetch_related("indicators"),
            "indicators": indicators,
            "visible_indicator_ids": {i.pk for i in indicators},
        }
        return Response(PartnershipDetailSerializer(partnership, context=context).data)


class PartnershipObservations(ApiView, generics.ListAPIView[Observation]):
    """A partnership's figures the caller may see (partners see drafts; the public only published
    figures past their embargo)."""

    serializer_class = PartnerFigureSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Observation]:
        partnership = _visible_partnership(self.request, self.kwargs["slug"])
        found = queries.partnership_figures(self.request.user, partnership)
        code = self.request.query_params.get("indicator", "")
        return found.filter(indicator__code=code) if code else found

    @extend_schema(
        operation_id="partnership_observations_list",
        summary="List a partnership's figures you may see",
        parameters=[OpenApiParameter("indicator", OpenApiTypes.STR, description="A code.")],
        responses={
            200: OpenApiResponse(PartnerFigureSerializer(many=True), description="One page."),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PartnershipTargets(ApiView, generics.ListAPIView[Target]):
    """The targets of a partnership's indicators, where its figures are: a target is seen by
    whoever may see its indicator (and so its partnership), as the figures' own rule has it."""

    serializer_class = TargetSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Target]:
        partnership = _visible_partnership(self.request, self.kwargs["slug"])
        found = (
            visible_targets(self.request.user)
            .filter(indicator__partnership=partnership)
            .select_related("indicator", "organisation")
            .order_by("indicator__code", "period_start", "gss", "organisation__name", "pk")
        )
        code = self.request.query_params.get("indicator", "")
        return found.filter(indicator__code=code) if code else found

    @extend_schema(
        operation_id="partnership_targets_list",
        summary="List the targets of a partnership's indicators you may see",
        parameters=[OpenApiParameter("indicator", OpenApiTypes.STR, description="A code.")],
        responses={
            200: OpenApiResponse(TargetSerializer(many=True), description="One page."),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ComparisonGroupList(ApiView, generics.ListAPIView[ComparisonGroup]):
    """Custom comparison groups the caller may see: public ones, and private ones of the
    caller's own organisations."""

    serializer_class = ComparisonGroupSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ComparisonGroup]:
        return queries.comparison_groups(self.request.user)

    @extend_schema(
        operation_id="comparison_groups_list",
        summary="List the comparison groups you may see",
        responses={
            200: OpenApiResponse(ComparisonGroupSerializer(many=True), description="One page."),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ComparisonGroupDetail(ApiView):
    """One comparison group with its councils."""

    @extend_schema(
        operation_id="comparison_groups_retrieve",
        summary="One comparison group",
        responses={200: ComparisonGroupDetailSerializer, 404: NO_COMPARISON_GROUP},
    )
    def get(self, request: Request, slug: str) -> Response:
        group = queries.comparison_groups(request.user).filter(slug=slug).first()
        if group is None:
            raise Http404("No such comparison group")
        context = {
            "request": request,
            "councils": queries.comparison_group_councils(group),
        }
        return Response(ComparisonGroupDetailSerializer(group, context=context).data)
