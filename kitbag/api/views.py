"""The public, read-only JSON API (v1) and its documentation page."""

from __future__ import annotations

from typing import Any

import django_filters
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kitbag.api import docs
from kitbag.api.pagination import KitbagPagination
from kitbag.api.serializers import (
    OrganisationDetailSerializer,
    OrganisationSerializer,
    ResolutionSerializer,
    ResolveQuerySerializer,
)
from kitbag.core.rate_limits import describe_rate
from kitbag.registry import queries, resolver
from kitbag.registry.filters import OrganisationFilter

BAD_REQUEST = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="A parameter is wrong: the body maps each wrong parameter to what is wrong with it.",
)
NOT_FOUND = OpenApiResponse(
    response=OpenApiTypes.OBJECT, description="No body has this slug; the body says so in detail."
)


class PublicReadOnly(APIView):
    """Anyone may read without signing in; no session or CSRF is involved in a read."""

    authentication_classes = []
    permission_classes = [AllowAny]


def filter_parameters(filterset: type[django_filters.FilterSet]) -> list[OpenApiParameter]:
    """The list's query parameters, read from the same FilterSet the page uses.

    Written out rather than left to drf-spectacular so that the schema says two things it would
    miss: an empty value means "any" (an HTML form sends kind= for "All kinds", and people copy the
    page's address into the API), and how long a text value may be (a longer one is a 400).
    """
    parameters = []
    for name, filter_ in filterset.base_filters.items():
        description = str(filter_.extra.get("help_text", ""))
        if isinstance(filter_, django_filters.ChoiceFilter):
            values = [str(value) for value, _ in filter_.extra["choices"]]
            schema: dict[str, Any] = {"type": "string", "enum": [*values, ""]}
            description += " Empty means any."
        else:
            schema = {"type": "string"}
            if "max_length" in filter_.extra:
                schema["maxLength"] = filter_.extra["max_length"]
        parameters.append(OpenApiParameter(name, schema, description=description))
    return parameters


class OrganisationList(PublicReadOnly, generics.ListAPIView[Any]):
    """Public bodies, filtered exactly like the list page at /organisations/."""

    queryset = queries.listed_organisations()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter

    @extend_schema(
        operation_id="organisations_list",
        summary="List and search public bodies",
        parameters=filter_parameters(OrganisationFilter),
        responses={
            200: OpenApiResponse(
                OrganisationSerializer(many=True), description="One page of public bodies."
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


class OrganisationDetail(PublicReadOnly, generics.RetrieveAPIView[Any]):
    """One public body with its codes, names, parents, children, history and democracy system."""

    queryset = queries.organisations_with_relations()
    serializer_class = OrganisationDetailSerializer
    lookup_field = "slug"

    @extend_schema(
        operation_id="organisations_retrieve",
        summary="One public body",
        parameters=[
            OpenApiParameter(
                "slug",
                str,
                OpenApiParameter.PATH,
                description="The body's slug, as in the address of its page, e.g. cardiff.",
                pattern=r"^[-a-zA-Z0-9_]+$",
            )
        ],
        responses={
            200: OpenApiResponse(OrganisationDetailSerializer, description="The public body."),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ResolveName(PublicReadOnly):
    """The body a messy name refers to ("LB Camden", "Cyngor Caerdydd"), with a confidence score."""

    @extend_schema(
        operation_id="organisations_resolve",
        summary="Resolve a name to a public body",
        parameters=[ResolveQuerySerializer],
        responses={
            200: OpenApiResponse(
                ResolutionSerializer,
                description="The best match (null when none is confident) and alternatives.",
            ),
            400: BAD_REQUEST,
        },
        examples=[
            OpenApiExample(
                "A London borough by its everyday abbreviation",
                value={
                    "query": "LB Camden",
                    "best": {
                        "slug": "camden",
                        "name": "London Borough of Camden",
                        "kind": "local-authority",
                        "code": "CMD",
                        "score": 0.97,
                        "url": "https://kitbag.example/api/v1/organisations/camden",
                    },
                    "alternatives": [],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        query = ResolveQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        resolution = resolver.resolve_name(
            query.validated_data["name"],
            kind=query.validated_data.get("kind") or None,
            limit=query.validated_data["limit"],
        )
        return Response(ResolutionSerializer(resolution, context={"request": request}).data)


# Exempt from CSRF so that a DELETE or POST to a wrong address hears this JSON 404, not the HTML
# CSRF page: it changes nothing, so there is nothing to protect.
@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other address under /api/v1/: a client gets JSON, as from every API endpoint."""
    return JsonResponse({"detail": "Not found."}, status=404)


def api_docs(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "api/api_docs.html",
        {
            "operations": docs.operations(base_url=request.build_absolute_uri("/").rstrip("/")),
            "max_page_size": KitbagPagination.max_page_size,
            "default_page_size": KitbagPagination.page_size,
            "rate_limits": {
                "anonymous": describe_rate("api-anonymous"),
                "person": describe_rate("api-person"),
            },
        },
    )
