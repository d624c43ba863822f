"""The site-wide search in the API: the page at /search/ as JSON.

Every kind's count (`kinds`), and the hits of the kind asked for (`kind=`), or of every kind one
after another in the kinds' order (each kind's best first), a page of them at a time. Without
credentials, public documents only; with a token (or a session), also those not public that its
person may see, by each kind's own rule, as on the page.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kitbag.api.base import ApiView
from kitbag.api.pagination import page_links, whole_number_param
from kitbag.api.responses import BAD_PARAMETERS, NOT_A_PAGE
from kitbag.api.search.serializers import (
    HitSerializer,
    KindCountSerializer,
    SiteSearchPageSerializer,
)
from kitbag.search.kinds import all_kinds, kind_named
from kitbag.search.queries import MAX_PAGE_SIZE, site_search_list

DEFAULT_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200


class SiteSearch(ApiView):
    @extend_schema(
        operation_id="search",
        summary="Search everything you may see: organisations, cases, consultations and more",
        description="The site-wide search page at /search/, with the same meaning: every kind's "
        "count, and a page of hits of one kind or of every kind in turn. Without credentials, "
        "what is public; with a token, also what its person may see that is not public (their "
        "organisation's drafts, their partnerships' partners-only projects), each with "
        "`is_public` false. `suggestion` is the query with a word nothing contains corrected "
        '("did you mean"), or null.',
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Words to find. Without them, nothing is found."
            ),
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                enum=[kind.doc_type for kind in all_kinds()],
                description="Only this kind of result (see `kinds` in any answer).",
            ),
            OpenApiParameter(
                "page", {"type": "integer", "minimum": 1}, description="Page number, from 1."
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1},
                description=f"Results per page, from 1; above {MAX_PAGE_SIZE} gives "
                f"{MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
            ),
        ],
        responses={
            200: OpenApiResponse(SiteSearchPageSerializer, description="One page."),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        kind = params.get("kind", "")
        if "kind" in params and kind_named(kind) is None:
            names = ", ".join(k.doc_type for k in all_kinds())
            raise ValidationError({"kind": [f"One of: {names}."]})
        page = whole_number_param(params.get("page", "1"), "page")
        page_size = whole_number_param(
            params.get("page_size", str(DEFAULT_PAGE_SIZE)), "page_size", most=MAX_PAGE_SIZE
        )
        query = " ".join(params.get("q", "").split())[:MAX_QUERY_LENGTH]
        results = site_search_list(
            query=query, kind=kind, page=page, page_size=page_size, viewer=request.user
        )
        if page > results.page_count:
            raise NotFound("Invalid page.")
        return Response(
            {
                "count": results.total,
                **page_links(request, page=page, pages=results.page_count),
                "suggestion": results.suggestion or None,
                "kinds": KindCountSerializer(results.counts, many=True).data,
                "results": HitSerializer(
                    results.hits, many=True, context={"request": request}
                ).data,
            }
        )
