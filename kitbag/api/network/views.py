"""People who can help in the API: the people page's search and filters, and one person.

Only public profiles are answered, whoever asks (kitbag/network/queries.py): a profile that is not
public is a 404, the same as one that does not exist.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kitbag.api.base import PublicReadOnly
from kitbag.api.network.serializers import PersonPageSerializer, PersonSerializer
from kitbag.api.pagination import page_links, whole_number_param
from kitbag.api.responses import BAD_PARAMETERS, NOT_A_PAGE, json_response
from kitbag.network import queries
from kitbag.network.models import Offer
from kitbag.network.queries import PeopleSearch, PersonResult

NO_PERSON = json_response("No public profile has this id.")
MAX_PAGE = 100_000


class PersonList(PublicReadOnly):
    @extend_schema(
        operation_id="people_list",
        summary="Search and list people who can help (public profiles only)",
        description="The parameters of the people page at /people/, with the same meaning.",
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Words in the name, role or what they offer."
            ),
            OpenApiParameter("service", OpenApiTypes.STR, description="An LGSL service code."),
            OpenApiParameter("tag", OpenApiTypes.STR, description="A free tag."),
            OpenApiParameter(
                "offer", OpenApiTypes.STR, enum=list(Offer.values), description="An offer."
            ),
            OpenApiParameter(
                "organisation", OpenApiTypes.STR, description="An organisation's slug."
            ),
            OpenApiParameter(
                "page", {"type": "integer", "minimum": 1}, description="A page of 20, from 1."
            ),
        ],
        responses={
            200: OpenApiResponse(PersonPageSerializer, description="One page."),
            400: BAD_PARAMETERS,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        page = whole_number_param(params.get("page", "1"), "page")
        if page > MAX_PAGE:
            # Past every page there could be, and beyond what the database takes as an offset.
            raise NotFound("Invalid page.")
        offer = params.get("offer", "")
        if "offer" in params and offer not in Offer.values:
            raise ValidationError({"offer": [f"One of: {', '.join(Offer.values)}."]})
        search_for = PeopleSearch.from_params(params, page=page)
        results = queries.search_people(search_for)
        if search_for.page > results.pages:
            raise NotFound("Invalid page.")
        return Response(
            {
                "count": results.total,
                **page_links(request, page=results.page, pages=results.pages),
                "results": PersonSerializer(
                    results.people, many=True, context={"request": request}
                ).data,
            }
        )


class PersonDetail(PublicReadOnly):
    @extend_schema(
        operation_id="people_retrieve",
        summary="One person who can help",
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The profile's id.")
        ],
        responses={200: PersonSerializer, 404: NO_PERSON},
    )
    def get(self, request: Request, id: int) -> Response:
        profile = queries.public_person(id)
        if profile is None:
            raise NotFound("No public profile has this id.")
        person = PersonResult(profile=profile, organisation=queries.shown_organisation(profile))
        return Response(PersonSerializer(person, context={"request": request}).data)
