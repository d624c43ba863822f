"""The innovation library in the API: cases to read (public ones only, ever) and spread to write.

A case is addressed by its uuid (`id` in every answer): it never changes, whereas a slug follows
the title and a numeric id would let anyone count drafts. Adoptions and relations have no page of
their own, so their numeric id is enough.

Reads need nothing. Writes need a token (or a signed-in browser with its CSRF token) and go through
the same services as the pages, so the same permission rules apply, and the same rate limit
("case-spread" in core/rate_limits.py, counted in the cache the pages use).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kitbag.accounts.models import User
from kitbag.accounts.permissions import Actor, can
from kitbag.api.base import ApiView
from kitbag.api.cases.serializers import (
    AdoptionSerializer,
    AdoptionWriteSerializer,
    CaseDetailSerializer,
    CaseHitSerializer,
    CaseListSerializer,
    RelationSerializer,
    RelationWriteSerializer,
    SimilarCaseSerializer,
)
from kitbag.api.pagination import KitbagPagination, page_links, whole_number_param
from kitbag.api.responses import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_A_PAGE,
    UNAUTHENTICATED,
    json_response,
)
from kitbag.cases import services
from kitbag.cases.models import PUBLIC_STATUSES, Adoption, Case, CaseQuerySet, CaseRelation
from kitbag.cases.permissions import visible_cases
from kitbag.cases.queries import (
    SORTS,
    CaseSearch,
    adoption_organisations,
    case_page_cases,
    cases_for_display,
    facet_value_labels,
    ordered_facet_counts,
    search_cases,
)
from kitbag.cases.search_documents import FACETS, HIDDEN_FACETS
from kitbag.cases.similar_cases import similar_cases
from kitbag.registry.models import Organisation
from kitbag.search.queries import MAX_PAGE_SIZE

# How many similar cases the similar endpoint ranks; one page of the usual size holds them all.
SIMILAR_LIMIT = 20


NO_CASE = json_response("No public case has this id.")
NO_CASE_OR_PAGE = json_response("No public case has this id, or there is no such page.")
NO_ADOPTION = "No adoption of a public case has this id."
NO_RELATION = "No relation between public cases has this id."

CASE_ID = OpenApiParameter(
    "id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description="The case's id (a UUID), as given in `id` of every case in the API.",
)


def _numeric_id(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "id", int, OpenApiParameter.PATH, description=f"The {what}'s id, as given in `id`."
    )


def _search_parameters() -> list[OpenApiParameter]:
    """The parameters of the case list page (CaseSearch.from_params), stated for the schema."""
    facet_help = {
        "function": "LGSL function (service area) code, e.g. 9 for Environment.",
        "service": "LGSL service code, e.g. 524.",
        "sector": "COFOG division code, e.g. 07 for Health.",
        "phase": "GOV.UK phase: discovery, alpha, beta, live or retired.",
        "status": "Operational status code: planned, pilot, implemented or discontinued.",
        "evidence": "Nesta Standard of Evidence level, 1 to 5.",
        "outcome": "Outcome label code: worked, promising, untested or did-not-work.",
        "nation": "Nation or country of the lead: England, Scotland, Wales, Northern Ireland, "
        "United Kingdom (every UK case; a UK-wide body's cases are under each nation too), or "
        "country-xx for another country (ISO 3166-1 alpha-2, e.g. country-md).",
        "organisation_type": "Kind of lead organisation, e.g. local-authority.",
        "technology": "Technology code, e.g. artificial-intelligence.",
        "year": "Year the case started or was published, e.g. 2023.",
        "organisation": "Slug of the lead organisation, e.g. camden.",
        "source": "Where the record came from: kitbag, ipsx or atrs.",
        "record_status": "Record status: published, needs-update or archived.",
    }
    parameters = [
        OpenApiParameter(
            "q",
            str,
            description=(
                "Words to search for, ranked by relevance; every word must match and the last "
                "one may be the start of a word. Empty lists every public case, newest first."
            ),
        )
    ]
    for name in (*FACETS, *HIDDEN_FACETS):
        parameters.append(
            OpenApiParameter(
                name,
                {"type": "array", "items": {"type": "string"}},
                style="form",
                explode=True,
                description=(
                    f"{facet_help.get(name, name)} Repeat it for any of several values; "
                    "different filters must all match. `facets` in the answer lists the values."
                ),
            )
        )
    parameters += [
        OpenApiParameter(
            "sort",
            {"type": "string", "enum": list(SORTS)},
            description="relevance (the default when q is given) or newest (the default without).",
        ),
        OpenApiParameter(
            "page", {"type": "integer", "minimum": 1}, description="Page number, from 1."
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1},
            description=f"Results per page, from 1; above {MAX_PAGE_SIZE} gives {MAX_PAGE_SIZE} "
            "(default 20, as on the page).",
        ),
    ]
    return parameters


class CasesView(ApiView):
    """Anyone reads; writes need a signed-in person, and are rate limited."""

    # The spread pages' scope: one allowance for spread writes, whichever channel.
    write_scope = "case-spread"

    def public_case(self, case_id: uuid.UUID, cases: CaseQuerySet | None = None) -> Case:
        """The public case with this id; drafts and missing cases get the same 404."""
        found = (cases if cases is not None else visible_cases(self.request.user)).public()
        case = found.filter(uuid=case_id).first()
        if case is None:
            raise NotFound("No public case has this id.")
        return case

    def paginated(
        self, items: Any, serializer_class: type[serializers.BaseSerializer[Any]]
    ) -> Response:
        paginator = KitbagPagination()
        page: list[Any] | None = paginator.paginate_queryset(items, self.request, view=self)
        data = serializer_class(page, many=True, context={"request": self.request}).data
        return paginator.get_paginated_response(data)


class CaseList(CasesView):
    @extend_schema(
        operation_id="cases_list",
        summary="Search and list public cases",
        description=(
            "The innovation library's public cases, with exactly the parameters of the list page "
            "at /cases/: the same search, filters, order and pages give the same cases."
        ),
        parameters=_search_parameters(),
        responses={
            200: OpenApiResponse(CaseListSerializer, description="One page of matching cases."),
            400: BAD_REQUEST,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        # The page quietly corrects a bad page or sort; a program is told, as on every list.
        for name in ("page", "page_size"):
            if name in params:
                whole_number_param(params[name], name)
        sort = params.get("sort")
        if sort is not None and sort not in SORTS:
            raise ValidationError({"sort": [f"One of: {', '.join(SORTS)}."]})
        search_for = CaseSearch.from_params(params)
        results = search_cases(search_for=search_for, viewer=request.user)
        if search_for.page > results.page_count:
            raise NotFound("Invalid page.")
        links = page_links(request, page=search_for.page, pages=results.page_count)
        facet_counts = ordered_facet_counts(results.facet_counts)
        values = {
            name: [value for value, _count in counts] for name, counts in facet_counts.items()
        }
        labels = facet_value_labels(values)
        facets = {
            name: [
                {"value": value, "label": labels[name][value], "count": count}
                for value, count in counts
            ]
            for name, counts in facet_counts.items()
        }
        return Response(
            {
                "count": results.total,
                **links,
                "results": CaseHitSerializer(
                    results.hits, many=True, context={"request": request}
                ).data,
                "facets": facets,
                "facets_complete": results.facet_counts_complete,
                "suggestion": results.suggestion,
                "corrected": results.corrected,
            }
        )


class CaseDetail(CasesView):
    @extend_schema(
        operation_id="cases_retrieve",
        summary="One public case, in full",
        description=(
            "Every part of the record: codes, the write-up, identifiers (with the source's own, "
            "e.g. scheme ipsx), partners, costs, benefits, assets, products, contacts you may "
            "see, adoptions, relations to and from public cases, and provenance."
        ),
        parameters=[CASE_ID],
        responses={
            200: OpenApiResponse(CaseDetailSerializer, description="The case."),
            404: NO_CASE,
        },
    )
    def get(self, request: Request, id: uuid.UUID) -> Response:
        case = self.public_case(id, case_page_cases(request.user))
        signed_in = Actor.of(request.user).is_signed_in
        context = {
            "request": request,
            # As on the case page: people's details go to signed-in people, unless they chose.
            "contacts": [c for c in case.contacts.all() if signed_in or c.is_public],
            "relations_out": _relations(Q(from_case=case)),
            "relations_in": _relations(Q(to_case=case)),
        }
        return Response(CaseDetailSerializer(case, context=context).data)


def _relations(condition: Q) -> QuerySet[CaseRelation]:
    """Relations between public cases only, whichever end is asked about."""
    return (
        CaseRelation.objects.filter(condition)
        .filter(from_case__status__in=PUBLIC_STATUSES, to_case__status__in=PUBLIC_STATUSES)
        .select_related("relation", "from_case__lead_organisation", "to_case__lead_organisation")
        .order_by("created_at", "pk")
    )


class CaseSimilar(CasesView):
    @extend_schema(
        operation_id="cases_similar_list",
        summary="Public cases similar to this one",
        description=(
            f"Up to {SIMILAR_LIMIT} public cases, closest first, each with the reasons it is "
            "similar: the same service, phase or sector count for more than shared words."
        ),
        parameters=[CASE_ID],
        responses={
            200: OpenApiResponse(
                SimilarCaseSerializer(many=True), description="One page of similar cases."
            ),
            400: BAD_REQUEST,
            404: NO_CASE_OR_PAGE,
        },
    )
    def get(self, request: Request, id: uuid.UUID) -> Response:
        case = self.public_case(id)
        found = similar_cases(case=case, viewer=request.user, limit=SIMILAR_LIMIT)
        # Fetched again with what a list row needs, and only public ones, whatever the ranking
        # code returned.
        ids = [item.case.pk for item in found if item.case.pk != case.pk]
        rows = cases_for_display(request.user).public().in_bulk(ids)
        similar = [
            type(item)(case=rows[item.case.pk], score=item.score, reasons=item.reasons)
            for item in found
            if item.case.pk in rows
        ]
        return self.paginated(similar, SimilarCaseSerializer)


class CaseAdoptions(CasesView):
    # The service's adopter is the organisation a client names.
    service_field_names = {"adopter": "organisation"}

    @extend_schema(
        operation_id="cases_adoptions_list",
        summary="Organisations that adopted a case",
        parameters=[CASE_ID],
        responses={
            200: OpenApiResponse(
                AdoptionSerializer(many=True), description="One page of adoptions."
            ),
            400: BAD_REQUEST,
            404: NO_CASE_OR_PAGE,
        },
    )
    def get(self, request: Request, id: uuid.UUID) -> Response:
        case = self.public_case(id)
        adoptions = (
            Adoption.objects.filter(case=case)
            .select_related("adopter", "status", "case__lead_organisation")
            .order_by("adopter__name", "pk")
        )
        return self.paginated(adoptions, AdoptionSerializer)

    @extend_schema(
        operation_id="cases_adoptions_create",
        summary="Record that your organisation adopted a case",
        description=(
            "For an organisation you are a verified member of (not the case's lead). Recording "
            "again for the same organisation updates its adoption. Needs a token."
        ),
        parameters=[CASE_ID],
        request=AdoptionWriteSerializer,
        responses={
            201: OpenApiResponse(AdoptionSerializer, description="The adoption, recorded."),
            200: OpenApiResponse(AdoptionSerializer, description="The adoption, updated."),
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NO_CASE,
        },
    )
    def post(self, request: Request, id: uuid.UUID) -> Response:
        user = self.person()
        case = self.public_case(id)
        incoming = AdoptionWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        # Asked before the service, as on the page: which organisation adopts, when none is
        # named, depends on it. Who may adopt for that organisation is the service's to say.
        if not can(user, "record_adoption", case):
            raise PermissionDenied(
                "Only verified members of an organisation may record an adoption: confirm a "
                "work email address on your account first."
            )
        adopter = _adopter(user, case, data.get("organisation"))
        existed = Adoption.objects.filter(case=case, adopter=adopter).exists()
        adoption = services.record_adoption(
            case=case,
            adopter=adopter,
            status=data["status"],
            by=user,
            started_on=data.get("started_on"),
            cost=data.get("cost"),
            annual_saving=data.get("annual_saving"),
            notes=data.get("notes", ""),
        )
        adoption = Adoption.objects.select_related(
            "adopter", "status", "case__lead_organisation"
        ).get(pk=adoption.pk)
        return Response(
            AdoptionSerializer(adoption, context={"request": request}).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


def _adopter(user: User, case: Case, slug: str | None) -> Organisation:
    """The organisation named, or else the only one this person could adopt the case for."""
    if slug:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise ValidationError({"organisation": ["No organisation has this slug."]})
        return organisation
    candidates = list(adoption_organisations(user, case)[:2])
    if not candidates:
        raise PermissionDenied(
            "Your organisation leads this case, and an organisation cannot adopt its own case."
        )
    if len(candidates) > 1:
        raise ValidationError(
            {
                "organisation": [
                    "Give the slug of the organisation that adopted it: you are a member of "
                    "several."
                ]
            }
        )
    return candidates[0]


# One adoption or relation: read by anyone while its cases are public, removed through its
# service by whoever the service allows. (A comment, not a docstring: drf-spectacular would
# publish a docstring as the operations' description.)
class SpreadRecordDetail(CasesView):
    record_serializer: type[serializers.Serializer[Any]]

    def record(self, record_id: int) -> Any:
        raise NotImplementedError

    def remove(self, record: Any, *, by: User) -> None:
        raise NotImplementedError

    def get(self, request: Request, id: int) -> Response:
        record = self.record(id)
        return Response(self.record_serializer(record, context={"request": request}).data)

    def delete(self, request: Request, id: int) -> Response:
        self.remove(self.record(id), by=self.person())
        return Response(status=status.HTTP_204_NO_CONTENT)


def _spread_record_schema(
    *,
    what: str,
    name: str,
    serializer: type[serializers.Serializer[Any]],
    missing: str,
    removers: str,
) -> Any:
    """The OpenAPI description of a SpreadRecordDetail's two operations."""
    return extend_schema_view(
        get=extend_schema(
            operation_id=f"{name}s_retrieve",
            summary=f"One {what}",
            parameters=[_numeric_id(name)],
            responses={
                200: OpenApiResponse(serializer, description=f"The {name}."),
                404: json_response(missing),
            },
        ),
        delete=extend_schema(
            operation_id=f"{name}s_destroy",
            summary=f"Remove {'an' if what[0] in 'aeiou' else 'a'} {what}",
            description=f"For {removers}. Needs a token.",
            parameters=[_numeric_id(name)],
            responses={
                204: OpenApiResponse(description="Removed."),
                401: UNAUTHENTICATED,
                403: FORBIDDEN,
                404: json_response(missing),
            },
        ),
    )


@_spread_record_schema(
    what="adoption",
    name="adoption",
    serializer=AdoptionSerializer,
    missing=NO_ADOPTION,
    removers="whoever recorded it, members of the adopting organisation, moderators and staff",
)
class AdoptionDetail(SpreadRecordDetail):
    record_serializer = AdoptionSerializer

    def record(self, record_id: int) -> Adoption:
        found = (
            Adoption.objects.filter(pk=record_id, case__status__in=PUBLIC_STATUSES)
            .select_related("adopter", "status", "case__lead_organisation")
            .first()
        )
        if found is None:
            raise NotFound(NO_ADOPTION)
        return found

    def remove(self, record: Adoption, *, by: User) -> None:
        services.remove_adoption(adoption=record, by=by)


class CaseRelations(CasesView):
    @extend_schema(
        operation_id="cases_relations_list",
        summary="Relations to and from a case",
        description="Only relations whose both cases are public. Oldest first.",
        parameters=[CASE_ID],
        responses={
            200: OpenApiResponse(
                RelationSerializer(many=True), description="One page of relations."
            ),
            400: BAD_REQUEST,
            404: NO_CASE_OR_PAGE,
        },
    )
    def get(self, request: Request, id: uuid.UUID) -> Response:
        case = self.public_case(id)
        return self.paginated(_relations(Q(from_case=case) | Q(to_case=case)), RelationSerializer)

    @extend_schema(
        operation_id="cases_relations_create",
        summary="Relate a case to another",
        description=(
            "Records that this case (the one in the address) adopted, adapted, forked, was "
            "inspired by... the public case `to_case`. For whoever may edit this case. Recording "
            "the same relation again updates it. Needs a token."
        ),
        parameters=[CASE_ID],
        request=RelationWriteSerializer,
        responses={
            201: OpenApiResponse(RelationSerializer, description="The relation, recorded."),
            200: OpenApiResponse(RelationSerializer, description="The relation, updated."),
            400: BAD_REQUEST,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NO_CASE,
        },
    )
    def post(self, request: Request, id: uuid.UUID) -> Response:
        user = self.person()
        case = self.public_case(id)
        incoming = RelationWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        other = Case.objects.public().filter(uuid=data["to_case"]).first()
        if other is None:
            raise ValidationError({"to_case": ["No public case has this id."]})
        existed = CaseRelation.objects.filter(
            from_case=case, to_case=other, relation=data["relation"]
        ).exists()
        relation = services.relate_cases(
            from_case=case,
            to_case=other,
            relation=data["relation"],
            by=user,
            changes_made=data.get("changes_made", ""),
            happened_on=data.get("happened_on"),
        )
        relation = _relations(Q(pk=relation.pk)).get()
        return Response(
            RelationSerializer(relation, context={"request": request}).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


@_spread_record_schema(
    what="relation between cases",
    name="relation",
    serializer=RelationSerializer,
    missing=NO_RELATION,
    removers="whoever recorded it, whoever may edit either case, moderators and staff",
)
class RelationDetail(SpreadRecordDetail):
    record_serializer = RelationSerializer

    def record(self, record_id: int) -> CaseRelation:
        found = _relations(Q(pk=record_id)).first()
        if found is None:
            raise NotFound(NO_RELATION)
        return found

    def remove(self, record: CaseRelation, *, by: User) -> None:
        services.remove_relation(relation=record, by=by)
