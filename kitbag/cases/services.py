"""Writes to cases, one transaction each: saving, the workflow, spread, ownership, the index.

Every write that a person asks for checks `can(...)` here too, so the page, the API and any future
channel get the same rules whatever their views forget. Each change records a `CaseRevision` and
updates the search index in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kitbag.accounts.audit import record_audit_event
from kitbag.accounts.models import AuditEvent, Membership, User
from kitbag.accounts.permissions import can
from kitbag.cases.happenings import announce_adoption, announce_case_published
from kitbag.cases.models import (
    PUBLIC_STATUSES,
    SUMMARY_MAX_WORDS,
    Adoption,
    Case,
    CaseRelation,
    CaseRevision,
    RecordStatus,
)
from kitbag.cases.search_documents import DOC_TYPE, cases_for_indexing, document_for
from kitbag.registry.models import Organisation
from kitbag.search.services import index_document, remove_document
from kitbag.semantic.services import embed_objects_soon
from kitbag.vocabularies.models import Code

# How long a published case goes unconfirmed before its owners are reminded.
STALE_AFTER = dt.timedelta(days=365)

# Which workflow step leads from which statuses, and the permission it needs.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    # action: (from statuses, to status, permission)
    "submit_for_review": ((RecordStatus.DRAFT,), RecordStatus.IN_REVIEW, "submit_for_review"),
    "publish": (
        (RecordStatus.DRAFT, RecordStatus.IN_REVIEW, RecordStatus.NEEDS_UPDATE),
        RecordStatus.PUBLISHED,
        "publish",
    ),
    "return_to_draft": (
        (RecordStatus.IN_REVIEW, RecordStatus.ARCHIVED),
        RecordStatus.DRAFT,
        "return_to_draft",
    ),
    "flag_needs_update": (
        (RecordStatus.PUBLISHED,),
        RecordStatus.NEEDS_UPDATE,
        "flag_needs_update",
    ),
    "archive": (
        (RecordStatus.PUBLISHED, RecordStatus.NEEDS_UPDATE, RecordStatus.DRAFT),
        RecordStatus.ARCHIVED,
        "archive",
    ),
}

SNAPSHOT_FIELDS = (
    "title",
    "summary",
    "record_type",
    "status",
    "lead_organisation_id",
    "lead_organisation_name",
    "problem",
    "what_was_done",
    "results",
    "what_did_not_work",
    "conditions_for_success",
    "what_to_adapt",
    "lessons",
    "sector_id",
    "phase_id",
    "operational_status_id",
    "innovation_type",
    "novelty",
    "geographic_extent",
    "country_code",
    "area_codes",
    "area_description",
    "start_year",
    "end_year",
    "team_size_fte",
    "duration_weeks",
    "team_mix",
    "evidence_level_id",
    "evidence_assessed_by_id",
    "evidence_assessor_name",
    "evidence_url",
    "outcome_id",
    "algorithmic_transparency_record_url",
    "licence",
    "owner_id",
    "archive_reason",
)


def _require(user: User | None, action: str, obj: object | None, *, why: str = "") -> None:
    """Refuse unless `can` allows; `why` tells the person who may, where a channel shows it."""
    if not can(user, action, obj):
        raise PermissionDenied(why or _("You do not have permission to do that."))


# Steps that put a case in front of reviewers or the public, for which the form asks for the
# whole core (missing_core). move_case does not refuse them itself: imported and older records
# may lack parts of the core and still be published.
STEPS_NEEDING_THE_CORE = frozenset({"submit_for_review", "publish"})


def missing_core(case: Case) -> dict[str, str]:
    """What a case still needs before review or publication, as field: message."""
    missing: dict[str, str] = {}
    if not case.title.strip():
        missing["title"] = _("Enter a title")
    if not case.summary.strip():
        missing["summary"] = _("Enter a summary")
    if case.lead_organisation_id is None:
        missing["lead_organisation"] = _("Select the lead organisation")
    if case.phase_id is None:
        missing["phase"] = _("Select the phase")
    if case.operational_status_id is None:
        missing["operational_status"] = _("Select the operational status")
    if case.pk is not None and not (
        case.sector_id is not None or case.services.exists() or case.functions.exists()
    ):
        missing["services"] = _("Select at least one service or service area, or a sector")
    return missing


def missing_before_review(case: Case) -> dict[str, str]:
    """Everything the check-your-answers page asks for before review or publication: the core
    (missing_core), a summary of at most SUMMARY_MAX_WORDS words, and who assessed the evidence
    when an evidence level is given. Field: message, as the case form words them."""
    missing = missing_core(case)
    if "services" in missing:
        missing["services"] = _(
            "Select at least one service or service area, or a sector for other cases"
        )
    if "summary" not in missing and len(case.summary.split()) > SUMMARY_MAX_WORDS:
        missing["summary"] = _("Summary must be %(max)s words or fewer") % {
            "max": SUMMARY_MAX_WORDS
        }
    if case.evidence_level_id is not None and case.evidence_assessed_by_id is None:
        missing["evidence_assessed_by"] = _("Select who assessed the evidence")
    return missing


def person_label(user: User | None) -> str:
    """How a person is named where the public may read it: their public profile name or nothing.

    Email addresses are personal data, so history and summaries never carry them.
    """
    profile = getattr(user, "profile", None) if user is not None else None
    if profile is not None and profile.is_public and profile.display_name:
        return str(profile.display_name)
    return ""


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def snapshot(case: Case) -> dict[str, Any]:
    """The case's fields and its itemised parts as plain JSON, labels rather than ids for codes."""
    data: dict[str, Any] = {}
    for name in SNAPSHOT_FIELDS:
        if name.endswith("_id") and name not in {"owner_id", "lead_organisation_id"}:
            code = getattr(case, name.removesuffix("_id"))
            data[name.removesuffix("_id")] = code.label if code else ""
            continue
        data[name] = _plain(getattr(case, name))
    data["lead_organisation"] = case.lead_name
    data.pop("lead_organisation_id", None)
    data.pop("lead_organisation_name", None)
    # Not the owner's email: revisions of a public case are public (see person_label).
    data["owner"] = (person_label(case.owner) or "a colleague") if case.owner else ""
    data.pop("owner_id", None)
    data["services"] = sorted(f"{code.label} ({code.code})" for code in case.services.all())
    data["functions"] = sorted(f"{code.label} ({code.code})" for code in case.functions.all())
    data["technologies"] = sorted(code.label for code in case.technologies.all())
    data["partners"] = [f"{p.name} ({p.role})" for p in case.partners.all()]
    data["costs"] = [
        f"{item.description}: £{item.amount} {item.recurrence}" for item in case.costs.all()
    ]
    data["benefits"] = [
        f"{item.description}: £{item.amount} {item.recurrence} ({item.kind})"
        for item in case.benefits.all()
    ]
    data["assets"] = [f"{a.title} <{a.url}> {a.licence}".strip() for a in case.assets.all()]
    data["products"] = [p.name for p in case.products.all()]
    return data


def record_revision(*, case: Case, author: User | None, change_summary: str = "") -> CaseRevision:
    """Save the case's current state as its next revision; no revision when nothing changed."""
    state = snapshot(case)
    latest = case.revisions.order_by("-number").first()
    if latest is not None and latest.snapshot == state:
        return latest
    return CaseRevision.objects.create(
        case=case,
        number=(latest.number + 1) if latest else 1,
        author=author,
        status=case.status,
        change_summary=change_summary[:255],
        snapshot=state,
    )


def reindex_case(*, case: Case) -> None:
    """Write the case's search document (drafts too: they are stored as not public)."""
    fresh = cases_for_indexing([case.pk]).get()
    document = document_for(fresh)
    index_document(
        doc_type=DOC_TYPE,
        object_id=str(fresh.pk),
        title=document.title,
        body=document.body,
        extra=document.extra,
        facets=document.facets,
        sort_date=document.sort_date,
        is_public=document.is_public,
        url=document.url,
    )
    # Its vector, once this transaction commits (kitbag/semantic; nothing when it is off).
    embed_objects_soon(doc_type=DOC_TYPE, object_ids=[str(fresh.pk)])


# Words the case URLs use for pages of their own (urls.py).
RESERVED_SLUGS = frozenset(
    {"new", "yours", "review", "others-working-on-this", "service-suggestions", "download", "feed"}
)


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:180] or "case"
    if base in RESERVED_SLUGS:
        base = f"{base}-case"
    slug, n = base, 2
    taken = Case.objects.exclude(pk=exclude_pk) if exclude_pk else Case.objects.all()
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def save_case(
    *,
    case: Case,
    by: User | None,
    services: Iterable[Code] | None = None,
    functions: Iterable[Code] | None = None,
    technologies: Iterable[Code] | None = None,
    parts: Callable[[Case], None] | None = None,
    change_summary: str = "",
    check_permission: bool = True,
    index: bool = True,
) -> Case:
    """Create or update a case (its own fields, and its services and technologies when given).

    A new case is a draft owned by whoever wrote it. Its lead, once named, must be an organisation
    they belong to; a draft may wait for one, so that a draft never demands more than a title.
    `parts` saves the itemised parts (partners, costs...) inside the same transaction, before the
    revision is recorded, so one save is one revision. Importers pass `check_permission=False`
    and `by=None`.
    """
    creating = case.pk is None
    if check_permission:
        before = None if creating else Case.objects.get(pk=case.pk)
        if before is None:
            _require(by, "create_case", None)
            if case.lead_organisation is None and case.status != RecordStatus.DRAFT:
                raise ValidationError({"lead_organisation": _("Choose the lead organisation.")})
        else:
            _require(by, "edit", before)
        # Naming or changing the lead needs the right to lead a case for that organisation.
        if case.lead_organisation is not None and (
            before is None or before.lead_organisation_id != case.lead_organisation_id
        ):
            _require(by, "lead_case", case.lead_organisation)
    if creating:
        case.slug = case.slug or unique_slug(case.title)
        case.created_by = case.created_by or by
        case.owner = case.owner or by
    case.save()
    if services is not None:
        case.services.set(services)
    if functions is not None:
        case.functions.set(functions)
    if technologies is not None:
        case.technologies.set(technologies)
    if parts is not None:
        parts(case)
    record_revision(
        case=case, author=by, change_summary=change_summary or ("Created" if creating else "")
    )
    if index:
        reindex_case(case=case)
    return case


# What the case form's buttons ask for after saving: a workflow step, or none.
STEP_AFTER_SAVING: dict[str, str | None] = {
    "draft": None,
    "save": None,
    "submit": "submit_for_review",
    "publish": "publish",
}


@transaction.atomic
def save_case_and_step(
    *,
    case: Case,
    by: User,
    then: str,
    services: Iterable[Code] | None = None,
    functions: Iterable[Code] | None = None,
    technologies: Iterable[Code] | None = None,
    parts: Callable[[Case], None] | None = None,
) -> Case:
    """Save what the case form holds, then take the step its button asked for (`then`, a key of
    STEP_AFTER_SAVING), all or nothing: a refused step leaves the case as it was.

    "submit" on a case already in review or public only saves it: there is nothing to submit.
    """
    step = STEP_AFTER_SAVING[then]
    if step == "publish" and not can(by, "publish", case):
        raise ValidationError(
            _("You cannot publish cases for this organisation: submit it for review instead")
        )
    case = save_case(
        case=case,
        by=by,
        services=services,
        functions=functions,
        technologies=technologies,
        parts=parts,
    )
    if step == "submit_for_review" and case.status != RecordStatus.DRAFT:
        step = None
    if step is not None:
        case = move_case(case=case, action=step, by=by)
    return case


@transaction.atomic
def submit_checked_case(*, case: Case, by: User, then: str) -> Case:
    """From the check-your-answers page: submit the case for review ("submit") or publish it
    ("publish"), once it has everything review needs (missing_before_review). Nothing is saved
    here: each section of the task list saved its own answers.

    "submit" on a case already in review or public does nothing: there is nothing to submit.
    """
    step = STEP_AFTER_SAVING[then]
    if step is None:
        raise ValueError(f"{then!r} is not a step: use save_case_and_step to save")
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(by, "edit", case)
    if step == "publish" and not can(by, "publish", case):
        raise ValidationError(
            _("You cannot publish cases for this organisation: submit it for review instead")
        )
    missing = missing_before_review(case)
    if missing:
        raise ValidationError(missing)
    if step == "submit_for_review" and case.status != RecordStatus.DRAFT:
        return case
    return move_case(case=case, action=step, by=by)


def _notify_owner(case: Case, subject: str, message: str) -> None:
    if case.owner is None or not case.owner.email:
        return
    email = case.owner.email
    transaction.on_commit(
        lambda: send_mail(f"[{settings.SERVICE_NAME}] {subject}", message, None, [email])
    )


@transaction.atomic
def move_case(*, case: Case, action: str, by: User | None, reason: str = "") -> Case:
    """Take one workflow step (a key of TRANSITIONS); a step not open from here is refused."""
    if action not in TRANSITIONS:
        raise ValueError(f"Unknown workflow step {action!r}")
    from_statuses, to_status, permission = TRANSITIONS[action]
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(by, permission, case)
    if case.status not in from_statuses:
        raise ValidationError(
            _("A case that is %(status)s cannot be moved that way.")
            % {"status": case.get_status_display().lower()}
        )
    if action == "archive" and not reason.strip():
        raise ValidationError({"reason": _("Say why the case is being archived.")})
    was_public = case.status in PUBLIC_STATUSES
    case.status = to_status
    now = timezone.now()
    if to_status == RecordStatus.PUBLISHED:
        case.published_at = case.published_at or now
        case.last_confirmed_at = now
        case.confirmed_by = by
    if to_status == RecordStatus.ARCHIVED:
        case.archive_reason = reason.strip()
    case.save()
    record_revision(case=case, author=by, change_summary=reason or action.replace("_", " "))
    reindex_case(case=case)
    # Followers hear of a case when it first goes public, not when a flagged one is put right.
    if to_status == RecordStatus.PUBLISHED and not was_public:
        announce_case_published(case)
    if by is None or by.pk != case.owner_id:
        _notify_owner(
            case,
            _("Your case is now %(status)s") % {"status": case.get_status_display().lower()},
            f"{case.title}\n{settings.SITE_URL}{case.get_absolute_url()}\n{reason}".strip(),
        )
    return case


@transaction.atomic
def confirm_case(*, case: Case, by: User) -> Case:
    """The owner says the record is still right: it is fresh again, and live if it needed update."""
    _require(by, "confirm", case)
    case.last_confirmed_at = timezone.now()
    case.confirmed_by = by
    case.stale_reminder_sent_at = None
    if case.status == RecordStatus.NEEDS_UPDATE:
        case.status = RecordStatus.PUBLISHED
    case.save()
    record_revision(case=case, author=by, change_summary="Confirmed as up to date")
    reindex_case(case=case)
    return case


@transaction.atomic
def transfer_ownership(*, case: Case, to: User, by: User) -> Case:
    """Pass a case to a colleague: they must be a member of its lead organisation."""
    _require(by, "transfer_ownership", case)
    if not to.is_active or to.pk not in colleagues_for(case).values_list("pk", flat=True):
        raise ValidationError({"to": _("The new owner must be a member of the lead organisation.")})
    case.owner = to
    case.save()
    record_revision(
        case=case,
        author=by,
        change_summary=f"Ownership passed to {person_label(to) or 'a colleague'}",
    )
    _notify_owner(
        case,
        _("You now own a case"),
        f"{by} passed you {case.title}.\n{settings.SITE_URL}{case.get_absolute_url()}",
    )
    return case


def colleagues_for(case: Case) -> Any:
    """Who a case may pass to: active people with an active membership of its lead."""
    if case.lead_organisation_id is None:
        return User.objects.none()
    colleagues = User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.active()
        .filter(organisation_id=case.lead_organisation_id)
        .values("user_id"),
    )
    if case.owner_id is not None:
        colleagues = colleagues.exclude(pk=case.owner_id)
    return colleagues.distinct().order_by("email")


@transaction.atomic
def record_adoption(
    *,
    case: Case,
    adopter: Organisation,
    status: Code,
    by: User,
    started_on: dt.date | None = None,
    cost: Decimal | None = None,
    annual_saving: Decimal | None = None,
    notes: str = "",
) -> Adoption:
    """ "We adopted this": one record per adopting organisation, updated when recorded again."""
    _require(by, "record_adoption", case)
    # Before asking who may adopt for it: the lead is refused whoever asks, and is told why.
    if adopter.pk == case.lead_organisation_id:
        raise ValidationError({"adopter": _("The lead organisation cannot adopt its own case.")})
    if not can(by, "adopt_case", adopter):
        raise PermissionDenied(
            _("You are not a verified member of %(organisation)s.") % {"organisation": adopter.name}
        )
    if status.code_list.slug != "adoption-status":
        raise ValidationError({"status": _("Choose an adoption status.")})
    adoption, created = Adoption.objects.update_or_create(
        case=case,
        adopter=adopter,
        defaults={
            "status": status,
            "started_on": started_on,
            "cost": cost,
            "annual_saving": annual_saving,
            "notes": notes,
            "recorded_by": by,
            "contact": by,
        },
    )
    if created:
        announce_adoption(adoption)
    # The lead organisation learns of new adopters even when it follows nothing.
    _notify_owner(
        case,
        _("%(adopter)s adopted your case") % {"adopter": adopter.name}
        if created
        else _("%(adopter)s updated its adoption") % {"adopter": adopter.name},
        f"{case.title}: {status.label}\n{settings.SITE_URL}{case.get_absolute_url()}",
    )
    return adoption


@transaction.atomic
def remove_adoption(*, adoption: Adoption, by: User) -> None:
    _require(
        by,
        "delete",
        adoption,
        why=_(
            "Only whoever recorded it, members of the adopting organisation, moderators and "
            "staff may remove an adoption."
        ),
    )
    record_audit_event(
        AuditEvent.Kind.ADOPTION_REMOVED,
        actor=by,
        organisation=adoption.adopter,
        case=str(adoption.case.uuid),
        adoption=adoption.pk,
        status=adoption.status.code,
    )
    adoption.delete()


@transaction.atomic
def relate_cases(
    *,
    from_case: Case,
    to_case: Case,
    relation: Code,
    by: User,
    changes_made: str = "",
    happened_on: dt.date | None = None,
) -> CaseRelation:
    """Record that `from_case` adopted, adapted, was inspired by... `to_case`."""
    _require(
        by,
        "relate",
        from_case,
        why=_("Only people who may edit this case may relate it to another."),
    )
    if not can(by, "view", to_case):
        raise PermissionDenied(_("You cannot see that case."))
    if from_case.pk == to_case.pk:
        raise ValidationError({"to_case": _("A case cannot be related to itself.")})
    if relation.code_list.slug != "spread-relation":
        raise ValidationError({"relation": _("Choose a kind of relation.")})
    link, _created = CaseRelation.objects.update_or_create(
        from_case=from_case,
        to_case=to_case,
        relation=relation,
        defaults={"changes_made": changes_made, "happened_on": happened_on, "recorded_by": by},
    )
    # Both sides agree once someone who may edit the other case records or confirms it too.
    if can(by, "edit", to_case) and not link.confirmed_by_both:
        link.confirmed_by_both = True
        link.save(update_fields=["confirmed_by_both"])
    return link


@transaction.atomic
def remove_relation(*, relation: CaseRelation, by: User) -> None:
    _require(
        by,
        "delete",
        relation,
        why=_(
            "Only whoever recorded it, people who may edit either case, moderators and staff "
            "may remove a relation."
        ),
    )
    record_audit_event(
        AuditEvent.Kind.RELATION_REMOVED,
        actor=by,
        organisation=relation.from_case.lead_organisation,
        relation=relation.pk,
        relation_kind=relation.relation.code,
        from_case=str(relation.from_case.uuid),
        to_case=str(relation.to_case.uuid),
    )
    relation.delete()


@transaction.atomic
def delete_case_from_index(*, case: Case) -> None:
    remove_document(doc_type=DOC_TYPE, object_id=str(case.pk))


def stale_cases(*, now: dt.datetime | None = None) -> Any:
    """Published cases not confirmed for STALE_AFTER, whose owners have not been reminded yet."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return Case.objects.filter(
        status=RecordStatus.PUBLISHED,
        last_confirmed_at__lt=cutoff,
        stale_reminder_sent_at__isnull=True,
        owner__isnull=False,
    ).select_related("owner")


@transaction.atomic
def remind_owner_of_stale_case(*, case: Case, now: dt.datetime | None = None) -> bool:
    """Mark a stale case as needing an update and tell its owner how to confirm or update it.

    False, and nothing done, when the case stopped being stale since it was listed (its owner
    confirmed it meanwhile, or another run got there first).
    """
    now = now or timezone.now()
    locked = stale_cases(now=now).select_for_update(of=("self",)).filter(pk=case.pk).first()
    if locked is None:
        return False
    case = locked
    case.status = RecordStatus.NEEDS_UPDATE
    case.stale_reminder_sent_at = now
    case.save(update_fields=["status", "stale_reminder_sent_at", "updated_at"])
    record_revision(case=case, author=None, change_summary="Not confirmed for a year")
    reindex_case(case=case)
    confirmed = case.last_confirmed_at.date().isoformat() if case.last_confirmed_at else "never"
    _notify_owner(
        case,
        _("Is your case still up to date?"),
        f"{case.title} was last confirmed on {confirmed}. Confirm it or update it:\n"
        f"{settings.SITE_URL}{case.get_absolute_url()}",
    )
    return True
