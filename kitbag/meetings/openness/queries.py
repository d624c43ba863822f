"""Reads of meeting openness that pages, downloads and the API share (a fixed number of queries).

A council with no recorded policy for an activity (or one that says only "unknown") takes the
answer of the law of its nation where that law settles the activity (positions.answer): each cell
says where its answer comes from (`source`: policy, reports, law or unknown) and which Act, so no
page or file can pass the law off as the council's own policy, and none shows "Unknown" beside a
statutory right or duty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from kitbag.accounts.models import ModerationLogEntry
from kitbag.accounts.permissions import Actor, Viewer
from kitbag.core.parts import Figure
from kitbag.meetings.models import (
    Activity,
    LegalRule,
    OpennessReport,
    PolicyBasis,
    PolicyStatus,
    PolicyVersion,
    ReportState,
)
from kitbag.meetings.openness import positions
from kitbag.meetings.openness.law import Rule
from kitbag.meetings.openness.law import rules as law_rules
from kitbag.meetings.permissions import visible_reports
from kitbag.registry.models import Nation, Organisation, OrganisationKind

NO_NATION = ""
# How the moderation log names what it is about (openness/services.py writes these).
REPORT_OBJECT_TYPE = "openness-report"
POLICY_OBJECT_TYPE = "openness-policy"


@dataclass(frozen=True)
class Cell:
    """One council's position on one activity."""

    activity: str
    status: str
    from_law: bool  # no policy is recorded: the answer is the nation's statutory position
    stricter_than_law: bool
    rule: LegalRule | None
    version: PolicyVersion | None
    source: str = positions.SOURCE_UNKNOWN  # positions.SOURCES
    legal_position: str | None = None
    law_citation: str = ""  # the Act or regulations, where the law settles the answer
    law_url: str = ""

    @property
    def status_label(self) -> str:
        if self.source == positions.SOURCE_LAW and self.legal_position == positions.STATUTORY_DUTY:
            return _("Required by law")
        return str(PolicyStatus(self.status).label)

    @property
    def activity_label(self) -> str:
        return str(Activity(self.activity).label)

    @property
    def origin(self) -> str:
        """The older two-valued field of the API and files, kept as it was."""
        return "statutory-position" if self.from_law else "council-policy"


@dataclass
class CouncilOpenness:
    council: Organisation
    cells: list[Cell]
    accepted_reports: int = 0

    def cell(self, activity: str) -> Cell:
        return next(cell for cell in self.cells if cell.activity == activity)

    @property
    def stricter_than_law(self) -> bool:
        return any(cell.stricter_than_law for cell in self.cells)


@dataclass(frozen=True)
class ActivityHistory:
    cell: Cell
    history: list[PolicyVersion] = field(default_factory=list)


def rules_by_nation() -> dict[str, dict[str, LegalRule]]:
    table: dict[str, dict[str, LegalRule]] = {}
    for rule in LegalRule.objects.all():
        table.setdefault(rule.nation, {})[rule.activity] = rule
    return table


def law_table() -> list[tuple[str, list[LegalRule]]]:
    """Each nation (in the registry's order) with its rules in activity order."""
    by_nation = rules_by_nation()
    return [
        (
            str(label),
            [by_nation[value][a] for a in positions.ACTIVITIES if a in by_nation.get(value, {})],
        )
        for value, label in Nation.choices
    ]


def _cell(
    activity: str,
    rule: LegalRule | None,
    version: PolicyVersion | None,
    *,
    law: LegalRule | Rule | None = None,
) -> Cell:
    """`law` is the rule the answer is read from: the LegalRule row or law.py's own Rule."""
    if law is None:
        law = rule
    position = law.position if law is not None else None
    answer = positions.answer(
        legal_position=position,
        policy_status=version.status if version is not None else None,
        from_report=version is not None and version.basis == PolicyBasis.ACCEPTED_REPORT,
    )
    by_law = answer.source == positions.SOURCE_LAW and law is not None
    return Cell(
        activity=activity,
        status=answer.status,
        from_law=version is None,
        stricter_than_law=version.stricter_than_law if version is not None else False,
        rule=rule,
        version=version,
        source=answer.source,
        legal_position=position,
        law_citation=positions.law_citation(law.instrument, law.provision)
        if by_law and law is not None
        else "",
        law_url=law.url if by_law and law is not None else "",
    )


def current_versions() -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.filter(superseded_at__isnull=True)


def openness_councils() -> QuerySet[Organisation]:
    """The councils the national view covers: current local authorities."""
    return Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY).current()


def council_openness(council: Organisation) -> list[ActivityHistory]:
    """Each activity with the council's position and every version of its policy, newest first."""
    rules = rules_by_nation().get(council.nation, {})
    versions: dict[str, list[PolicyVersion]] = {}
    for version in PolicyVersion.objects.filter(council=council).order_by("activity", "-number"):
        versions.setdefault(version.activity, []).append(version)
    result = []
    for activity in positions.ACTIVITIES:
        history = versions.get(activity, [])
        current = next((v for v in history if v.superseded_at is None), None)
        result.append(
            ActivityHistory(cell=_cell(activity, rules.get(activity), current), history=history)
        )
    return result


def council_summary(council: Organisation) -> list[Cell]:
    """Each activity's position for a council, in one query: the registry page's section.

    The statutory positions come from law.py itself (what migration 0003 loads into LegalRule), so
    a section on someone else's page costs one query, not two; `rule` is left empty.
    """
    law = {(rule.nation, rule.activity): rule for rule in law_rules()}
    current = {v.activity: v for v in current_versions().filter(council=council)}
    return [
        _cell(activity, None, current.get(activity), law=law.get((council.nation, activity)))
        for activity in positions.ACTIVITIES
    ]


def national_table(
    *,
    nation: str | None = None,
    activity: str | None = None,
    status: str | None = None,
    councils: Iterable[Organisation] | None = None,
) -> list[CouncilOpenness]:
    """Every council with its position on each activity, filtered; three queries in all.

    `status` matches the effective status of `activity`, or of any activity when none is given.
    """
    queryset = openness_councils().order_by("name", "pk")
    if nation is not None:
        queryset = queryset.filter(nation=nation)
    chosen = list(councils) if councils is not None else list(queryset)
    rules = rules_by_nation()
    versions: dict[tuple[int, str], PolicyVersion] = {
        (v.council_id, v.activity): v
        for v in current_versions().filter(council__in=[c.pk for c in chosen])
    }
    accepted = dict(
        OpennessReport.objects.filter(
            state=ReportState.ACCEPTED, council__in=[c.pk for c in chosen]
        )
        .values_list("council")
        .annotate(count=Count("pk"))
        .values_list("council", "count")
    )
    rows = []
    for council in chosen:
        nation_rules = rules.get(council.nation, {})
        cells = [
            _cell(a, nation_rules.get(a), versions.get((council.pk, a)))
            for a in positions.ACTIVITIES
        ]
        row = CouncilOpenness(
            council=council, cells=cells, accepted_reports=accepted.get(council.pk, 0)
        )
        if status is not None:
            wanted = [row.cell(activity)] if activity else row.cells
            if not any(cell.status == status for cell in wanted):
                continue
        rows.append(row)
    return rows


@dataclass(frozen=True)
class NationCount:
    nation: str
    label: str
    councils: int
    by_status: dict[str, int]
    recorded: int  # councils with a recorded policy for the activity
    stricter: int


def counts_by_nation(rows: list[CouncilOpenness], *, activity: str) -> list[NationCount]:
    counts = []
    for value, label in [*Nation.choices, (NO_NATION, "Nation not known")]:
        in_nation = [row for row in rows if row.council.nation == value]
        if value == NO_NATION and not in_nation:
            continue
        cells = [row.cell(activity) for row in in_nation]
        tally = Counter(cell.status for cell in cells)
        counts.append(
            NationCount(
                nation=value,
                label=str(label),
                councils=len(in_nation),
                by_status={status: tally.get(status, 0) for status in PolicyStatus.values},
                recorded=sum(1 for cell in cells if not cell.from_law),
                stricter=sum(1 for cell in cells if cell.stricter_than_law),
            )
        )
    return counts


# --- Reports ------------------------------------------------------------------------------------


def reports_for_council(*, council: Organisation, viewer: Viewer) -> QuerySet[OpennessReport]:
    return (
        visible_reports(viewer)
        .filter(council=council)
        .select_related("committee", "council")
        .prefetch_related("replies")
        .order_by("-created_at", "-pk")
    )


def reports_of(viewer: Viewer) -> QuerySet[OpennessReport]:
    """A person's own reports, whatever their state."""
    user = Actor.of(viewer).user
    if user is None:
        return OpennessReport.objects.none()
    return OpennessReport.objects.filter(reporter=user).select_related("council", "committee")


def moderation_queue() -> QuerySet[OpennessReport]:
    """Reports still waiting for a moderator, oldest first."""
    return (
        OpennessReport.objects.filter(
            state__in=[ReportState.SUBMITTED, ReportState.TRIAGED, ReportState.NEEDS_INFO]
        )
        .select_related("council", "committee")
        .order_by("created_at", "pk")
    )


def report_history(report: OpennessReport) -> QuerySet[ModerationLogEntry]:
    """Every logged step of one report, oldest first, for whoever may see the report itself."""
    return ModerationLogEntry.objects.filter(
        object_type=REPORT_OBJECT_TYPE, object_id=str(report.pk)
    ).order_by("created_at", "pk")


def public_reports(
    *, viewer: Viewer, council: Organisation | None = None
) -> QuerySet[OpennessReport]:
    reports = (
        visible_reports(viewer).select_related("council", "committee").prefetch_related("replies")
    )
    if council is not None:
        reports = reports.filter(council=council)
    return reports.order_by("-created_at", "-pk")


def council_by_code(code: str) -> Organisation | None:
    return (
        openness_councils()
        .filter(Q(code=code.strip().upper()) | Q(slug=code.strip().lower()))
        .order_by("pk")
        .first()
    )


def openness_figures() -> list[Figure]:
    """Openness's figure on the home page, in one query: councils with a policy on record for at
    least one activity (one that says more than "unknown")."""
    known = current_versions().filter(council=OuterRef("pk")).exclude(status=PolicyStatus.UNKNOWN)
    councils = openness_councils().filter(Exists(known)).count()
    return [Figure(label=_("Councils with a known policy"), value=councils)]
