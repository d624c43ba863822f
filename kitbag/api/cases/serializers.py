"""How cases, adoptions and relations look in the API, and what a client sends to write spread.

Reads show only public cases; a related case that is not public is left out wherever it would
appear (relations, similar cases). Codes are {code, label} objects; amounts are decimal strings in
pounds, so no client loses pence to floating point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kitbag.api.fields import BlankAsNullChoiceField, BlankAsNullURLField, absolute_url
from kitbag.api.registry.serializers import OrganisationReferenceSerializer
from kitbag.api.text_fields import TextLimitsSerializerMixin, optional_prose
from kitbag.cases.facet_labels import nation_label
from kitbag.cases.models import (
    PUBLIC_STATUSES,
    Adoption,
    Asset,
    BenefitItem,
    Case,
    CaseIdentifier,
    CasePartner,
    CaseRelation,
    CaseSource,
    Contact,
    ContactOffer,
    CostItem,
    GeographicExtent,
    Novelty,
    PartnerRole,
    Product,
    RecordStatus,
    RecordType,
    Recurrence,
)
from kitbag.cases.search_documents import nation, nations
from kitbag.cases.similar_cases import SimilarCase
from kitbag.vocabularies.models import Code

PUBLIC_STATUS_CHOICES = [
    (value, label) for value, label in RecordStatus.choices if value in PUBLIC_STATUSES
]


def case_api_url(context: Mapping[str, Any], case: Case, name: str = "api_case_detail") -> str:
    return absolute_url(context, reverse(name, kwargs={"id": case.uuid}))


class CodeSerializer(serializers.Serializer[Code]):
    code = serializers.CharField(read_only=True, help_text="The code, stable: filter by it.")
    # A field named like a Field attribute: the stubs type the attribute, DRF reads declared fields.
    label = serializers.CharField(read_only=True, help_text="Its name in English.")  # type: ignore[assignment]


def _code(**kwargs: Any) -> CodeSerializer:
    return CodeSerializer(read_only=True, allow_null=True, **kwargs)


class CaseReferenceSerializer(serializers.Serializer[Case]):
    """Just enough to name a related case and follow the link."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    lead_organisation_name = serializers.CharField(source="lead_name", read_only=True)
    url = serializers.SerializerMethodField(help_text="This case's record in the API.")
    html_url = serializers.SerializerMethodField(help_text="This case's page on Kitbag.")

    @extend_schema_field(serializers.URLField())
    def get_url(self, case: Case) -> str:
        return case_api_url(self.context, case)

    @extend_schema_field(serializers.URLField())
    def get_html_url(self, case: Case) -> str:
        return absolute_url(self.context, case.get_absolute_url())


class CaseSummarySerializer(CaseReferenceSerializer):
    """A row of the case list: the core of the record, and how it matched the search."""

    record_type = serializers.ChoiceField(choices=RecordType.choices, read_only=True)
    summary = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(
        choices=PUBLIC_STATUS_CHOICES,
        read_only=True,
        help_text="Record status: published, needs-update (still the best record) or archived.",
    )
    lead_organisation = OrganisationReferenceSerializer(
        read_only=True, allow_null=True, help_text="Null when the registry does not know the lead."
    )
    phase = _code(help_text="GOV.UK service phase.")
    operational_status = _code()
    sector = _code(help_text="COFOG division.")
    evidence_level = _code(help_text="Nesta Standards of Evidence, 1 to 5.")
    outcome = _code(help_text="Worked, promising, untested or did not work.")
    services = CodeSerializer(many=True, read_only=True, help_text="LGSL services.")
    functions = CodeSerializer(many=True, read_only=True, help_text="LGSL functions.")
    technologies = CodeSerializer(many=True, read_only=True)
    start_year = serializers.IntegerField(read_only=True, allow_null=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)
    adoption_count = serializers.SerializerMethodField(
        help_text="How many organisations have recorded adopting it."
    )
    nation = serializers.SerializerMethodField(
        help_text="Its value of the `nation` filter: a UK nation, United Kingdom, or country-xx; "
        "empty when not known."
    )
    country = serializers.SerializerMethodField(
        help_text="The nation or country by name, as the pages show it (e.g. Moldova)."
    )
    nations = serializers.SerializerMethodField(
        help_text="Every value of the `nation` filter that finds it (a UK-wide body's cases are "
        "under each nation and United Kingdom)."
    )

    def get_adoption_count(self, case: Case) -> int:
        return len(case.adoptions.all())  # prefetched

    def get_nation(self, case: Case) -> str:
        return nation(case)

    def get_country(self, case: Case) -> str:
        value = nation(case)
        return nation_label(value) if value else ""

    def get_nations(self, case: Case) -> list[str]:
        return nations(case)


class CaseHitSerializer(serializers.Serializer[Any]):
    """A search result: the case, with its score and highlighted title and snippet."""

    case = CaseSummarySerializer(read_only=True)
    score = serializers.FloatField(
        source="hit.score", read_only=True, help_text="Relevance; higher is better."
    )
    title_highlighted = serializers.CharField(
        source="hit.title_highlighted",
        read_only=True,
        help_text="HTML: the escaped title with <mark> around matched words.",
    )
    snippet = serializers.CharField(
        source="hit.snippet",
        read_only=True,
        help_text="HTML: an escaped passage with <mark> around matched words.",
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        # One flat object per case: the case's fields with the search's beside them.
        data = super().to_representation(instance)
        return {**data.pop("case"), **data}


class FacetValueSerializer(serializers.Serializer[Any]):
    value = serializers.CharField(help_text="Give it as the facet's parameter to filter by it.")
    label = serializers.CharField()  # type: ignore[assignment]  # as in CodeSerializer
    count = serializers.IntegerField(help_text="Cases matching the search with this value.")


class CaseListSerializer(serializers.Serializer[Any]):
    """One page of the case list (documentation of the shape only)."""

    count = serializers.IntegerField(help_text="Cases matching the search, on every page.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CaseHitSerializer(many=True)
    facets = serializers.DictField(
        child=FacetValueSerializer(many=True),
        help_text="For each facet, its values among the matching cases, with counts.",
    )
    facets_complete = serializers.BooleanField(
        help_text="False when the search matched so many cases that `facets` counts its best "
        "matches only."
    )
    suggestion = serializers.CharField(
        help_text='The query with misspelt words corrected (what the page offers as "Did you '
        'mean ...?"), or empty.'
    )
    corrected = serializers.BooleanField(
        help_text="True when the query as given matched nothing and the results are those of "
        "`suggestion`."
    )


class CaseIdentifierSerializer(serializers.ModelSerializer[CaseIdentifier]):
    scheme = serializers.ChoiceField(
        choices=CaseSource.choices, read_only=True, help_text="e.g. ipsx for IPS-X's id column."
    )

    class Meta:
        model = CaseIdentifier
        fields = ["scheme", "value"]
        read_only_fields = fields


class PartnerSerializer(serializers.ModelSerializer[CasePartner]):
    role = serializers.ChoiceField(choices=PartnerRole.choices, read_only=True)
    name = serializers.CharField(read_only=True)
    organisation = OrganisationReferenceSerializer(
        read_only=True, allow_null=True, help_text="Null when the registry does not know it."
    )

    class Meta:
        model = CasePartner
        fields = ["role", "name", "organisation"]
        read_only_fields = fields


class CostSerializer(serializers.ModelSerializer[CostItem]):
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, read_only=True)
    nature = BlankAsNullChoiceField(CostItem.Nature.choices, help_text="Null when not said.")

    class Meta:
        model = CostItem
        fields = ["description", "amount", "recurrence", "nature", "in_kind", "price_year"]
        read_only_fields = fields


class BenefitSerializer(serializers.ModelSerializer[BenefitItem]):
    kind = serializers.ChoiceField(choices=BenefitItem.Kind.choices, read_only=True)
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, read_only=True)

    class Meta:
        model = BenefitItem
        fields = [
            "description",
            "kind",
            "amount",
            "recurrence",
            "cashable",
            "price_year",
            "method",
        ]
        read_only_fields = fields


class AssetSerializer(serializers.ModelSerializer[Asset]):
    kind = serializers.ChoiceField(choices=Asset.Kind.choices, read_only=True)

    class Meta:
        model = Asset
        fields = ["kind", "title", "url", "licence"]
        read_only_fields = fields


class ProductSerializer(serializers.ModelSerializer[Product]):
    supplier = OrganisationReferenceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Product
        fields = ["name", "supplier", "supplier_name", "is_open_source"]
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer[Contact]):
    offers = serializers.SerializerMethodField(help_text="What the contact offers to do.")

    class Meta:
        model = Contact
        fields = ["name", "job_title", "email", "offers"]
        read_only_fields = fields

    @extend_schema_field(CodeSerializer(many=True))
    def get_offers(self, contact: Contact) -> list[dict[str, str]]:
        labels = dict(ContactOffer.choices)
        return [
            {"code": offer, "label": str(labels[offer])}
            for offer in contact.offers
            if offer in labels
        ]


class AdoptionSerializer(serializers.ModelSerializer[Adoption]):
    """One organisation's "we adopted this". Who recorded it is not shown: it is personal data."""

    adopter = OrganisationReferenceSerializer(read_only=True)
    status = CodeSerializer(read_only=True, help_text="considering, piloting, live or stopped.")
    case = CaseReferenceSerializer(read_only=True)
    url = serializers.SerializerMethodField(help_text="DELETE this to remove the adoption.")

    class Meta:
        model = Adoption
        fields = [
            "id",
            "case",
            "adopter",
            "status",
            "started_on",
            "cost",
            "annual_saving",
            "notes",
            "created_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, adoption: Adoption) -> str:
        return absolute_url(
            self.context, reverse("api_adoption_detail", kwargs={"id": adoption.pk})
        )


class RelationSerializer(serializers.ModelSerializer[CaseRelation]):
    """An edge of spread, read as "from_case <relation> to_case", e.g. B adapted A."""

    relation = CodeSerializer(read_only=True)
    from_case = CaseReferenceSerializer(read_only=True)
    to_case = CaseReferenceSerializer(read_only=True)
    confirmed_by_both = serializers.BooleanField(
        read_only=True, help_text="Both cases' people agree it happened; otherwise claimed by one."
    )
    url = serializers.SerializerMethodField(help_text="DELETE this to remove the relation.")

    class Meta:
        model = CaseRelation
        fields = [
            "id",
            "from_case",
            "relation",
            "to_case",
            "changes_made",
            "happened_on",
            "confirmed_by_both",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, relation: CaseRelation) -> str:
        return absolute_url(
            self.context, reverse("api_relation_detail", kwargs={"id": relation.pk})
        )


class SectionsSerializer(serializers.Serializer[Case]):
    """The write-up, as typed (Markdown where the writer used it); blank when not written."""

    problem = serializers.CharField(read_only=True)
    what_we_tried = serializers.CharField(source="what_was_done", read_only=True)
    results = serializers.CharField(read_only=True)
    what_did_not_work = serializers.CharField(read_only=True)
    conditions_for_success = serializers.CharField(read_only=True)
    what_to_adapt = serializers.CharField(read_only=True)
    lessons = serializers.CharField(read_only=True)


class TeamSerializer(serializers.Serializer[Case]):
    size_fte = serializers.DecimalField(
        source="team_size_fte", max_digits=6, decimal_places=1, read_only=True, allow_null=True
    )
    duration_weeks = serializers.IntegerField(read_only=True, allow_null=True)
    mix = serializers.CharField(source="team_mix", read_only=True)


class EvidenceSerializer(serializers.Serializer[Case]):
    level = _code(source="evidence_level", help_text="Nesta Standards of Evidence, 1 to 5.")
    assessed_by = _code(source="evidence_assessed_by")
    assessor_name = serializers.CharField(source="evidence_assessor_name", read_only=True)
    url = BlankAsNullURLField(source="evidence_url", help_text="The evaluation; null if none.")


class ProvenanceSerializer(serializers.Serializer[Case]):
    source = serializers.ChoiceField(choices=CaseSource.choices, read_only=True)  # type: ignore[assignment]  # as in CodeSerializer
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    source_url = BlankAsNullURLField(help_text="The record in its source; null if none.")
    source_catalogue = serializers.CharField(read_only=True)
    details = serializers.DictField(
        source="provenance", read_only=True, help_text="What the importer recorded, as it was."
    )


class CaseLinksSerializer(serializers.Serializer[Case]):
    self = serializers.SerializerMethodField()
    html = serializers.SerializerMethodField()
    similar = serializers.SerializerMethodField()
    adoptions = serializers.SerializerMethodField()
    relations = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_self(self, case: Case) -> str:
        return case_api_url(self.context, case)

    @extend_schema_field(serializers.URLField())
    def get_html(self, case: Case) -> str:
        return absolute_url(self.context, case.get_absolute_url())

    @extend_schema_field(serializers.URLField())
    def get_similar(self, case: Case) -> str:
        return case_api_url(self.context, case, "api_case_similar")

    @extend_schema_field(serializers.URLField())
    def get_adoptions(self, case: Case) -> str:
        return case_api_url(self.context, case, "api_case_adoptions")

    @extend_schema_field(serializers.URLField())
    def get_relations(self, case: Case) -> str:
        return case_api_url(self.context, case, "api_case_relations")


# Its docstring is the published description of CaseDetail in the schema, where it names the
# view by the module it had then (cases_views, now views.py): changing it changes the schema.
class CaseDetailSerializer(CaseSummarySerializer):
    """The whole record. Expects the context to carry `contacts`, `relations_out` and
    `relations_in`, already cut to what the viewer may see (cases_views.CaseDetail)."""

    language = serializers.CharField(read_only=True, help_text="ISO 639-1.")
    licence = serializers.CharField(read_only=True, help_text="SPDX identifier of the write-up.")
    archive_reason = serializers.CharField(read_only=True)
    lead_organisation_category = serializers.CharField(read_only=True)
    identifiers = CaseIdentifierSerializer(many=True, read_only=True)
    sections = SectionsSerializer(source="*", read_only=True)
    innovation_type = serializers.CharField(read_only=True)
    novelty = BlankAsNullChoiceField(Novelty.choices, help_text="Null when not said.")
    geographic_extent = BlankAsNullChoiceField(
        GeographicExtent.choices, help_text="Null when not said."
    )
    country_code = serializers.CharField(read_only=True, help_text="ISO 3166-1 alpha-2.")
    area_codes = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="ONS GSS codes of areas served."
    )
    area_description = serializers.CharField(read_only=True)
    end_year = serializers.IntegerField(read_only=True, allow_null=True)
    team = TeamSerializer(source="*", read_only=True)
    evidence = EvidenceSerializer(source="*", read_only=True)
    algorithmic_transparency_record_url = BlankAsNullURLField(
        help_text="Its Algorithmic Transparency Record; null when there is none."
    )
    partners = PartnerSerializer(many=True, read_only=True)
    costs = CostSerializer(many=True, read_only=True)
    benefits = BenefitSerializer(many=True, read_only=True)
    assets = AssetSerializer(many=True, read_only=True)
    products = ProductSerializer(many=True, read_only=True)
    contacts = serializers.SerializerMethodField(
        help_text="Contacts who chose to be public, and to a signed-in person every contact."
    )
    adoptions = serializers.SerializerMethodField()
    relations_out = serializers.SerializerMethodField(
        help_text="Relations from this case: this case adapted, forked... the other."
    )
    relations_in = serializers.SerializerMethodField(
        help_text="Relations to this case: the other case adapted, forked... this one."
    )
    provenance = ProvenanceSerializer(source="*", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_confirmed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When its owner last said it is up to date."
    )
    links = CaseLinksSerializer(source="*", read_only=True)

    @extend_schema_field(ContactSerializer(many=True))
    def get_contacts(self, case: Case) -> list[dict[str, Any]]:
        return list(ContactSerializer(self.context["contacts"], many=True).data)

    @extend_schema_field(AdoptionSerializer(many=True))
    def get_adoptions(self, case: Case) -> list[dict[str, Any]]:
        return list(AdoptionSerializer(case.adoptions.all(), many=True, context=self.context).data)

    @extend_schema_field(RelationSerializer(many=True))
    def get_relations_out(self, case: Case) -> list[dict[str, Any]]:
        relations = self.context["relations_out"]
        return list(RelationSerializer(relations, many=True, context=self.context).data)

    @extend_schema_field(RelationSerializer(many=True))
    def get_relations_in(self, case: Case) -> list[dict[str, Any]]:
        relations = self.context["relations_in"]
        return list(RelationSerializer(relations, many=True, context=self.context).data)


class SimilarCaseSerializer(serializers.Serializer[SimilarCase]):
    case = CaseSummarySerializer(read_only=True)
    score = serializers.FloatField(read_only=True, help_text="Similarity; higher is closer.")
    reasons = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Why it is similar, in plain English: 'Same service: Council tax collection'.",
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        return {**data.pop("case"), **data}


# --- Writes ------------------------------------------------------------------------------------


class AdoptionWriteSerializer(TextLimitsSerializerMixin, serializers.Serializer[Any]):
    organisation = serializers.SlugField(
        required=False,
        help_text=(
            "Slug of the adopting organisation, one you are a verified member of. May be left "
            "out when you are a member of just one organisation other than the case's lead."
        ),
    )
    status = serializers.SlugField(help_text="considering, piloting, live or stopped.")
    started_on = serializers.DateField(required=False, allow_null=True)
    cost = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="What it cost, in pounds.",
    )
    annual_saving = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Saving or benefit per year, in pounds.",
    )
    notes = optional_prose(max_length=2000)

    def validate_status(self, value: str) -> Code:
        found = Code.objects.filter(code_list__slug="adoption-status", code=value).first()
        if found is None:
            raise serializers.ValidationError(
                "Choose one of considering, piloting, live or stopped."
            )
        return found


class RelationWriteSerializer(TextLimitsSerializerMixin, serializers.Serializer[Any]):
    to_case = serializers.UUIDField(help_text="The id of the other case, which must be public.")
    relation = serializers.SlugField(
        help_text=(
            "How this case relates to the other: adopted-as-is, adapted, inspired-by, forked, "
            "joint-procurement, scaled-nationally or superseded-by."
        )
    )
    changes_made = optional_prose(max_length=4000)
    happened_on = serializers.DateField(required=False, allow_null=True)

    def validate_relation(self, value: str) -> Code:
        found = Code.objects.filter(code_list__slug="spread-relation", code=value).first()
        if found is None:
            raise serializers.ValidationError("Choose one of the kinds of relation listed.")
        return found
