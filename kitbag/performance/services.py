"""Writes to partnerships and partners' figures, each in one transaction, with their rules.

Permission is checked by the caller (views, API) through ``can``; these functions enforce the
rules that hold whoever calls them (a figure's owner is a member of the partnership, sign-off
goes draft -> approved -> published, an uploaded file is stored whole or not at all).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from kitbag.accounts.models import User
from kitbag.performance import happenings
from kitbag.performance.figure_files import COLUMNS, FigureRow, FileError, read_figures
from kitbag.performance.models import (
    ComparisonGroup,
    FigureUpload,
    GroupVisibility,
    Indicator,
    MemberRole,
    Observation,
    Outcome,
    OutcomeIndicator,
    Partnership,
    PartnershipMember,
    SignOff,
    Source,
    Status,
    Target,
    Visibility,
)
from kitbag.performance.periods import Period
from kitbag.performance.search_documents import reindex_partnership
from kitbag.registry.models import IdentifierScheme, Organisation


class SignOffError(ValueError):
    """The figure is not in the state the step needs."""


def _unique_slug(text: str, taken: Iterable[str], *, limit: int = 100) -> str:
    base = slugify(text)[:limit] or "partnership"
    existing = set(taken)
    slug, n = base, 2
    while slug in existing:
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def create_partnership(
    *,
    name: str,
    description: str,
    lead: Organisation,
    coordinator: User,
    visibility: str = Visibility.PUBLIC,
    area_gss: list[str] | None = None,
    area_description: str = "",
    embargo_until: dt.datetime | None = None,
) -> Partnership:
    base = slugify(name)[:100] or "partnership"
    slug = _unique_slug(
        name,
        Partnership.objects.filter(slug__startswith=base).values_list("slug", flat=True),
    )
    partnership = Partnership.objects.create(
        name=name,
        slug=slug,
        description=description,
        coordinator=coordinator,
        created_by=coordinator,
        visibility=visibility,
        visible_to_organisation=lead,
        area_gss=area_gss or [],
        area_description=area_description,
        embargo_until=embargo_until,
    )
    PartnershipMember.objects.create(
        partnership=partnership,
        organisation=lead,
        role=MemberRole.LEAD,
        joined_on=timezone.localdate(),
    )
    reindex_partnership(partnership)
    return partnership


@transaction.atomic
def update_partnership(
    *,
    partnership: Partnership,
    name: str,
    description: str,
    visibility: str,
    area_gss: list[str],
    area_description: str,
    embargo_until: dt.datetime | None,
) -> Partnership:
    partnership.name = name
    partnership.description = description
    partnership.visibility = visibility
    partnership.area_gss = area_gss
    partnership.area_description = area_description
    partnership.embargo_until = embargo_until
    partnership.save()
    reindex_partnership(partnership)
    return partnership


@transaction.atomic
def add_member(
    *, partnership: Partnership, organisation: Organisation, role: str
) -> PartnershipMember:
    current = PartnershipMember.objects.filter(
        partnership=partnership, organisation=organisation, left_on__isnull=True
    ).first()
    if current is not None:
        current.role = role
        current.save(update_fields=["role"])
        return current
    member = PartnershipMember.objects.create(
        partnership=partnership,
        organisation=organisation,
        role=role,
        joined_on=timezone.localdate(),
    )
    reindex_partnership(partnership)
    return member


@transaction.atomic
def remove_member(*, member: PartnershipMember) -> PartnershipMember:
    """The organisation leaves; the row stays so the partnership's history says who was in it."""
    if member.left_on is None:
        member.left_on = timezone.localdate()
        member.save(update_fields=["left_on"])
        reindex_partnership(member.partnership)
    return member


@transaction.atomic
def create_outcome(
    *,
    partnership: Partnership,
    title: str,
    description: str = "",
    area_gss: list[str] | None = None,
    area_description: str = "",
) -> Outcome:
    base = slugify(title)[:100] or "outcome"
    slug = _unique_slug(
        title,
        partnership.outcomes.filter(slug__startswith=base).values_list("slug", flat=True),
    )
    outcome = Outcome.objects.create(
        partnership=partnership,
        title=title,
        slug=slug,
        description=description,
        area_gss=area_gss or [],
        area_description=area_description,
    )
    reindex_partnership(partnership)
    return outcome


@transaction.atomic
def define_indicator(
    *,
    partnership: Partnership,
    code: str,
    name: str,
    owner: Organisation,
    created_by: User,
    definition: str = "",
    unit: str = "",
    polarity: str = "higher",
    midpoint: float | None = None,
    decimal_places: int = 1,
    source_name: str = "",
    source_url: str = "",
    licence: str = "",
    numerator_label: str = "",
    denominator_label: str = "",
    visibility: str = Visibility.PUBLIC,
    embargo_until: dt.datetime | None = None,
    outcomes: Iterable[Outcome] = (),
) -> Indicator:
    base = slugify(f"{partnership.slug}-{code}")[:60]
    slug = _unique_slug(
        base,
        Indicator.objects.filter(slug__startswith=base).values_list("slug", flat=True),
        limit=60,
    )
    indicator = Indicator.objects.create(
        source=Source.PARTNERSHIP,
        partnership=partnership,
        code=code,
        slug=slug,
        name=name,
        definition=definition,
        unit=unit,
        polarity=polarity,
        midpoint=midpoint,
        decimal_places=decimal_places,
        source_name=source_name,
        source_url=source_url,
        licence=licence,
        numerator_label=numerator_label,
        denominator_label=denominator_label,
        owner_organisation=owner,
        visibility=visibility,
        embargo_until=embargo_until,
        created_by=created_by,
    )
    for position, outcome in enumerate(outcomes):
        OutcomeIndicator.objects.create(outcome=outcome, indicator=indicator, position=position)
    return indicator


def _gss_of(organisation: Organisation) -> str:
    gss = next(
        (
            i.value
            for i in organisation.identifiers.all()
            if i.scheme == IdentifierScheme.GSS and i.is_current
        ),
        "",
    )
    return gss


@dataclass(frozen=True)
class FigureInput:
    indicator: Indicator
    organisation: Organisation | None  # the body the figure is about, or
    area: str  # a GSS code
    period: Period
    value: float
    numerator: float | None = None
    denominator: float | None = None
    status: str = Status.FINAL
    note: str = ""
    visibility: str = Visibility.PARTNERS
    embargo_until: dt.datetime | None = None


def _store_figure(
    figure: FigureInput,
    *,
    owner: Organisation,
    entered_by: User,
    upload: FigureUpload | None,
    line: int | None,
) -> Observation:
    if figure.organisation is not None:
        subject_key, gss = f"org:{figure.organisation.pk}", _gss_of(figure.organisation)
    else:
        subject_key, gss = f"gss:{figure.area}", figure.area
    values = {
        "organisation": figure.organisation,
        "gss": gss,
        "period_label": figure.period.label,
        "period_start": figure.period.start,
        "period_end": figure.period.end,
        "value": figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "status": figure.status,
        "note": figure.note,
        "owner_organisation": owner,
        "visibility": figure.visibility,
        "embargo_until": figure.embargo_until,
        "entered_by": entered_by,
        "entered_at": timezone.now(),
        "upload": upload,
        "source_file": upload.file_name if upload else "",
        "source_row": line,
        # A changed figure goes back to draft: its owner signs off the new value.
        "sign_off": SignOff.DRAFT,
        "approved_by": None,
        "approved_at": None,
        "published_by": None,
        "published_at": None,
    }
    existing = (
        Observation.objects.select_for_update()
        .filter(
            indicator=figure.indicator,
            subject_key=subject_key,
            period=figure.period.iso,
            import_run__isnull=True,
        )
        .first()
    )
    if existing is not None:
        if existing.owner_organisation_id != owner.pk:
            raise PermissionError("Another organisation owns this figure")
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        return existing
    return Observation.objects.create(
        indicator=figure.indicator, subject_key=subject_key, period=figure.period.iso, **values
    )


@transaction.atomic
def enter_figure(*, figure: FigureInput, owner: Organisation, entered_by: User) -> Observation:
    """A partner's figure, as a draft for its owner to approve."""
    return _store_figure(figure, owner=owner, entered_by=entered_by, upload=None, line=None)


@dataclass
class UploadResult:
    upload: FigureUpload | None = None
    errors: list[FileError] = field(default_factory=list)
    already_uploaded: bool = False
    stored: int = 0


def upload_figures(
    *,
    partnership: Partnership,
    owner: Organisation,
    uploaded_by: User,
    file_name: str,
    data: bytes,
    visibility: str = Visibility.PARTNERS,
) -> UploadResult:
    """Store every figure of a CSV file, or none: every error is reported with its line and
    column, and nothing is written unless the whole file is right. The same file again (by its
    SHA-256) changes nothing."""
    sha256 = hashlib.sha256(data).hexdigest()
    previous = FigureUpload.objects.filter(
        partnership=partnership, owner_organisation=owner, sha256=sha256
    ).first()
    if previous is not None:
        return UploadResult(upload=previous, already_uploaded=True)
    read = read_figures(data)
    resolved, errors = _resolve(partnership, read.readable, visibility)
    if read.errors or errors:
        every = sorted(
            [*read.errors, *errors],
            key=lambda e: (e.line, COLUMNS.index(e.column) if e.column in COLUMNS else -1),
        )
        return UploadResult(errors=every)
    try:
        with transaction.atomic():
            upload = FigureUpload.objects.create(
                partnership=partnership,
                owner_organisation=owner,
                uploaded_by=uploaded_by,
                file_name=file_name[:255],
                sha256=sha256,
                row_count=len(resolved),
            )
            for line, figure in resolved:
                try:
                    _store_figure(
                        figure, owner=owner, entered_by=uploaded_by, upload=upload, line=line
                    )
                except PermissionError as error:
                    errors.append(FileError(line, "organisation", str(error)))
            if errors:
                # Nothing is kept: the whole file or none of it.
                raise _Refused
    except _Refused:
        return UploadResult(errors=errors)
    except IntegrityError:
        # The same file arrived twice at once; the other request stored it.
        existing = FigureUpload.objects.filter(
            partnership=partnership, owner_organisation=owner, sha256=sha256
        ).first()
        return UploadResult(upload=existing, already_uploaded=True)
    return UploadResult(upload=upload, stored=len(resolved))


class _Refused(Exception):
    pass


def _resolve(
    partnership: Partnership, rows: list[FigureRow], visibility: str
) -> tuple[list[tuple[int, FigureInput]], list[FileError]]:
    """Look up every row's indicator and organisation in three queries; report each miss."""
    indicators = {i.code.lower(): i for i in partnership.indicators.all()}
    codes = {row.organisation for row in rows if row.organisation}
    organisations: dict[str, Organisation] = {}
    for organisation in Organisation.objects.filter(code__in=codes).prefetch_related("identifiers"):
        organisations.setdefault(organisation.code, organisation)
    errors: list[FileError] = []
    resolved: list[tuple[int, FigureInput]] = []
    for row in rows:
        indicator = indicators.get(row.indicator.lower())
        if indicator is None:
            errors.append(
                FileError(
                    row.line,
                    "indicator",
                    f"{row.indicator!r} is not an indicator of this partnership",
                )
            )
        subject = organisations.get(row.organisation) if row.organisation else None
        if row.organisation and subject is None:
            errors.append(
                FileError(row.line, "organisation", f"{row.organisation!r} is not a registry code")
            )
        if indicator is None or (row.organisation and subject is None):
            continue
        resolved.append(
            (
                row.line,
                FigureInput(
                    indicator=indicator,
                    organisation=subject,
                    area=row.area,
                    period=row.period,
                    value=row.value,
                    numerator=row.numerator,
                    denominator=row.denominator,
                    status=row.status,
                    note=row.note,
                    visibility=visibility,
                ),
            )
        )
    return resolved, errors


@transaction.atomic
def approve_figure(*, observation: Observation, by: User) -> Observation:
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if observation.sign_off != SignOff.DRAFT:
        raise SignOffError("Only a draft can be approved")
    observation.sign_off = SignOff.APPROVED
    observation.approved_by = by
    observation.approved_at = timezone.now()
    observation.save(update_fields=["sign_off", "approved_by", "approved_at"])
    return observation


@transaction.atomic
def publish_figure(
    *, observation: Observation, by: User, visibility: str | None = None
) -> Observation:
    """The owner publishes an approved figure (and may widen it to public at the same time).
    The one place a partner's figure becomes published: announce it from here."""
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if observation.sign_off != SignOff.APPROVED:
        raise SignOffError("Only an approved figure can be published")
    observation.sign_off = SignOff.PUBLISHED
    observation.published_by = by
    observation.published_at = timezone.now()
    if visibility is not None:
        observation.visibility = visibility
    observation.save(update_fields=["sign_off", "published_by", "published_at", "visibility"])
    transaction.on_commit(lambda: announce_published_figure(observation))
    return observation


@transaction.atomic
def announce_published_figure(observation: Observation) -> None:
    """Runs once publish_figure has committed (kitbag/performance/happenings.py). Visibility is
    asked again by whoever shows the happening, so an embargoed or partners-only figure is not
    disclosed by it."""
    happenings.announce_published_figure(observation)


@transaction.atomic
def set_target(
    *,
    indicator: Indicator,
    organisation: Organisation | None,
    area: str,
    period: Period,
    value: float,
    note: str,
    set_by: User,
) -> Target:
    """The indicator's target for one body or area in one period; setting it again replaces it.
    Only a partnership's own indicator has targets (who may set one is asked through ``can``)."""
    if indicator.partnership_id is None:
        raise ValueError("only a partnership's indicator has targets")
    if (organisation is None) == (not area):
        raise ValueError("a target is for an organisation or an area, one of them")
    target, _created = Target.objects.update_or_create(
        indicator=indicator,
        organisation=organisation,
        gss="" if organisation is not None else area,
        period=period.iso,
        defaults={
            "period_label": period.label,
            "period_start": period.start,
            "value": value,
            "note": note,
            "set_by": set_by,
        },
    )
    return target


@transaction.atomic
def create_comparison_group(
    *,
    name: str,
    owner: Organisation,
    councils: Iterable[Organisation],
    created_by: User | None,
    visibility: str = GroupVisibility.PUBLIC,
    description: str = "",
) -> ComparisonGroup:
    """A named group of councils to compare within. The caller checks the person may create it
    (``can(person, "create_comparison_group")``) and owns ``owner``."""
    chosen = list(councils)
    if len(chosen) < 2:
        raise ValueError("a comparison group needs at least two councils")
    base = slugify(name)[:100] or "group"
    slug = _unique_slug(
        name,
        # "new" is the address of the form that makes groups.
        [
            "new",
            *ComparisonGroup.objects.filter(slug__startswith=base).values_list("slug", flat=True),
        ],
    )
    group = ComparisonGroup.objects.create(
        name=name,
        slug=slug,
        description=description,
        owner_organisation=owner,
        visibility=visibility,
        created_by=created_by,
    )
    group.councils.set(chosen)
    return group


@transaction.atomic
def delete_comparison_group(*, group: ComparisonGroup) -> None:
    """Delete a custom group. Indicator pages that named it fall back to the default group; the
    caller checks ``can(person, "delete", group)``."""
    group.delete()


@transaction.atomic
def update_comparison_group(
    *,
    group: ComparisonGroup,
    name: str,
    owner: Organisation,
    councils: Iterable[Organisation],
    visibility: str,
    description: str = "",
) -> ComparisonGroup:
    """Change a group's name, councils, owner or visibility; its address (slug) stays, so links
    to indicator pages compared within it keep working. The caller checks ``can(person, "edit",
    group)`` and that the person belongs to ``owner``."""
    chosen = list(councils)
    if len(chosen) < 2:
        raise ValueError("a comparison group needs at least two councils")
    group.name = name
    group.description = description
    group.owner_organisation = owner
    group.visibility = visibility
    group.save(update_fields=["name", "description", "owner_organisation", "visibility"])
    group.councils.set(chosen)
    return group
