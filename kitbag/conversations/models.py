"""Conversations: statements, agree / disagree / pass votes, and stored opinion-group analyses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Moderation(models.TextChoices):
    # Strict: participants' statements wait for approval; permissive: shown at once, hideable.
    STRICT = "strict", _("Strict: shown after approval")
    PERMISSIVE = "permissive", _("Permissive: shown at once, can be hidden")


class AnalysisMode(models.TextChoices):
    POLIS = "polis", _("Polis-faithful")
    IMPROVED = "improved", _("Improved: reproducible from the votes alone")


class Conversation(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=255)
    question = models.TextField(_("opening question"), blank=True)
    owner = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
        help_text=_("Blank for conversations imported from elsewhere."),
    )
    # The consultation this conversation is part of, if any (same owner; decision 0039).
    consultation = models.ForeignKey(
        "consultations.Consultation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    moderation = models.CharField(
        max_length=16, choices=Moderation.choices, default=Moderation.STRICT
    )
    allow_anonymous = models.BooleanField(default=True)
    max_statement_length = models.PositiveIntegerField(default=140)
    analysis_mode = models.CharField(
        max_length=16, choices=AnalysisMode.choices, default=AnalysisMode.POLIS
    )
    # Where an imported conversation came from, and the credit its licence asks for.
    source_url = models.URLField(blank=True)
    attribution = models.TextField(blank=True)
    source_fingerprint = models.CharField(max_length=64, blank=True)
    # participants-votes.csv `group-id` of an imported conversation: for comparison only.
    published_groups = models.JSONField(default=dict, blank=True)
    analysis_wanted = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A closed conversation keeps its statements, votes and groups but takes no more of either.
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conversations:detail", args=[self.slug])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class StatementState(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Shown")
    HIDDEN = "hidden", _("Hidden by a moderator")


# Polis's `moderated` column: 1 shown, 0 unmoderated, -1 moderated out.
POLIS_MODERATED = {StatementState.APPROVED: 1, StatementState.PENDING: 0, StatementState.HIDDEN: -1}


class Statement(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    # Polis's comment-id: numbered from 0 within the conversation.
    number = models.PositiveIntegerField()
    text = models.TextField()
    author = models.ForeignKey(
        "Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_seed = models.BooleanField(default=False)
    # About the participant ("I am 15-19"), not an opinion: zeroed in the analysis, asked first.
    is_meta = models.BooleanField(default=False)
    state = models.CharField(
        max_length=16, choices=StatementState.choices, default=StatementState.PENDING
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["conversation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="statement_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    # Polis's voter-id / participant: numbered from 0 within the conversation.
    number = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # The participant cookie of someone taking part without signing in.
    anonymous_id = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="participant_number_unique"
            ),
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=models.Q(user__isnull=False),
                name="participant_user_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"participant {self.number}"


class Vote(models.Model):
    AGREE, PASS, DISAGREE = 1, 0, -1
    VALUES = ((AGREE, _("Agree")), (DISAGREE, _("Disagree")), (PASS, _("Pass / unsure")))

    # Denormalised so the analysis reads one conversation's votes as arrays from one index.
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    # agree = +1, disagree = -1, pass = 0 (Polis's openData convention); the latest vote counts.
    value = models.SmallIntegerField(choices=VALUES)
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="vote_once"),
            models.CheckConstraint(
                condition=models.Q(value__in=[-1, 0, 1]), name="vote_value_in_range"
            ),
        ]
        indexes = [models.Index(fields=["conversation", "cast_at"], name="vote_conv_time")]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.statement_id}: {self.value}"


class AnalysisRun(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="analysis_runs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # SHA-256 of the matrix, statement flags, parameters, previous state and code version.
    fingerprint = models.CharField(max_length=64)
    mode = models.CharField(max_length=16, choices=AnalysisMode.choices)
    parameters = models.JSONField(default=dict)
    code_version = models.CharField(max_length=32)
    silhouettes = models.JSONField(default=dict)
    k = models.PositiveSmallIntegerField(null=True)
    k_reason = models.TextField(blank=True)
    # What the next run starts from (in-conv set, components, clusterings, k-smoother).
    state = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    n_votes = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self) -> str:
        return f"analysis of {self.conversation_id} at {self.created_at:%Y-%m-%d %H:%M}"
