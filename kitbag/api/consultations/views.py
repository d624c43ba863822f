"""Consultations in the API: the list (the list page's search and filters), one consultation with
its latest document, its shown comments, writing a comment, reply or official response with a
token, and the whole consultation in the exchange format `kitbag-consultation/1`.

Only public consultations and shown comments are answered, whoever asks: drafts, comments waiting
for a moderator and hidden ones never leave through the API (kitbag/consultations/permissions.py).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kitbag.api.base import ApiView, PublicReadOnly
from kitbag.api.consultations.serializers import (
    CommentPageSerializer,
    CommentSerializer,
    CommentWriteSerializer,
    ConsultationDetailSerializer,
    ConsultationPageSerializer,
    ConsultationSerializer,
)
from kitbag.api.pagination import KitbagPagination, page_links, whole_number_param
from kitbag.api.responses import (
    BAD_FIELDS,
    BAD_PARAMETERS,
    FORBIDDEN,
    NOT_A_PAGE,
    UNAUTHENTICATED,
    json_response,
)
from kitbag.consultations import exchange, queries, services
from kitbag.consultations.models import Consultation, ConsultationStatus
from kitbag.consultations.queries import ConsultationSearch

NO_CONSULTATION = json_response("No public consultation has this slug.")


def _public(slug: str) -> Consultation:
    consultation = queries.public_consultation(slug)
    if consultation is None:
        raise NotFound("No public consultation has this slug.")
    return consultation


class ConsultationList(PublicReadOnly):
    @extend_schema(
        operation_id="consultations_list",
        summary="Search and list public consultations",
        description="The parameters of the list page at /consultations/, with the same meaning.",
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Words in the title, summary or document."
            ),
            OpenApiParameter(
                "organisation", OpenApiTypes.STR, description="An organisation's slug."
            ),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=["open", "closed", "response-published"],
                description="open, closed or response-published.",
            ),
            OpenApiParameter("service", OpenApiTypes.STR, description="An LGSL service code."),
            OpenApiParameter(
                "year", {"type": "integer", "minimum": 1}, description="The year it opened."
            ),
            OpenApiParameter(
                "page", {"type": "integer", "minimum": 1}, description="A page of 20, from 1."
            ),
        ],
        responses={
            200: OpenApiResponse(ConsultationPageSerializer, description="One page."),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        page = whole_number_param(params.get("page", "1"), "page")
        status = params.get("status", "")
        # Present but empty is refused too: the schema lists the values the filter takes.
        listed = status in ConsultationStatus.values and status != ConsultationStatus.DRAFT
        if "status" in params and not listed:
            raise ValidationError({"status": ["One of: open, closed, response-published."]})
        search_for = ConsultationSearch(
            query=params.get("q", "")[:200],
            organisation=params.get("organisation", "")[:120],
            status=status,
            service=params.get("service", "")[:32],
            # Declared an integer: anything else is a 400 naming it, not a filter matching nothing.
            year=str(whole_number_param(params["year"], "year")) if "year" in params else "",
            page=page,
        )
        results = queries.search_consultations(search_for)
        if search_for.page > results.pages:
            raise NotFound("Invalid page.")
        return Response(
            {
                "count": results.total,
                **page_links(request, page=results.page, pages=results.pages),
                "results": ConsultationSerializer(
                    results.consultations, many=True, context={"request": request}
                ).data,
            }
        )


class ConsultationDetail(PublicReadOnly):
    @extend_schema(
        operation_id="consultations_retrieve",
        summary="One public consultation, with its latest document and answer rate",
        responses={200: ConsultationDetailSerializer, 404: NO_CONSULTATION},
    )
    def get(self, request: Request, slug: str) -> Response:
        consultation = _public(slug)
        return Response(
            ConsultationDetailSerializer(
                consultation,
                context={
                    "request": request,
                    "version": services.latest_version(consultation),
                    "statistics": exchange.statistics_of(consultation),
                },
            ).data
        )


class ConsultationComments(ApiView):
    write_scope = "consultation-comments"

    @extend_schema(
        operation_id="consultations_comments_list",
        summary="The shown comments and official responses of a public consultation",
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT, description="The page, from 1."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Up to 1000."),
        ],
        responses={
            200: OpenApiResponse(CommentPageSerializer, description="One page, oldest first."),
            400: BAD_PARAMETERS,
            404: NO_CONSULTATION,
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        consultation = _public(slug)
        paginator = KitbagPagination()
        page: list[Any] | None = paginator.paginate_queryset(
            queries.export_comments(consultation), request, view=self
        )
        return paginator.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(
        operation_id="consultations_comments_create",
        summary="Comment on a paragraph, reply to a comment, or answer as the organisation",
        description=(
            "A new comment names a paragraph of the latest version (and optionally a quote of "
            "it); a reply names its parent. `official: true` answers as the consulting "
            "organisation, for its verified members. The first comment of a person needs a "
            "`display_name`, which records their consent to publish."
        ),
        request=CommentWriteSerializer,
        responses={
            201: CommentSerializer,
            400: BAD_FIELDS,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NO_CONSULTATION,
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        consultation = _public(slug)
        given = CommentWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        person = self.person()
        parent = None
        if data.get("parent"):
            parent = consultation.comments.filter(key=data["parent"]).first()
            if parent is None or parent.state != "visible":
                raise ValidationError(
                    {"parent": ["No shown comment of this consultation has this id."]}
                )
        elif not data.get("paragraph"):
            raise ValidationError({"paragraph": ["Name the paragraph, or the parent of a reply."]})
        if data.get("display_name"):
            services.set_participation(user=person, display_name=data["display_name"])
        quote = data.get("quote")
        comment = services.add_comment(
            consultation=consultation,
            by=person,
            text=data["text"],
            paragraph_key=data.get("paragraph", ""),
            quote=services.QuoteIn(**quote) if quote else None,
            parent=parent,
            as_official=data.get("official", False),
            changed_in_version=data.get("changed_in_version"),
        )
        return Response(CommentSerializer(comment).data, status=201)


class ConsultationExport(PublicReadOnly):
    @extend_schema(
        operation_id="consultations_export",
        summary="The whole consultation in the exchange format kitbag-consultation/1",
        responses={200: OpenApiTypes.OBJECT, 404: NO_CONSULTATION},
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(exchange.export_consultation(_public(slug)))
