"""Writes to meeting openness: the law, policy versions, crowd reports, moderation and replies.

Each function is one transaction. Every step of a report and every policy version goes into the
moderation log (kitbag.accounts.audit.log_moderation) with its reason; the reporter is emailed
each outcome once the transaction commits. Report steps are logged for moderators only, except
acceptance, which changes a public policy and so is public like the policy itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kitbag.accounts.audit import log_moderation
from kitbag.accounts.models import ModerationLogEntry, User
from kitbag.accounts.permissions import Actor, can, require

# Callers catch this as services.NotPermitted: what each service raises is named on it.
from kitbag.core.refusals import NotPermitted as NotPermitted
from kitbag.core.refusals import RuleRefused
from kitbag.meetings.models import (
    Committee,
    CouncilReply,
    LegalRule,
    OpennessReport,
    PolicyBasis,
    PolicyStatus,
    PolicyVersion,
    ReportState,
)
from kitbag.meetings.openness import positions
from kitbag.meetings.openness.law import rules as law_rules
from kitbag.meetings.openness.queries import POLICY_OBJECT_TYPE, REPORT_OBJECT_TYPE
from kitbag.registry.models import Organisation

# Where a report may go next. Accepted and duplicate are final; a rejected report may be looked
# at again (new evidence turns up) by moving it back to triaged.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReportState.SUBMITTED: frozenset(
        {
            ReportState.TRIAGED,
            ReportState.NEEDS_INFO,
            ReportState.ACCEPTED,
            ReportState.REJECTED,
            ReportState.DUPLICATE,
        }
    ),
    ReportState.TRIAGED: frozenset(
        {ReportState.NEEDS_INFO, ReportState.ACCEPTED, ReportState.REJECTED, ReportState.DUPLICATE}
    ),
    ReportState.NEEDS_INFO: frozenset(
        {ReportState.TRIAGED, ReportState.ACCEPTED, ReportState.REJECTED, ReportState.DUPLICATE}
    ),
    ReportState.REJECTED: frozenset({ReportState.TRIAGED}),
    ReportState.ACCEPTED: frozenset(),
    ReportState.DUPLICATE: frozenset(),
}


class OpennessError(RuleRefused):
    """A write that the rules do not allow; the message is for the person who tried."""


def _require(user: User | None, action: str, obj: object | None) -> None:
    require(user, action, obj, message=f"Not allowed to {action}.")


def actor_label(user: User | None, *, council: Organisation | None = None) -> str:
    """How the public log and pages name whoever acted: by role, never by name or address."""
    actor = Actor.of(user)
    if actor.is_moderator:
        return _("a moderator")
    if actor.is_staff:
        return _("Kitbag staff")
    if council is not None and actor.role_in(council.pk):
        return _("a verified member of %(council)s") % {"council": council.display_name}
    if actor.is_signed_in:
        return _("a signed-in user")
    return _("Kitbag")


# --- The law ------------------------------------------------------------------------------------


@transaction.atomic
def load_law() -> int:
    """Write law.py's rules to LegalRule, keyed on nation and activity. Returns rows changed."""
    changed = 0
    for rule in law_rules():
        values = {
            "position": rule.position,
            "summary": rule.summary,
            "instrument": rule.instrument,
            "provision": rule.provision,
            "url": rule.url,
            "in_force_from": rule.in_force_from,
        }
        row = LegalRule.objects.filter(nation=rule.nation, activity=rule.activity).first()
        if row is None:
            LegalRule.objects.create(nation=rule.nation, activity=rule.activity, **values)
            changed += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            changed += 1
    return changed


def legal_position(*, nation: str, activity: str) -> str | None:
    return (
        LegalRule.objects.filter(nation=nation, activity=activity)
        .values_list("position", flat=True)
        .first()
    )


# --- Policies -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyChange:
    """What a new policy version says (also what accepting a report offers to record)."""

    status: str
    conditions: str = ""
    evidence_url: str = ""
    evidence_file: UploadedFile | None = None
    evidence_date: dt.date | None = None
    note: str = ""


@transaction.atomic
def record_policy(
    *,
    council: Organisation,
    activity: str,
    change: PolicyChange,
    by: User | None,
    basis: str = PolicyBasis.EVIDENCE,
    source_report: OpennessReport | None = None,
    check_permission: bool = True,
) -> PolicyVersion:
    """Write a new version of the council's policy on `activity`, superseding the current one."""
    if check_permission:
        _require(by, "set_openness_policy", council)
    if change.status not in PolicyStatus.values:
        raise OpennessError(_("Choose a status."))
    # Locking the council's current version serialises two people writing at once: the second
    # waits, then numbers its version after the first's.
    current = (
        PolicyVersion.objects.select_for_update()
        .filter(council=council, activity=activity, superseded_at__isnull=True)
        .first()
    )
    number = (
        PolicyVersion.objects.filter(council=council, activity=activity).aggregate(
            top=Max("number")
        )["top"]
        or 0
    ) + 1
    now = timezone.now()
    if current is not None:
        PolicyVersion.objects.filter(pk=current.pk).update(superseded_at=now)
    position = legal_position(nation=council.nation, activity=activity)
    version = PolicyVersion(
        council=council,
        activity=activity,
        number=number,
        status=change.status,
        conditions=change.conditions.strip(),
        evidence_url=change.evidence_url,
        evidence_date=change.evidence_date,
        basis=basis,
        source_report=source_report,
        stricter_than_law=positions.is_stricter_than_law(
            status=change.status, legal_position=position
        ),
        note=change.note.strip(),
        verified_by=by,
        verified_by_label=actor_label(by, council=council),
        recorded_at=now,
    )
    if change.evidence_file is not None:
        version.evidence_file.save(
            change.evidence_file.name or "evidence", change.evidence_file, save=False
        )
    version.save()
    log_moderation(
        actor=by,
        actor_label=version.verified_by_label,
        action="openness-policy-recorded",
        object_type=POLICY_OBJECT_TYPE,
        object_id=version.pk,
        object_label=f"{council.name}: {version.get_activity_display()} v{number}",
        reason=change.note.strip() or version.get_status_display(),
    )
    return version


# --- Reports ------------------------------------------------------------------------------------


@transaction.atomic
def submit_report(
    *,
    council: Organisation,
    by: User,
    activity: str,
    observed_on: dt.date,
    narrative: str,
    committee: Committee | None = None,
    committee_name: str = "",
    claimed_status: str = PolicyStatus.UNKNOWN,
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
) -> OpennessReport:
    _require(by, "report_openness", None)
    if observed_on > timezone.localdate():
        raise OpennessError(_("The date of the meeting must be today or in the past."))
    report = OpennessReport(
        council=council,
        reporter=by,
        activity=activity,
        observed_on=observed_on,
        narrative=narrative.strip(),
        committee=committee,
        committee_name="" if committee else committee_name.strip(),
        claimed_status=claimed_status,
        evidence_url=evidence_url,
    )
    if evidence_file is not None:
        report.evidence_file.save(evidence_file.name or "evidence", evidence_file, save=False)
    report.save()
    log_moderation(
        actor=by,
        actor_label=actor_label(by, council=council),
        action="openness-report-submitted",
        object_type=REPORT_OBJECT_TYPE,
        object_id=report.pk,
        object_label=_report_label(report),
        reason="",
        visibility=ModerationLogEntry.Visibility.MODERATORS,
    )
    _tell_reporter(report, subject=_("We have your report"), body=_submitted_body(report))
    return report


@transaction.atomic
def move_report(
    *,
    report: OpennessReport,
    to_state: str,
    reason: str,
    by: User,
    duplicate_of: OpennessReport | None = None,
    policy: PolicyChange | None = None,
) -> OpennessReport:
    """A moderator's step. Only acceptance can change a policy, and only if `policy` is given."""
    _require(by, "moderate", report)
    report = OpennessReport.objects.select_for_update().get(pk=report.pk)
    if to_state not in TRANSITIONS.get(report.state, frozenset()):
        raise OpennessError(
            _("A report that is %(from)s cannot become %(to)s.")
            % {
                "from": ReportState(report.state).label.lower(),
                "to": ReportState(to_state).label.lower()
                if to_state in ReportState.values
                else to_state,
            }
        )
    if not reason.strip():
        raise OpennessError(_("Give a reason: the reporter is told it."))
    if to_state == ReportState.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == report.pk:
            raise OpennessError(_("Say which report this one repeats."))
        if duplicate_of.council_id != report.council_id:
            raise OpennessError(_("A duplicate must be of a report about the same council."))
    if policy is not None and to_state != ReportState.ACCEPTED:
        raise OpennessError(_("Only an accepted report can change a policy."))
    report.state = to_state
    report.duplicate_of = duplicate_of if to_state == ReportState.DUPLICATE else None
    report.state_changed_at = timezone.now()
    report.save(update_fields=["state", "duplicate_of", "state_changed_at"])
    accepted = to_state == ReportState.ACCEPTED
    log_moderation(
        actor=by,
        actor_label=actor_label(by),
        action=f"openness-report-{to_state}",
        object_type=REPORT_OBJECT_TYPE,
        object_id=report.pk,
        object_label=_report_label(report),
        reason=reason.strip(),
        visibility=(
            ModerationLogEntry.Visibility.PUBLIC
            if accepted
            else ModerationLogEntry.Visibility.MODERATORS
        ),
    )
    if accepted and policy is not None:
        record_policy(
            council=report.council,
            activity=report.activity,
            change=PolicyChange(
                status=policy.status,
                conditions=policy.conditions,
                evidence_url=policy.evidence_url or report.evidence_url,
                evidence_date=policy.evidence_date or report.observed_on,
                note=policy.note or reason,
            ),
            by=by,
            basis=PolicyBasis.ACCEPTED_REPORT,
            source_report=report,
        )
    _tell_reporter(
        report,
        subject=_("Your report is now: %(state)s") % {"state": report.get_state_display()},
        body=_outcome_body(report, reason=reason.strip()),
    )
    return report


@transaction.atomic
def add_information(*, report: OpennessReport, text: str, by: User) -> OpennessReport:
    """The reporter answers "needs more information": the text is added and the report goes back
    to the moderators' queue as triaged."""
    if not can(by, "add_information", report):
        raise NotPermitted("Only the reporter may add information.")
    report = OpennessReport.objects.select_for_update().get(pk=report.pk)
    if report.state != ReportState.NEEDS_INFO:
        raise OpennessError(_("This report is not waiting for more information."))
    if not text.strip():
        raise OpennessError(_("Enter the information you are adding."))
    stamp = timezone.localdate().strftime("%d/%m/%Y")
    report.narrative = (
        f"{report.narrative}\n\n{_('Added on %(date)s:') % {'date': stamp}}\n\n{text.strip()}"
    )
    report.state = ReportState.TRIAGED
    report.state_changed_at = timezone.now()
    report.save(update_fields=["narrative", "state", "state_changed_at"])
    log_moderation(
        actor=by,
        actor_label=actor_label(by),
        action="openness-report-information-added",
        object_type=REPORT_OBJECT_TYPE,
        object_id=report.pk,
        object_label=_report_label(report),
        reason=_("The reporter added information."),
        visibility=ModerationLogEntry.Visibility.MODERATORS,
    )
    return report


@transaction.atomic
def reply_to_report(*, report: OpennessReport, text: str, by: User) -> CouncilReply:
    """The council's right of reply, shown wherever the report is shown."""
    _require(by, "reply", report)
    if not text.strip():
        raise OpennessError(_("Enter the council's reply."))
    reply = CouncilReply.objects.create(
        report=report, council=report.council, responder=by, text=text.strip()
    )
    log_moderation(
        actor=by,
        actor_label=actor_label(by, council=report.council),
        action="openness-report-replied",
        object_type=REPORT_OBJECT_TYPE,
        object_id=report.pk,
        object_label=_report_label(report),
        reason="",
        visibility=(
            ModerationLogEntry.Visibility.PUBLIC
            if report.is_public
            else ModerationLogEntry.Visibility.MODERATORS
        ),
    )
    _tell_reporter(
        report,
        subject=_("The council replied to your report"),
        body=_("%(council)s replied to your report:\n\n%(text)s\n\n%(url)s")
        % {"council": report.council.name, "text": reply.text, "url": _report_url(report)},
    )
    return reply


# --- Telling the reporter -----------------------------------------------------------------------


def _report_label(report: OpennessReport) -> str:
    # The public log names the council and activity, never the reporter or what they wrote.
    return f"{report.council.name}: {report.get_activity_display()} ({report.observed_on:%d/%m/%Y})"


def _report_url(report: OpennessReport) -> str:
    return f"{settings.SITE_URL}{report.get_absolute_url()}"


def _submitted_body(report: OpennessReport) -> str:
    return _(
        "Thank you for your report about %(council)s. A moderator will look at it, and we will "
        "email you at each step.\n\nSee your report: %(url)s"
    ) % {"council": report.council.name, "url": _report_url(report)}


def _outcome_body(report: OpennessReport, *, reason: str) -> str:
    return _(
        "Your report about %(council)s is now: %(state)s.\n\nThe moderator's reason:\n%(reason)s"
        "\n\nSee your report: %(url)s"
    ) % {
        "council": report.council.name,
        "state": report.get_state_display(),
        "reason": reason,
        "url": _report_url(report),
    }


def _tell_reporter(report: OpennessReport, *, subject: str, body: str) -> None:
    reporter = report.reporter
    if reporter is None or not reporter.email or not reporter.is_active:
        return
    address = reporter.email
    prefixed = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"
    # After commit: a rolled-back step must not email anyone.
    transaction.on_commit(lambda: send_mail(prefixed, body, None, [address], fail_silently=True))
