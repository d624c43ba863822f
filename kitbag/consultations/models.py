"""Consultations: a document in numbered paragraphs, its versions, and the comments on it.

A `Consultation` belongs to an organisation in the registry. Its document is held as `Version`s,
each a list of `Paragraph` rows whose ids are stable across versions (anchoring.revise gives a
paragraph that descends from an earlier one its id). A `Comment` is made on one version and one
paragraph (optionally a quoted span of it, a W3C TextQuoteSelector); its anchor in the latest
version is stored on it each time a version is published (decision 0032).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kitbag.registry.models import Organisation


def new_key() -> str:
    """A short, unguessable, URL-safe id: paragraph and comment ids in pages and exports."""
    return secrets.token_hex(6)


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    RESPONSE_PUBLISHED = "response-published", _("Response published")


class ModerationMode(models.TextChoices):
    # Pre: a comment is shown once a moderator has let it through. Post: shown at once, and
    # hidden afterwards if it breaks the policy.
    PRE = "pre", _("Check comments before they are shown (pre-moderation)")
    POST = "post", _("Show comments at once and check them afterwards (post-moderation)")


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def public(self) -> ConsultationQuerySet:
        return self.exclude(status=ConsultationStatus.DRAFT)


class Consultation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    consulted = models.TextField(_("who is consulted"), max_length=1000, blank=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    status = models.CharField(
        max_length=24, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )
    questions = models.TextField(
        _("questions"), max_length=4000, blank=True, help_text=_("One question a line.")
    )
    contact = models.TextField(_("contact"), max_length=500, blank=True)
    moderation = models.CharField(
        max_length=8, choices=ModerationMode.choices, default=ModerationMode.POST
    )
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separated by commas.")
    )
    services = models.ManyToManyField(
        "vocabularies.Code", blank=True, related_name="consultations", verbose_name=_("services")
    )
    response = models.TextField(_("our response"), max_length=20000, blank=True)
    response_published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-created_at"]
        indexes = [models.Index(fields=["status", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:consultation_detail", args=[self.slug])

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    @property
    def is_draft(self) -> bool:
        return self.status == ConsultationStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == ConsultationStatus.OPEN


class Version(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    # The Markdown the version was made from, kept so a revision can start from it.
    source = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="consultation_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation} v{self.number}"


class ParagraphKind(models.TextChoices):
    HEADING = "heading", _("Heading")
    PARAGRAPH = "paragraph", _("Paragraph")


class Paragraph(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="paragraphs")
    key = models.CharField(max_length=32)  # stable across versions (anchoring.revise)
    position = models.PositiveIntegerField()  # 1, 2, 3...: "paragraph N" in the version
    kind = models.CharField(max_length=12, choices=ParagraphKind.choices)
    text = models.TextField()  # the block's Markdown, heading marks removed for headings
    level = models.PositiveSmallIntegerField(default=0)  # 1-3 for a heading

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="paragraph_key_unique"),
            models.UniqueConstraint(
                fields=["version", "position"], name="paragraph_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} ¶{self.position}"

    @property
    def markdown(self) -> str:
        """The block as it was written (a heading with its marks), for revisions and exports."""
        if self.kind == ParagraphKind.HEADING:
            return "#" * max(1, self.level) + " " + self.text
        return self.text


class CommentState(models.TextChoices):
    VISIBLE = "visible", _("Shown")
    PENDING = "pending", _("Waiting for a moderator")
    HIDDEN = "hidden", _("Hidden by a moderator")


class AnchorStatus(models.TextChoices):
    UNCHANGED = "unchanged", _("Unchanged")
    EDITED = "edited", _("Changed since this comment")
    REMOVED = "removed", _("Removed")


class CommentQuerySet(models.QuerySet["Comment"]):
    def shown(self) -> CommentQuerySet:
        return self.filter(state=CommentState.VISIBLE)

    def top_level(self) -> CommentQuerySet:
        return self.filter(parent__isnull=True)


MAX_DEPTH = 2  # a comment, a reply, a reply to that: three levels


class Comment(models.Model):
    key = models.CharField(max_length=64, unique=True, default=new_key)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="comments")
    paragraph_key = models.CharField(max_length=32)
    quote_exact = models.TextField(blank=True)
    quote_prefix = models.CharField(max_length=200, blank=True)
    quote_suffix = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_comments",
    )
    # Imported comments have no account: their author's name as the source gave it.
    imported_author = models.CharField(max_length=120, blank=True)
    display_name = models.CharField(_("your name as shown"), max_length=80)
    is_official = models.BooleanField(default=False)
    official_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An official response may point at the version that changed because of it.
    changed_in_version = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField()
    state = models.CharField(
        max_length=8, choices=CommentState.choices, default=CommentState.VISIBLE, db_index=True
    )
    moderation_reason = models.TextField(blank=True)
    redacted = models.BooleanField(default=False)
    # Where a top-level comment sits in the latest published version (decision 0032).
    anchor_version = models.PositiveIntegerField(null=True, blank=True)
    anchor_paragraph = models.CharField(max_length=32, blank=True)
    anchor_status = models.CharField(max_length=12, choices=AnchorStatus.choices, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["consultation", "state", "created_at"]),
            models.Index(fields=["consultation", "anchor_paragraph"]),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}: {self.text[:40]}"

    @property
    def has_quote(self) -> bool:
        return bool(self.quote_exact)


class Participant(models.Model):
    """A person's standing choices for commenting: the name shown, and consent asked once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_participant"
    )
    display_name = models.CharField(max_length=80)
    consented_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.display_name


class CommentFlag(models.Model):
    """A reader telling the moderators a comment may break the policy."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"flag on {self.comment_id}"


# --- Elsewhere: posts about a consultation on blogs, news sites and by Webmention ---------------


class SourceKind(models.TextChoices):
    FEED = "feed", _("A blog or news feed (RSS or Atom)")
    PAGE = "page", _("A single web page")


class ElsewhereSource(models.Model):
    """A feed or page the consultation's officials asked Kitbag to read."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="elsewhere_sources"
    )
    kind = models.CharField(max_length=8, choices=SourceKind.choices)
    url = models.URLField(max_length=1000)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the last fetch gave back, for a conditional request next time.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "url"], name="elsewhere_source_unique")
        ]

    def __str__(self) -> str:
        return self.url


class PostVia(models.TextChoices):
    FEED = "feed", _("Feed")
    PAGE = "page", _("Page")
    WEBMENTION = "webmention", _("Webmention")


class ElsewherePost(models.Model):
    """A post about the consultation somewhere else: title, author, date, a plain excerpt."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="elsewhere_posts"
    )
    source = models.ForeignKey(
        ElsewhereSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    via = models.CharField(max_length=12, choices=PostVia.choices)
    url = models.URLField(max_length=1000)
    title = models.CharField(max_length=300, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    excerpt = models.TextField(blank=True)  # plain text (elsewhere.py strips every tag)
    # Webmentions wait for a moderator; posts from the officials' own sources are shown.
    state = models.CharField(
        max_length=8, choices=CommentState.choices, default=CommentState.VISIBLE
    )
    answered_url = models.URLField(max_length=1000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "url"], name="elsewhere_post_unique")
        ]

    def __str__(self) -> str:
        return self.title or self.url
