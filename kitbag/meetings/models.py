"""Open council meetings: every council's meetings calendar, and how open its meetings are.

The calendar mirrors each council's democracy system. An install (`DemocracySystem`) is not a
council: one ModernGov site can serve two councils, so committees are attributed to a council or to
the install as a whole ("joint"). Syncs only ever add and update: nothing a sync stored is deleted
by a later one, so a failing or half-answering server never empties a calendar. Writes go through
`services.py` and `sync.py`; reads through `queries.py`; `moderngov.py` parses, without Django.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kitbag.meetings.openness import positions
from kitbag.registry.models import Nation, Organisation

# ============================================================================================
# Meetings calendar
# ============================================================================================


class EndpointStatus(models.TextChoices):
    NOT_CHECKED = "not-checked", _("Not checked yet")
    OK = "ok", _("Working")
    FORBIDDEN = "forbidden", _("Refused (forbidden)")
    NOT_FOUND = "not-found", _("Not found")
    SERVER_ERROR = "server-error", _("Server error")
    UNREACHABLE = "unreachable", _("Unreachable")
    INVALID = "invalid", _("Answered, but not with readable data")


class Operation(models.TextChoices):
    GET_COMMITTEES = "GetCommittees", "GetCommittees"
    GET_MEETINGS = "GetMeetings", "GetMeetings"
    GET_MEETING = "GetMeeting", "GetMeeting"


class DemocracySystem(models.Model):
    """One install of a democracy system, found at a base URL (path kept, never just the host).

    Base URLs come only from the registry's import of LGSF data or from an operator's command
    line, never from a form: Kitbag makes requests to no host a user chose.
    """

    base_url = models.URLField(max_length=500, unique=True)
    cms_type = models.CharField(max_length=32, default="ModernGov")
    # The base that last answered: https is tried before a registry's http.
    service_url = models.URLField(max_length=500, blank=True)
    councils = models.ManyToManyField(
        Organisation, through="SystemCouncil", related_name="democracy_systems"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["base_url"]

    def __str__(self) -> str:
        return self.base_url

    @property
    def is_shared(self) -> bool:
        return self.councils.count() > 1


class SystemCouncil(models.Model):
    system = models.ForeignKey(DemocracySystem, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["system", "organisation"], name="meetings_system_council_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.system} serves {self.organisation}"


class EndpointHealth(models.Model):
    """How each operation of an install answered at its last sync (shown on the calendar page)."""

    system = models.ForeignKey(DemocracySystem, on_delete=models.CASCADE, related_name="health")
    operation = models.CharField(max_length=32, choices=Operation.choices)
    status = models.CharField(
        max_length=16, choices=EndpointStatus.choices, default=EndpointStatus.NOT_CHECKED
    )
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=1000, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["system", "operation"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "operation"], name="meetings_health_unique_per_operation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.operation}: {self.status}"


class FetchValidator(models.Model):
    """What a URL last answered with, for conditional requests and to spot an unchanged answer.

    Only validators and a hash are kept, never the body: a body can hold what Kitbag must not
    keep (councillors' home addresses come back from some operations).
    """

    system = models.ForeignKey(DemocracySystem, on_delete=models.CASCADE, related_name="validators")
    url = models.CharField(max_length=1000)
    etag = models.CharField(max_length=255, blank=True)
    last_modified = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "url"], name="meetings_validator_unique_url")
        ]

    def __str__(self) -> str:
        return self.url


class SyncOutcome(models.TextChoices):
    RUNNING = "running", _("Running")
    OK = "ok", _("Complete")
    PARTIAL = "partial", _("Partly complete")
    FAILED = "failed", _("Failed")


class SyncRun(models.Model):
    system = models.ForeignKey(DemocracySystem, on_delete=models.CASCADE, related_name="sync_runs")
    triggered_by = models.CharField(max_length=16, default="command")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=16, choices=SyncOutcome.choices, default=SyncOutcome.RUNNING
    )
    date_from = models.DateField()
    date_to = models.DateField()
    requests = models.PositiveIntegerField(default=0)
    not_modified = models.PositiveIntegerField(default=0)
    committees_seen = models.PositiveIntegerField(default=0)
    meetings_created = models.PositiveIntegerField(default=0)
    meetings_updated = models.PositiveIntegerField(default=0)
    meetings_unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.system} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class Committee(models.Model):
    system = models.ForeignKey(DemocracySystem, on_delete=models.CASCADE, related_name="committees")
    source_id = models.CharField(max_length=32)
    # Null on a shared install when the committee is joint, or its council cannot be told.
    council = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_committees",
    )
    title = models.CharField(max_length=500)
    category = models.CharField(max_length=255, blank=True)
    is_deleted = models.BooleanField(default=False)
    is_expired = models.BooleanField(default=False)
    public_url = models.URLField(max_length=1000, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "source_id"], name="meetings_committee_unique_source"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_joint(self) -> bool:
        return self.council_id is None


class MeetingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")
    RESCHEDULED = "rescheduled", _("Rescheduled")
    TENTATIVE = "tentative", _("Not yet confirmed")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def upcoming(self, *, now: dt.datetime | None = None) -> MeetingQuerySet:
        today = timezone.localdate(now) if now else timezone.localdate()
        return self.filter(start_date__gte=today).order_by("start", "pk")

    def past(self, *, now: dt.datetime | None = None) -> MeetingQuerySet:
        today = timezone.localdate(now) if now else timezone.localdate()
        return self.filter(start_date__lt=today).order_by("-start", "-pk")

    def between(self, *, date_from: dt.date | None, date_to: dt.date | None) -> MeetingQuerySet:
        queryset = self
        if date_from is not None:
            queryset = queryset.filter(start_date__gte=date_from)
        if date_to is not None:
            queryset = queryset.filter(start_date__lte=date_to)
        return queryset


class Meeting(models.Model):
    # The calendar UID: stable for the life of the meeting, whatever changes about it.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    system = models.ForeignKey(DemocracySystem, on_delete=models.CASCADE, related_name="meetings")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    source_id = models.CharField(max_length=32)
    start = models.DateTimeField(db_index=True)
    # The Europe/London date of `start`, so "meetings on a day" needs no time-zone arithmetic.
    start_date = models.DateField(db_index=True)
    time_known = models.BooleanField(default=True)
    end = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.TENTATIVE
    )
    status_raw = models.CharField(max_length=64, blank=True)
    location = models.CharField(max_length=500, blank=True)
    room = models.CharField(max_length=255, blank=True)
    is_webcast = models.BooleanField(default=False)
    agenda_published = models.BooleanField(default=False)
    minutes_published = models.BooleanField(default=False)
    decisions_published = models.BooleanField(default=False)
    public_url = models.URLField(max_length=1000, blank=True)
    # RFC 5545 SEQUENCE: one more each time something a calendar shows changes.
    sequence = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)
    detail_fetched_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "source_id"], name="meetings_meeting_unique_source"
            )
        ]
        indexes = [models.Index(fields=["committee", "start_date"])]

    def __str__(self) -> str:
        return f"{self.committee} {self.start_date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        # A joint committee's meeting is shown under the install's first council.
        council = self.committee.council or self.system.councils.order_by("pk").first()
        if council is None:
            raise ValueError("A meeting of an install with no council has no page.")
        return reverse("meetings:meeting_detail", kwargs={"slug": council.slug, "uid": self.uid})

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.start)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    source_id = models.CharField(max_length=32)
    order = models.IntegerField(null=True, blank=True)
    display_number = models.CharField(max_length=32, blank=True)
    title = models.CharField(max_length=1000)
    # Sanitised by moderngov.sanitise_html before it is stored.
    text_html = models.TextField(blank=True)
    minutes_html = models.TextField(blank=True)
    is_restricted = models.BooleanField(default=False)
    public_can_speak = models.BooleanField(default=False)
    is_decision = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "source_id"], name="meetings_agenda_item_unique_source"
            )
        ]

    def __str__(self) -> str:
        return self.title


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda")
    MINUTES = "minutes", _("Minutes")
    DECISIONS = "decisions", _("Decisions")
    OTHER = "other", _("Document")


class Document(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    source_id = models.CharField(max_length=32, blank=True)
    title = models.CharField(max_length=1000)
    url = models.URLField(max_length=1000)
    kind = models.CharField(max_length=16, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    is_external = models.BooleanField(default=False)
    is_restricted = models.BooleanField(default=False)
    publication_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "url"], name="meetings_document_unique_url")
        ]

    def __str__(self) -> str:
        return self.title


# ============================================================================================
# Openness: the law by nation, council policies (versioned), crowd reports and replies
# ============================================================================================


class Activity(models.TextChoices):
    WRITTEN_COMMENTARY = positions.WRITTEN_COMMENTARY, _("Written reporting and social media")
    AUDIO_RECORDING = positions.AUDIO_RECORDING, _("Audio recording")
    FILMING = positions.FILMING, _("Filming")
    PHOTOGRAPHY = positions.PHOTOGRAPHY, _("Photography")
    ORAL_COMMENTARY = positions.ORAL_COMMENTARY, _("Oral commentary in the room")
    COUNCIL_WEBCAST = positions.COUNCIL_WEBCAST, _("Council webcast")
    PUBLISHED_RECORDINGS = positions.PUBLISHED_RECORDINGS, _("Published recordings")


class PolicyStatus(models.TextChoices):
    ALLOWED = positions.ALLOWED, _("Allowed")
    ALLOWED_WITH_CONDITIONS = positions.ALLOWED_WITH_CONDITIONS, _("Allowed with conditions")
    PERMISSION_REQUIRED = positions.PERMISSION_REQUIRED, _("Permission required")
    PROHIBITED = positions.PROHIBITED, _("Prohibited")
    UNKNOWN = positions.UNKNOWN, _("Unknown")


class LegalPosition(models.TextChoices):
    STATUTORY_RIGHT = positions.STATUTORY_RIGHT, _("A right in law")
    MAY_BE_REFUSED = positions.MAY_BE_REFUSED, _("The council may refuse")
    COUNCIL_DISCRETION = positions.COUNCIL_DISCRETION, _("Left to each council")
    STATUTORY_DUTY = positions.STATUTORY_DUTY, _("A duty on the council")
    NO_DUTY = positions.NO_DUTY, _("No duty on the council")


class LegalRule(models.Model):
    """The law of one nation on one activity, loaded from law.py (never edited by hand)."""

    nation = models.CharField(max_length=32, choices=Nation.choices)
    activity = models.CharField(max_length=32, choices=Activity.choices)
    position = models.CharField(max_length=32, choices=LegalPosition.choices)
    summary = models.TextField()
    instrument = models.CharField(max_length=255, blank=True)
    provision = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=500, blank=True)
    in_force_from = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["nation", "activity"]
        constraints = [
            models.UniqueConstraint(
                fields=["nation", "activity"], name="meetings_legal_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.nation}: {self.activity} ({self.position})"


def _evidence_path(instance: models.Model, filename: str) -> str:
    # The name a person gave their file is never used: it could say anything, and collide.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"openness/evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class PolicyBasis(models.TextChoices):
    EVIDENCE = "evidence", _("Published evidence")
    ACCEPTED_REPORT = "accepted-report", _("An accepted report")
    COUNCIL_STATEMENT = "council-statement", _("A statement by the council")


class PolicyVersion(models.Model):
    """One version of a council's policy on one activity. Append-only: a change is a new version.

    The only field that ever changes after a version is written is `superseded_at`, set once when
    the next version replaces it; at most one version per council and activity has none.
    """

    council = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="openness_policies"
    )
    activity = models.CharField(max_length=32, choices=Activity.choices)
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=32, choices=PolicyStatus.choices)
    conditions = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=1000, blank=True)
    evidence_file = models.FileField(upload_to=_evidence_path, max_length=255, blank=True)
    evidence_date = models.DateField(null=True, blank=True)
    basis = models.CharField(
        max_length=32, choices=PolicyBasis.choices, default=PolicyBasis.EVIDENCE
    )
    source_report = models.ForeignKey(
        "OpennessReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="policy_versions",
    )
    # Computed against the nation's LegalRule when the version is written (positions.py).
    stricter_than_law = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the public sees for who verified it: a role ("a moderator"), never an address.
    verified_by_label = models.CharField(max_length=120)
    recorded_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["council", "activity", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "activity", "number"], name="meetings_policy_version_unique"
            ),
            models.UniqueConstraint(
                fields=["council", "activity"],
                condition=Q(superseded_at__isnull=True),
                name="meetings_policy_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.activity} v{self.number}: {self.status}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    TRIAGED = "triaged", _("Triaged")
    NEEDS_INFO = "needs-info", _("Needs more information")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


class OpennessReport(models.Model):
    """Someone's account of what happened when they tried to report, record or film a meeting."""

    council = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="openness_reports"
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Typed when the committee is not in the calendar.
    committee_name = models.CharField(max_length=255, blank=True)
    activity = models.CharField(max_length=32, choices=Activity.choices)
    observed_on = models.DateField()
    narrative = models.TextField()
    # What the reporter was allowed to do, in their words turned into a status (optional).
    claimed_status = models.CharField(
        max_length=32, choices=PolicyStatus.choices, default=PolicyStatus.UNKNOWN
    )
    evidence_url = models.URLField(max_length=1000, blank=True)
    evidence_file = models.FileField(upload_to=_evidence_path, max_length=255, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="openness_reports",
    )
    state = models.CharField(
        max_length=16, choices=ReportState.choices, default=ReportState.SUBMITTED
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    created_at = models.DateTimeField(default=timezone.now)
    state_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["council", "state"])]

    def __str__(self) -> str:
        return f"Report {self.pk}: {self.council} {self.activity} {self.observed_on}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:openness_report", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.state == ReportState.ACCEPTED

    @property
    def committee_label(self) -> str:
        return self.committee.title if self.committee else self.committee_name


class CouncilReply(models.Model):
    """The council's public answer to a report, written by one of its verified members."""

    report = models.ForeignKey(OpennessReport, on_delete=models.CASCADE, related_name="replies")
    council = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Reply to report {self.report_id}"
