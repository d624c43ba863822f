"""Projects that partners run toward shared outcomes, their milestones, councillors' questions
and the owners' answers, and suggested duplicates with the person's decision on each.

The partnership, its members and outcomes are kitbag.performance's; this app only refers to them.
Who may see or change what is decided in ``permissions.py``; the RAG rating is computed by the
pure ``rag.py`` from the fields here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kitbag.performance.models import Outcome, Partnership, Visibility
from kitbag.registry.models import Organisation
from kitbag.vocabularies.models import Code


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")


class Rating(models.TextChoices):
    RED = "red", _("Red")
    AMBER = "amber", _("Amber")
    GREEN = "green", _("Green")


class Project(models.Model):
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, help_text=_("Markdown."))
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="owned_projects"
    )
    partner_organisations = models.ManyToManyField(
        Organisation, related_name="partner_projects", blank=True
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    outcomes = models.ManyToManyField(Outcome, related_name="projects", blank=True)
    services = models.ManyToManyField(
        Code,
        related_name="projects",
        blank=True,
        limit_choices_to={"code_list__slug": "lgsl-services"},
    )
    area_gss = models.JSONField(default=list, blank=True, help_text=_("GSS codes of the area."))
    status = models.CharField(
        max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    spend_to_date = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    start_on = models.DateField(null=True, blank=True)
    end_on = models.DateField(null=True, blank=True)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PARTNERS
    )
    # Shown on the partnership's councillor oversight page.
    is_priority = models.BooleanField(default=False)
    # A person's rating over the computed one, always with why, who and when.
    rag_override = models.CharField(max_length=8, choices=Rating.choices, blank=True)
    rag_override_reason = models.TextField(blank=True)
    rag_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rag_override_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when this project was combined into another: it is kept for the audit trail (never
    # deleted), left out of every list, and its page sends the reader on to the one that stayed.
    combined_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="combined_from"
    )
    combined_at = models.DateTimeField(null=True, blank=True)
    combined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rag_override="") | ~models.Q(rag_override_reason=""),
                name="project_override_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(combined_into=models.F("pk")),
                name="project_not_combined_into_itself",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", kwargs={"slug": self.slug})


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=255)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["project", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due_on})"


class Councillor(models.Model):
    """A person named by a partnership's coordinator as one of its councillors: they see its
    partners-only projects and ask questions about them on the oversight page."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="councillors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="councillor_roles"
    )
    # The council they sit on, shown beside their questions.
    council = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="councillor_unique_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.partnership}"


class Question(models.Model):
    """A councillor's question about a project and the owner organisation's answer; seen by
    whoever may see the project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "asked_at", "pk"]

    def __str__(self) -> str:
        return f"Question {self.pk} on {self.project_id}"


class SuggestionState(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    COMBINE = "combine", _("Combine: the same work")
    RELATED = "related", _("Related: keep both, work together")
    NOT_RELATED = "not_related", _("Not related")


class FoundBy(models.TextChoices):
    WRITING = "writing", _("When a project was written")
    NIGHTLY = "nightly", _("The nightly check")


class DuplicateSuggestion(models.Model):
    """Two projects that may be the same or overlapping work; one row per pair, ever, so a pair a
    person has decided on is never suggested again (first is the lower primary key)."""

    first = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    found_by = models.CharField(max_length=16, choices=FoundBy.choices)
    state = models.CharField(
        max_length=16, choices=SuggestionState.choices, default=SuggestionState.OPEN
    )
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="duplicate_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.state})"
