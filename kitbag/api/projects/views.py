"""Projects in the API: the list with the list page's filters, and one project.

Answers depend on who asks (a token or a signed-in session): only projects the reader may see
(kitbag/projects/permissions.py), the same as the pages; another's private project is a 404, the
same as one that does not exist.
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

from kitbag.api.base import ApiView
from kitbag.api.projects.serializers import ProjectSerializer
from kitbag.api.responses import BAD_PARAMETERS, NOT_A_PAGE, json_response
from kitbag.projects import queries
from kitbag.projects.models import Project, ProjectStatus


class ProjectList(ApiView, generics.ListAPIView[Project]):
    """Projects the reader may see, by title."""

    serializer_class = ProjectSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Project]:
        params = self.request.query_params
        status = params.get("status", "")
        if "status" in params and status not in ProjectStatus.values:
            raise ValidationError({"status": [f"One of {', '.join(ProjectStatus.values)}."]})
        if "priority" in params and params["priority"] != "1":
            raise ValidationError({"priority": ["Only 1 (priority projects only)."]})
        filters = queries.ProjectFilters(
            organisation=params.get("organisation", ""),
            partnership=params.get("partnership", ""),
            status=status,
            service=params.get("service", ""),
            priority=params.get("priority") == "1",
        )
        return queries.projects_for(self.request.user, filters)

    @extend_schema(
        operation_id="projects_list",
        summary="List the projects you may see",
        description="The filters of the list page at /projects/, with the same meaning.",
        parameters=[
            OpenApiParameter("organisation", OpenApiTypes.STR, description="Owner's slug."),
            OpenApiParameter("partnership", OpenApiTypes.STR, description="Partnership's slug."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ProjectStatus.values),
            OpenApiParameter("service", OpenApiTypes.STR, description="An LGSL service code."),
            OpenApiParameter(
                "priority", OpenApiTypes.STR, enum=["1"], description="Priority only."
            ),
        ],
        responses={
            200: OpenApiResponse(ProjectSerializer(many=True), description="One page."),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ProjectDetail(ApiView):
    """One project the reader may see."""

    @extend_schema(
        operation_id="projects_retrieve",
        summary="One project",
        responses={
            200: ProjectSerializer,
            404: json_response("No project you may see has this slug."),
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        project = queries.project_detail(request.user, slug)
        if project is None:
            raise NotFound("No project you may see has this slug.")
        return Response(ProjectSerializer(project, context={"request": request}).data)
