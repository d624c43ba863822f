"""Events, their sign-ups and links afterwards, and the open-space grid of an unconference.

Times are stored in UTC (USE_TZ) and shown in Europe/London (TIME_ZONE). An event is organised by
an organisation of the registry or by a person, never both (a check constraint says so).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kitbag.registry.models import Nation, Organisation


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    WORKSHOP = "workshop", _("Workshop")
    ROUND_TABLE = "round-table", _("Round table")
    MEETUP = "meetup", _("Meetup")
    UNCONFERENCE = "unconference", _("Unconference")


class Attendance(models.TextChoices):
    IN_PERSON = "in-person", _("In person")
    ONLINE = "online", _("Online")


class Booking(models.TextChoices):
    KITBAG = "kitbag", _("Sign up on Kitbag")
    ELSEWHERE = "elsewhere", _("Book elsewhere")
    NONE = "none", _("No booking needed")


class EventStatus(models.TextChoices):
    # A draft is seen by its organisers alone; a cancelled event keeps its page, with the reason.
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Series(models.Model):
    """Events that recur under one name: "LocalGovCamp" every year."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.name


class EventQuerySet(models.QuerySet["Event"]):
    def announced(self) -> EventQuerySet:
        """Published or cancelled: what lists, feeds, the API and the search show everyone."""
        return self.exclude(status=EventStatus.DRAFT)

    def upcoming(self) -> EventQuerySet:
        return self.filter(ends_at__gte=timezone.now())

    def past(self) -> EventQuerySet:
        return self.filter(ends_at__lt=timezone.now())


class Event(models.Model):
    slug = models.SlugField(max_length=140, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what it is about"), max_length=5000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    series = models.ForeignKey(
        Series,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("series"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("organising organisation"),
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
    )
    # The name shown for a person organising, as they chose to give it for this event.
    organiser_name = models.CharField(_("organiser's name as shown"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    attendance = models.CharField(
        _("where"), max_length=20, choices=Attendance.choices, default=Attendance.IN_PERSON
    )
    address = models.TextField(_("address"), max_length=500, blank=True)
    nation = models.CharField(_("nation"), max_length=32, choices=Nation.choices, blank=True)
    region = models.CharField(_("region"), max_length=64, blank=True)
    online_url = models.URLField(_("link to join"), max_length=500, blank=True)
    booking = models.CharField(
        _("booking"), max_length=20, choices=Booking.choices, default=Booking.KITBAG
    )
    booking_url = models.URLField(_("link to book"), max_length=500, blank=True)
    # None: no limit on places.
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    services = models.ManyToManyField(
        "vocabularies.Code", blank=True, related_name="events", verbose_name=_("services")
    )
    # Existing events (made before drafts) are published; create_event makes a draft.
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.PUBLISHED
    )
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(_("why it is cancelled"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["ends_at"]),
            models.Index(fields=["nation", "region"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, organiser__isnull=True)
                | Q(organisation__isnull=True, organiser__isnull=False)
                # An organiser who erased their account leaves the event without one.
                | Q(organisation__isnull=True, organiser__isnull=True),
                name="event_organised_by_one",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", kwargs={"slug": self.slug})

    @property
    def is_unconference(self) -> bool:
        return self.kind == EventKind.UNCONFERENCE

    @property
    def is_draft(self) -> bool:
        return self.status == EventStatus.DRAFT

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def organised_by(self) -> str:
        if self.organisation_id is not None:
            return self.organisation.name  # type: ignore[union-attr]
        return self.organiser_name


class EventTag(models.Model):
    """A free topic tag, beside the LGSL services."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="unique_event_tag"),
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Place confirmed")
    WAITING = "waiting", _("On the waiting list")


class SignUp(models.Model):
    """A person's place at an event, or their place in its waiting list (first come, first in)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sign_ups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_sign_ups"
    )
    status = models.CharField(max_length=20, choices=SignUpStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_sign_up_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.event_id}: {self.status}"


class LinkKind(models.TextChoices):
    NOTES = "notes", _("Notes")
    SLIDES = "slides", _("Slides")
    WRITE_UP = "write-up", _("Write-up")
    VIDEO = "video", _("Video")
    OTHER = "other", _("Other")


class EventLink(models.Model):
    """Notes, slides or a write-up after the event. Each is also in the resource library (its
    `resource`: recommended by whoever added it, used by the event), so tag pages and searches
    find it; the link stays here for the event's own list, in the order it was added."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address (URL)"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    # None only for a link added before the library took them (see `kitbag event-links-to-library`)
    # or whose resource has since left the library.
    resource = models.ForeignKey(
        "resources.Resource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_links",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("seats"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%H:%M}–{end:%H:%M}"


class Session(models.Model):
    """A session pitched at an unconference. Placed when it has a room and a slot.

    Clashes (two in a room at once, a host in two places) are allowed to be stored and are
    flagged on the grid (clashes.py): on the day, organisers move things about and a rule that
    refused the intermediate state would get in their way.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    about = models.TextField(_("what it is about"), max_length=2000)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="hosted_sessions",
    )
    # The name the host gave for this session: pitching is speaking in public, under a name the
    # host chose, whatever their profile says.
    host_name = models.CharField(_("host's name as shown"), max_length=120)
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "events:session_detail", kwargs={"slug": self.event.slug, "session_id": self.pk}
        )

    @property
    def is_placed(self) -> bool:
        return self.room_id is not None and self.slot_id is not None


class Interest(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="interests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_interests"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_interest_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.session_id}"


class SessionNoteRevision(models.Model):
    """One saved version of a session's notes. Never changed: each edit adds a revision."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="note_revisions")
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=20_000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="unique_note_revision"),
        ]

    def __str__(self) -> str:
        return f"Notes of {self.session_id}, revision {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("A revision of session notes is never changed; add a new one.")
        super().save(*args, **kwargs)
