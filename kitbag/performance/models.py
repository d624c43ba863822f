"""Partnerships, their outcomes and indicators, and observations with provenance on each.

Observations are either imported from a published source (public, provenance to the import run,
file and row) or entered by a partner (provenance to the person; draft, approved, published by
the owning organisation; visible as the narrowest of the figure's, the indicator's and the
partnership's settings). Who may see what is decided in ``permissions.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kitbag.core.models import ImportRun
from kitbag.performance.statistics import Polarity as StatPolarity
from kitbag.registry.models import Organisation


class Source(models.TextChoices):
    OFLOG = "oflog", _("Oflog adult social care metrics")
    LGBF = "lgbf", _("Local Government Benchmarking Framework (Scotland)")
    PARTNERSHIP = "partnership", _("Defined by a partnership")


# Sources whose figures Kitbag imports only to evaluate itself: shown on pages labelled so, never
# served as files or through the API (the publishers' licences and our own word say so).
EVALUATION_ONLY_SOURCES = frozenset({Source.OFLOG, Source.LGBF})


class Visibility(models.TextChoices):
    """Who may see a partnership, an indicator or a figure; ordered from widest to narrowest."""

    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Partners only")
    ORGANISATION = "organisation", _("One organisation only")


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    OBSERVER = "observer", _("Observer")


class SignOff(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Partnership(models.Model):
    """Organisations working together toward shared outcomes for an area."""

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, help_text=_("Markdown."))
    area_gss = models.JSONField(
        default=list, blank=True, help_text=_("GSS codes of the areas the partnership covers.")
    )
    area_description = models.CharField(max_length=255, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_partnerships",
    )
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # The one organisation that may see it when visibility is ORGANISATION (usually the lead).
    visible_to_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    embargo_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipMember(models.Model):
    """An organisation's membership of a partnership; left_on set when it leaves (kept for history)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnership_memberships"
    )
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.PARTNER)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=models.Q(left_on__isnull=True),
                name="partnership_member_unique_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership} ({self.role})"


class Outcome(models.Model):
    """A population result the partnership works toward for an area."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=120)
    description = models.TextField(blank=True, help_text=_("Markdown."))
    area_gss = models.JSONField(default=list, blank=True)
    area_description = models.CharField(max_length=255, blank=True)
    indicators: models.ManyToManyField[Indicator, OutcomeIndicator] = models.ManyToManyField(
        "Indicator", through="OutcomeIndicator", related_name="outcomes", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="outcome_unique_partnership_slug"
            )
        ]

    def __str__(self) -> str:
        return self.title


class OutcomeIndicator(models.Model):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE)
    indicator = models.ForeignKey("Indicator", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["outcome", "position", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "indicator"], name="outcome_indicator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.outcome_id} -> {self.indicator_id}"


class Polarity(models.TextChoices):
    HIGHER_BETTER = StatPolarity.HIGHER_BETTER.value, _("Higher is better")
    LOWER_BETTER = StatPolarity.LOWER_BETTER.value, _("Lower is better")
    MIDPOINT = StatPolarity.MIDPOINT.value, _("Closest to a midpoint is best")
    CONTEXTUAL = StatPolarity.CONTEXTUAL.value, _("Contextual (neither better nor worse)")


class FamilyType(models.TextChoices):
    """The LGBF's two family-group partitions; which one an indicator uses is taken from the data."""

    NONE = "", _("None")
    RURALITY = "rurality", _("Rurality (environmental, culture, economic, corporate)")
    DEPRIVATION = "deprivation", _("Deprivation (children, social work, housing)")


class Indicator(models.Model):
    source = models.CharField(max_length=16, choices=Source.choices, db_index=True)
    code = models.CharField(max_length=32, help_text=_("The source's code, e.g. ASC1 or C&L01."))
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    definition = models.TextField(blank=True)
    category = models.CharField(max_length=128, blank=True)
    unit = models.CharField(max_length=64, blank=True)
    is_percentage = models.BooleanField(
        default=False, help_text=_("Changes are in points, not as a share of the previous value.")
    )
    show_as_percent = models.BooleanField(
        default=False, help_text=_("Stored as a fraction (0.42), shown as a percentage (42%).")
    )
    polarity = models.CharField(max_length=16, choices=Polarity.choices)
    midpoint = models.FloatField(null=True, blank=True)
    decimal_places = models.PositiveSmallIntegerField(default=1)
    numerator_label = models.CharField(max_length=255, blank=True)
    denominator_label = models.CharField(max_length=255, blank=True)
    numerator_multiplier = models.FloatField(default=1.0)
    denominator_multiplier = models.FloatField(default=1.0)
    family_type = models.CharField(
        max_length=16, choices=FamilyType.choices, blank=True, default=FamilyType.NONE
    )
    licence = models.CharField(max_length=255, blank=True)
    source_note = models.TextField(blank=True, help_text=_("The source's own methodology text."))
    # Partnership-defined indicators: who defined them, where the figures come from, who sees them.
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
    )
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_name = models.CharField(
        max_length=255, blank=True, help_text=_("Where the figures come from, in words.")
    )
    source_url = models.URLField(max_length=500, blank=True)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    embargo_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["source", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "code"],
                condition=models.Q(partnership__isnull=True),
                name="indicator_unique_source_code",
            ),
            models.UniqueConstraint(
                fields=["partnership", "code"],
                condition=models.Q(partnership__isnull=False),
                name="indicator_unique_partnership_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_evaluation_only(self) -> bool:
        return self.source in EVALUATION_ONLY_SOURCES


class Status(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    FINAL = "final", _("Final")
    REVISED = "revised", _("Revised")
    SUSPECT = "suspect", _("Suspect")


class Observation(models.Model):
    """One value of one indicator for one body (or for the nation) in one period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    # The body the figure is about; blank for a figure about an area (then gss says which).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="performance_observations",
    )
    gss = models.CharField(max_length=16, blank=True, db_index=True)
    period = models.CharField(
        max_length=32, help_text=_("An ISO 8601 interval, e.g. 2016-04-01/P1Y.")
    )
    period_label = models.CharField(max_length=16, help_text=_("The source's label, e.g. 2016-17."))
    period_start = models.DateField()
    value = models.FloatField(null=True, blank=True, help_text=_("Blank when the source has none."))
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FINAL)
    status_reason = models.CharField(max_length=255, blank=True)
    # What the source published beside the value, kept to compare Kitbag's own figures with.
    published_median = models.FloatField(null=True, blank=True)
    published_mads = models.FloatField(null=True, blank=True)
    published_group_average = models.FloatField(null=True, blank=True)
    # The LGBF repeats its Scotland figure on every council's row; kept per row because the
    # source is not always consistent within a code-year.
    published_national = models.FloatField(null=True, blank=True)
    published_national_numerator = models.FloatField(null=True, blank=True)
    published_national_denominator = models.FloatField(null=True, blank=True)
    family_group = models.CharField(max_length=32, blank=True)
    council_type = models.CharField(max_length=64, blank=True)
    # Provenance: the run that wrote the value, and where it is in the source (imported figures),
    # or the person who entered it (partners' figures: import_run is null).
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_file = models.CharField(max_length=255, blank=True)
    source_row = models.PositiveIntegerField(null=True, blank=True)
    upload = models.ForeignKey(
        "FigureUpload",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    period_end = models.DateField(null=True, blank=True)
    # Sign-off and visibility of partners' figures. Imported figures are published and public.
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_performance_observations",
    )
    sign_off = models.CharField(
        max_length=16, choices=SignOff.choices, default=SignOff.PUBLISHED, db_index=True
    )
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    embargo_until = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # "org:<pk>" or "gss:<code>": one entered figure per subject, indicator and period.
    subject_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["indicator", "period_start", "gss"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "gss", "period_label"],
                condition=models.Q(import_run__isnull=False),
                name="observation_unique_key",
            ),
            models.UniqueConstraint(
                fields=["indicator", "subject_key", "period"],
                condition=models.Q(import_run__isnull=True),
                name="observation_unique_entered",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "period_start"]),
            models.Index(fields=["organisation", "indicator"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.gss} {self.period_label}: {self.value}"

    @property
    def body(self) -> Organisation:
        """The body an imported figure is about (every imported figure has one)."""
        if self.organisation is None:
            raise ValueError(f"figure {self.pk} is about an area, not a body")
        return self.organisation


class FigureUpload(models.Model):
    """One CSV file of figures a partner uploaded; the same file twice is recognised by its hash."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="uploads")
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "owner_organisation", "sha256"],
                name="figure_upload_unique_file",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.row_count} rows)"


class Target(models.Model):
    """What the owner of a partnership indicator aims for, for one body or area in one period:
    drawn on the series beside the straight-line trend ("turn the curve")."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    # The body the target is about; blank for an area (then gss says which).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gss = models.CharField(max_length=16, blank=True)
    period = models.CharField(max_length=32, help_text=_("An ISO 8601 interval."))
    period_label = models.CharField(max_length=16)
    period_start = models.DateField()
    value = models.FloatField()
    note = models.TextField(blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period"],
                condition=models.Q(organisation__isnull=False),
                name="target_unique_organisation_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "gss", "period"],
                condition=models.Q(organisation__isnull=True),
                name="target_unique_area_period",
            ),
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, gss="")
                | models.Q(organisation__isnull=True) & ~models.Q(gss=""),
                name="target_organisation_or_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} target {self.period_label}: {self.value}"


class GroupVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    ORGANISATION = "organisation", _("Only the owning organisation")


class ComparisonGroup(models.Model):
    """A named set of councils a person chose to compare an indicator within, beside the built-in
    groups (nation, council type, LGBF family group): the same statistics, computed within it."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="comparison_groups"
    )
    visibility = models.CharField(
        max_length=16, choices=GroupVisibility.choices, default=GroupVisibility.PUBLIC
    )
    councils: models.ManyToManyField[Organisation, Any] = models.ManyToManyField(
        Organisation, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
