"""The registry in the API: public bodies listed and filtered like their page, one body in full,
and a messy name resolved to a body. Public and the same for everyone, so the list and the
detail are page-cached (urls.py)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from kitbag.api.base import PublicReadOnly
from kitbag.api.registry.serializers import (
    OrganisationDetailSerializer,
    OrganisationSerializer,
    ResolutionSerializer,
    ResolveQuerySerializer,
)
from kitbag.api.responses import BAD_PARAMETERS, NOT_A_PAGE, json_response
from kitbag.api.schema import filter_parameters
from kitbag.registry import queries, resolver
from kitbag.registry.filters import OrganisationFilter

NO_BODY = json_response("No body has this slug; the body says so in detail.")


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
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
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
            404: NO_BODY,
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
            400: BAD_PARAMETERS,
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
