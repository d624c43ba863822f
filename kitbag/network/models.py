"""What a person offers others, and the messages and mentoring requests sent to them through Kitbag.

The public profile itself (name, role, organisation, "what I can help with", and the choice to be
public) is `accounts.Profile`; this app keeps what only the network needs beside it, keyed by the
person. Messages are stored so that the relay is logged and a report can be judged; email
addresses are never stored here: they are looked up from the accounts at sending time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kitbag.vocabularies.models import Code

MAX_FREE_TAGS = 12
MAX_TAG_LENGTH = 40


class Offer(models.TextChoices):
    TALK = "talk", _("Talk it through")
    MENTOR = "mentor", _("Mentor someone")
    SHARE = "share", _("Share code or documents")
    VISIT = "visit", _("Host a visit")
    JOINT_PROCUREMENT = "joint-procurement", _("Procure jointly")


class HelpOffer(models.Model):
    """What a person can help with (LGSL services and their own tags) and how (offers).

    Shown only while their accounts profile is public; kept, unshown, while it is not.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_offer"
    )
    services = models.ManyToManyField(
        Code,
        blank=True,
        related_name="+",
        limit_choices_to={"code_list__slug": "lgsl-services"},
        verbose_name=_("services I know"),
    )
    # Offer values; fixed slugs, so a list is enough (queries.py finds them in its text).
    offers = models.JSONField(default=list, blank=True, help_text=_("Offer values."))
    # Off until the person turns it on: being findable is not the same as agreeing to be asked.
    accepts_messages = models.BooleanField(_("people may ask me for help"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"What {self.user_id} offers"

    def offer_labels(self) -> list[str]:
        labels = dict(Offer.choices)
        return [str(labels[offer]) for offer in self.offers if offer in labels]

    @property
    def offers_mentoring(self) -> bool:
        return Offer.MENTOR in self.offers

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.free_tags.all()]


class FreeTag(models.Model):
    """A word or phrase of the person's own for what they can help with ("chatbots")."""

    help_offer = models.ForeignKey(HelpOffer, on_delete=models.CASCADE, related_name="free_tags")
    # Lower-case, trimmed, spaces collapsed (services.clean_tags).
    name = models.CharField(max_length=MAX_TAG_LENGTH)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["help_offer", "name"], name="free_tag_unique_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Message(models.Model):
    """One message relayed by email: a request for help, or a reply in its thread.

    Neither address is in the email unless its writer chose to show theirs (`shows_address`).
    """

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="network_messages_sent",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="network_messages_received",
    )
    # The first message of the thread; None for the first message itself.
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    shows_address = models.BooleanField(_("show my email address"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.subject

    @property
    def first(self) -> Message:
        return self.thread or self


class MessageReport(models.Model):
    """A recipient's report of a message they were sent, for the moderators."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("what is wrong with it"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Report of message {self.message_id}"


class MentoringState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MentoringRequest(models.Model):
    """Someone asks a person who offers mentoring to mentor them; the mentor accepts or declines."""

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="mentoring_requests_made",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="mentoring_requests_received",
    )
    about = models.TextField(_("what you would like help with"), max_length=3000)
    shows_address = models.BooleanField(_("show my email address"), default=False)
    state = models.CharField(
        max_length=16, choices=MentoringState.choices, default=MentoringState.PENDING
    )
    answer = models.TextField(_("a note with your answer"), max_length=2000, blank=True)
    # The mentor's choice, when accepting, to give the mentee their address.
    mentor_shows_address = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=models.Q(state="pending"),
                name="one_pending_mentoring_request_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"Mentoring request {self.pk} ({self.state})"
