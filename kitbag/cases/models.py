"""Innovation cases: what a public body tried, what it cost, what it showed, and who took it further.

A case has a small required core (title, summary, lead organisation, phase, operational status and a
service or sector) and structured optional fields from docs/reference/case-record.md. Controlled
vocabularies are `vocabularies.Code` rows (decision 13). Spread is modelled as edges: `CaseRelation`
between cases and light `Adoption` records of an organisation taking a case on.

Writes go through `services.py` (workflow, revisions, search index); reads through `queries.py`;
who may see what through `permissions.py`.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, Final

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kitbag.core.json_shapes import GSS_CODES, PROVENANCE, check_json_fields, choice_list
from kitbag.registry.models import Organisation
from kitbag.vocabularies.models import Code

# A case's summary, once it goes to review, is short enough to read in a list.
SUMMARY_MAX_WORDS: Final = 60


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in-review", _("In review")
    PUBLISHED = "published", _("Published")
    NEEDS_UPDATE = "needs-update", _("Needs update")
    ARCHIVED = "archived", _("Archived")


# Seen by the public: a case that needs an update is still the best record there is, and an
# archived one stays readable (marked as archived) so links and lineage keep working.
PUBLIC_STATUSES = (RecordStatus.PUBLISHED, RecordStatus.NEEDS_UPDATE, RecordStatus.ARCHIVED)


class RecordType(models.TextChoices):
    CASE_STUDY = "case-study", _("Case study")
    PIPELINE = "pipeline", _("Pipeline project (planned or in flight)")
    TOOL = "tool", _("Tool or toolkit")
    EVALUATION = "evaluation", _("Evaluation")
    ASSET = "asset", _("Output or asset")


class GeographicExtent(models.TextChoices):
    LOCAL = "local", _("Local")
    SUB_REGIONAL = "sub-regional", _("Sub-regional or combined authority")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    CROSS_BORDER = "cross-border", _("Across countries")


class Novelty(models.TextChoices):
    ORGANISATION = "organisation", _("New to this organisation")
    UK_PUBLIC_SECTOR = "uk-public-sector", _("New to the UK public sector")
    INTERNATIONAL = "international", _("New internationally")


class CaseSource(models.TextChoices):
    KITBAG = "kitbag", _("Written on Kitbag")
    IPSX = "ipsx", _("Innovative Public Services Explorer (EU JRC)")
    ATRS = "atrs", _("Algorithmic Transparency Recording Standard (GOV.UK)")


class CaseQuerySet(models.QuerySet["Case"]):
    def public(self) -> CaseQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES)

    def published(self) -> CaseQuerySet:
        """Live records: published or flagged for an update, not archived."""
        return self.filter(status__in=(RecordStatus.PUBLISHED, RecordStatus.NEEDS_UPDATE))

    def led_by(self, organisation: Organisation) -> CaseQuerySet:
        return self.filter(lead_organisation=organisation)


def _code(list_slug: str, related_name: str, verbose_name: str) -> models.ForeignKey[Code | None]:
    return models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        limit_choices_to={"code_list__slug": list_slug},
        verbose_name=verbose_name,
    )


# The shape of each JSON field of a case that forms or importers fill, checked before it is saved.
CASE_JSON_SHAPES: Final = {"area_codes": GSS_CODES, "provenance": PROVENANCE}


class Case(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=200, unique=True)
    record_type = models.CharField(
        max_length=16, choices=RecordType.choices, default=RecordType.CASE_STUDY
    )
    title = models.CharField(max_length=255)
    summary = models.TextField(help_text=_("At most 60 words."))
    language = models.CharField(max_length=8, default="en", help_text=_("ISO 639-1."))
    licence = models.CharField(
        max_length=64, default="OGL-UK-3.0", help_text=_("SPDX identifier of the write-up.")
    )

    # Exactly one lead. An imported case whose lead the registry does not know keeps the name as
    # given, so nothing is lost and the import report can list it.
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="led_cases"
    )
    lead_organisation_name = models.CharField(
        max_length=255, blank=True, help_text=_("The lead as the source named it.")
    )
    lead_organisation_category = models.CharField(
        max_length=64, blank=True, help_text=_("The source's category of the lead organisation.")
    )

    status = models.CharField(
        max_length=16, choices=RecordStatus.choices, default=RecordStatus.DRAFT, db_index=True
    )
    archive_reason = models.TextField(blank=True)

    # Body sections.
    problem = models.TextField(blank=True)
    what_was_done = models.TextField(_("what we tried"), blank=True)
    results = models.TextField(blank=True)
    what_did_not_work = models.TextField(_("what did not work"), blank=True)
    conditions_for_success = models.TextField(blank=True)
    what_to_adapt = models.TextField(blank=True)
    lessons = models.TextField(blank=True)

    # Service, sector, lifecycle.
    services = models.ManyToManyField(
        Code,
        blank=True,
        related_name="cases_for_service",
        limit_choices_to={"code_list__slug": "lgsl-services"},
        help_text=_("Services from the Local Government Service List."),
    )
    # LGSL services carry no link to their function in the list we have (decision 13), so a case
    # names its service areas too: functions form the two-level hierarchy used to browse.
    functions = models.ManyToManyField(
        Code,
        blank=True,
        related_name="cases_for_function",
        limit_choices_to={"code_list__slug": "lgsl-functions"},
        help_text=_("Service areas (LGA functions) from the Local Government Service List."),
    )
    sector = _code("cofog", "cases_in_sector", "sector (COFOG)")
    technologies = models.ManyToManyField(
        Code,
        blank=True,
        related_name="cases_using_technology",
        limit_choices_to={"code_list__slug": "technology"},
    )
    innovation_type = models.CharField(
        max_length=128, blank=True, help_text=_("e.g. the IPS-X type of the service.")
    )
    novelty = models.CharField(max_length=24, choices=Novelty.choices, blank=True)
    phase = _code("govuk-phase", "cases_in_phase", "phase")
    operational_status = _code("operational-status", "cases_with_status", "operational status")

    # Geography.
    geographic_extent = models.CharField(
        max_length=16, choices=GeographicExtent.choices, blank=True
    )
    country_code = models.CharField(
        max_length=2, blank=True, default="GB", help_text=_("ISO 3166-1 alpha-2.")
    )
    area_codes = models.JSONField(
        default=list, blank=True, help_text=_("ONS GSS codes of the areas served.")
    )
    area_description = models.CharField(max_length=255, blank=True)

    # Dates and team.
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    team_size_fte = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    duration_weeks = models.PositiveIntegerField(null=True, blank=True)
    team_mix = models.CharField(
        max_length=255, blank=True, help_text=_("In-house and supplier mix.")
    )

    # Evidence and outcome.
    evidence_level = _code("nesta-evidence", "cases_at_evidence_level", "evidence level (Nesta)")
    evidence_assessed_by = _code("evidence-assessed-by", "cases_assessed_by", "assessed by")
    evidence_assessor_name = models.CharField(max_length=255, blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    outcome = _code("outcome-label", "cases_with_outcome", "outcome")

    algorithmic_transparency_record_url = models.URLField(
        _("Algorithmic Transparency Record"), max_length=500, blank=True
    )

    # Provenance: where an imported record came from.
    source = models.CharField(max_length=16, choices=CaseSource.choices, default=CaseSource.KITBAG)
    source_url = models.URLField(max_length=1000, blank=True)
    source_catalogue = models.CharField(max_length=255, blank=True)
    provenance = models.JSONField(default=dict, blank=True)

    # People and keeping the record alive.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_cases",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    last_confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="confirmed_cases",
    )
    stale_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Forms and importers check these first and say where; this is the last word.
        check_json_fields(self, CASE_JSON_SHAPES)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def lead_name(self) -> str:
        if self.lead_organisation is not None:
            return self.lead_organisation.name
        return self.lead_organisation_name


class CaseIdentifier(models.Model):
    """A case's identifier in another catalogue (IPS-X `id`, ATRS record URL slug...)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=16, choices=CaseSource.choices)
    value = models.CharField(max_length=255)

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="unique_case_identifier")
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


class PartnerRole(models.TextChoices):
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    SUPPLIER = "supplier", _("Supplier")
    EVALUATOR = "evaluator", _("Evaluator")


class CasePartner(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="partnerships"
    )
    organisation_name = models.CharField(
        max_length=255, blank=True, help_text=_("When the organisation is not in the registry.")
    )
    role = models.CharField(max_length=16, choices=PartnerRole.choices, default=PartnerRole.PARTNER)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(organisation_name=""),
                name="case_partner_named",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation else self.organisation_name


class Recurrence(models.TextChoices):
    ONE_OFF = "one-off", _("One-off")
    PER_YEAR = "per-year", _("Recurring, per year")


class CostItem(models.Model):
    """One itemised cost, after the Green Book: amount, price year, capital or revenue."""

    class Nature(models.TextChoices):
        CAPITAL = "capital", _("Capital")
        REVENUE = "revenue", _("Revenue")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="costs")
    description = models.CharField(max_length=255)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    recurrence = models.CharField(
        max_length=16, choices=Recurrence.choices, default=Recurrence.ONE_OFF
    )
    nature = models.CharField(max_length=16, choices=Nature.choices, blank=True)
    in_kind = models.BooleanField(default=False)
    price_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.description}: £{self.amount}"


class BenefitItem(models.Model):
    """One itemised benefit: a saving or value, cashable or not, with how it was worked out."""

    class Kind(models.TextChoices):
        FISCAL = "fiscal", _("Fiscal (saving to the public purse)")
        ECONOMIC = "economic", _("Economic")
        SOCIAL = "social", _("Social")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="benefits")
    description = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FISCAL)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    recurrence = models.CharField(
        max_length=16, choices=Recurrence.choices, default=Recurrence.PER_YEAR
    )
    # None is "not said", which is not the same as "not cashable".
    cashable = models.BooleanField(null=True, blank=True)
    price_year = models.PositiveSmallIntegerField(null=True, blank=True)
    method = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.description}: £{self.amount}"


class Asset(models.Model):
    class Kind(models.TextChoices):
        CODE = "code", _("Code")
        DESIGN = "design", _("Design pattern")
        RESEARCH = "research", _("User research")
        BUSINESS_CASE = "business-case", _("Business or benefits case")
        PROCUREMENT = "procurement", _("Procurement documents")
        TRAINING = "training", _("Training")
        TOOLKIT = "toolkit", _("Toolkit")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=255)
    url = models.URLField(max_length=1000)
    licence = models.CharField(max_length=64, blank=True, help_text=_("SPDX identifier."))

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class Product(models.Model):
    """A product or platform the case used, so councils can find peers on the same one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(max_length=255)
    supplier = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="products"
    )
    supplier_name = models.CharField(max_length=255, blank=True)
    is_open_source = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactOffer(models.TextChoices):
    SHARE_IDEAS = "share-ideas", _("Share ideas")
    TALK = "talk", _("Open to a conversation")
    SHARE_CODE = "share-code", _("Share code and assets")
    JOINT_PROCUREMENT = "joint-procurement", _("Share funding or procure jointly")
    HOST_VISIT = "host-visit", _("Host a visit")


# What a contact offers, as the form's checkboxes give it (kitbag/core/json_shapes.py).
OFFERS = choice_list(ContactOffer.values, description="a list of ContactOffer values")
CONTACT_JSON_SHAPES: Final = {"offers": OFFERS}


class Contact(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="case_contacts",
    )
    name = models.CharField(max_length=255)
    job_title = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)
    offers = models.JSONField(default=list, blank=True, help_text=_("ContactOffer values."))
    # Shown to signed-in people only unless the contact chose to be public.
    is_public = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        check_json_fields(self, CONTACT_JSON_SHAPES)
        super().save(*args, **kwargs)

    def offer_labels(self) -> list[str]:
        labels = dict(ContactOffer.choices)
        return [str(labels[offer]) for offer in self.offers if offer in labels]


class CaseRelation(models.Model):
    """An edge of spread: `from_case` <relation> `to_case`, e.g. B adapted A."""

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relations_out")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relations_in")
    relation = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="case_relations",
        limit_choices_to={"code_list__slug": "spread-relation"},
    )
    changes_made = models.TextField(blank=True, help_text=_("What changed on the way."))
    happened_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_case_relations",
    )
    # Both cases' owners agree it happened; until then it is shown as claimed by one side.
    confirmed_by_both = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_case", "to_case", "relation"], name="unique_case_relation"
            ),
            models.CheckConstraint(
                condition=~Q(from_case=models.F("to_case")), name="case_relation_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_case} {self.relation.code} {self.to_case}"


class Adoption(models.Model):
    """ "We adopted this": an organisation taking a case on, in a few fields, without a full case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="adoptions")
    adopter = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="adoptions")
    status = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="adoptions",
        limit_choices_to={"code_list__slug": "adoption-status"},
    )
    started_on = models.DateField(null=True, blank=True)
    cost = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("What it cost, £.")
    )
    annual_saving = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Saving or benefit per year, £."),
    )
    notes = models.TextField(blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoption_contacts",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_adoptions",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "adopter"], name="one_adoption_per_adopter")
        ]

    def __str__(self) -> str:
        return f"{self.adopter} adopted {self.case} ({self.status.code})"


class CaseRevision(models.Model):
    """One saved state of a case: a JSON snapshot of its fields, so any two can be compared.

    Written by `services.record_revision` after every change; never edited afterwards.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_revisions",
    )
    status = models.CharField(max_length=16, choices=RecordStatus.choices)
    change_summary = models.CharField(max_length=255, blank=True)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["case", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="unique_case_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.case} r{self.number}"


ZERO = Decimal("0")
