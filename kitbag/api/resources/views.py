"""The resource library in the API: the list (by tag, paginated like every list) and one resource.

Answers depend on who asks: a person's own private bookmarks are in their answers and in nobody
else's (kitbag/resources/permissions.py), so these views read credentials and are never cached
for the public.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from kitbag.api.base import ApiView
from kitbag.api.pagination import KitbagPagination
from kitbag.api.resources.serializers import (
    ResourceDetailSerializer,
    ResourcePageSerializer,
    ResourceSerializer,
)
from kitbag.api.responses import BAD_PARAMETERS, NOT_A_PAGE, json_response
from kitbag.resources import queries
from kitbag.resources.addresses import normalise_tag
from kitbag.resources.used_by import links_for

NO_RESOURCE = json_response("No resource you may see has this id.")


class ResourceList(ApiView):
    @extend_schema(
        operation_id="resources_list",
        summary="List the resources you may see",
        description=(
            "Public resources, and your own private bookmarks when you are signed in; newest "
            "first. Each with the tags of the recommendations you may see and what used it "
            "(`used_by`: only the cases, consultations, partnerships and events you may see)."
        ),
        parameters=[
            OpenApiParameter(
                "tag",
                OpenApiTypes.STR,
                description="Only resources with this tag, e.g. user-research.",
            ),
            OpenApiParameter(
                "page", {"type": "integer", "minimum": 1}, description="Page number, from 1."
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1},
                description="Results per page, from 1; above 1000 gives 1000 (default 50).",
            ),
        ],
        responses={
            200: OpenApiResponse(ResourcePageSerializer, description="One page."),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request) -> Response:
        tag = normalise_tag(request.query_params.get("tag", "")[:100])
        resources = queries.resources_for(request.user, tag=tag)
        paginator = KitbagPagination()
        page: list[Any] | None = paginator.paginate_queryset(resources, request, view=self)
        context = {"request": request, "used_by_of": queries.used_by_of(page or [], request.user)}
        data = ResourceSerializer(page, many=True, context=context).data
        return paginator.get_paginated_response(data)


class ResourceDetail(ApiView):
    @extend_schema(
        operation_id="resources_retrieve",
        summary="One resource, with who recommends it and why, and what used it",
        responses={200: OpenApiResponse(ResourceDetailSerializer), 404: NO_RESOURCE},
    )
    def get(self, request: Request, pk: int) -> Response:
        resource = queries.resource_for(request.user, pk)
        if resource is None:
            raise NotFound("No resource you may see has this id.")
        context = {
            "request": request,
            "viewer": request.user,
            "used_by_of": {resource.pk: links_for(queries.uses_of(resource), request.user)},
        }
        return Response(ResourceDetailSerializer(resource, context=context).data)
