"""Meeting openness pages: the law, the national view and its downloads, a council's openness,
setting a policy, reporting an experience, a report's page with its moderation and replies.

Views parse, ask the permission table, call a service or a query, and render. A report nobody may
show the viewer is a 404, not a 403, so its existence does not leak either.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kitbag.accounts.models import User
from kitbag.accounts.permissions import can
from kitbag.core.downloads import csv_response, json_response
from kitbag.core.rate_limits import rate_limited
from kitbag.meetings.calendar import queries
from kitbag.meetings.models import (
    Activity,
    OpennessReport,
    PolicyStatus,
    PolicyVersion,
    ReportState,
)
from kitbag.meetings.openness import positions
from kitbag.meetings.openness import queries as openness_queries
from kitbag.meetings.openness import services as openness_services
from kitbag.meetings.openness.forms import (
    InformationForm,
    ModerateForm,
    PolicyForm,
    ReplyForm,
    ReportForm,
)
from kitbag.registry import queries as registry_queries
from kitbag.registry.models import Nation, Organisation, OrganisationKind

DEFAULT_MAP_ACTIVITY = positions.FILMING
# GOV.UK colours, as SVG fill attributes (the CSP allows no inline style, and attributes are not
# styles). Each status also has its own name in the key, the tooltip and the table.
STATUS_COLOURS = {
    positions.ALLOWED: "#00703c",
    positions.ALLOWED_WITH_CONDITIONS: "#85994b",
    positions.PERMISSION_REQUIRED: "#f47738",
    positions.PROHIBITED: "#d4351c",
    positions.UNKNOWN: "#b1b4b6",
}
DOWNLOAD_FIELDS = (
    "council",
    "council_slug",
    "local_authority_code",
    "nation",
    "activity",
    "status",
    "source",
    "stricter_than_law",
    "legal_position",
    "policy_version",
    "conditions",
    "evidence_url",
    "evidence_date",
    "verified_by",
    "recorded_at",
    "accepted_reports",
    "url",
    "origin",
    "law",
)


def _council(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug, kind=OrganisationKind.LOCAL_AUTHORITY)


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _visible_report(request: HttpRequest, pk: int) -> OpennessReport:
    report = (
        OpennessReport.objects.select_related("council", "committee", "reporter", "duplicate_of")
        .filter(pk=pk)
        .first()
    )
    if report is None or not can(request.user, "view", report):
        raise Http404("No such report.")
    return report


# --- The law ------------------------------------------------------------------------------------


@require_safe
def law(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/openness/law.html",
        {"nations": openness_queries.law_table(), "activities": Activity.choices},
    )


# --- National view ------------------------------------------------------------------------------


class Filters:
    """?nation=&activity=&status=, with anything unknown ignored (and said so on the page)."""

    def __init__(self, request: HttpRequest) -> None:
        self.nation = _choice(request.GET.get("nation"), Nation.values)
        self.activity = _choice(request.GET.get("activity"), Activity.values)
        self.status = _choice(request.GET.get("status"), PolicyStatus.values)

    @property
    def map_activity(self) -> str:
        return self.activity or DEFAULT_MAP_ACTIVITY

    def query(self) -> dict[str, str]:
        return {
            k: v
            for k, v in {
                "nation": self.nation,
                "activity": self.activity,
                "status": self.status,
            }.items()
            if v
        }


def _choice(value: str | None, allowed: list[str]) -> str | None:
    return value if value in allowed else None


def _national_rows(filters: Filters) -> list[openness_queries.CouncilOpenness]:
    return openness_queries.national_table(
        nation=filters.nation, activity=filters.activity, status=filters.status
    )


@require_safe
def national(request: HttpRequest) -> HttpResponse:
    filters = Filters(request)
    rows = _national_rows(filters)
    activity = filters.map_activity
    by_pk = {row.council.pk: row.cell(activity) for row in rows}
    council_map = registry_queries.council_map()
    areas = []
    for area in council_map.areas:
        cell = by_pk.get(area.council.pk) if area.council else None
        areas.append(
            {
                "placed": area.placed,
                "council": area.council if cell else None,
                "cell": cell,
                "fill": STATUS_COLOURS[cell.status] if cell else "#f3f2f1",
            }
        )
    counts = openness_queries.counts_by_nation(rows, activity=activity)
    legend = [
        {
            "status": status,
            "label": label,
            "fill": STATUS_COLOURS[status],
            "count": sum(c.by_status[status] for c in counts),
        }
        for status, label in PolicyStatus.choices
    ]
    query = filters.query()
    return render(
        request,
        "meetings/openness/national.html",
        {
            "filters": filters,
            "rows": rows,
            "activities": Activity.choices,
            "nations": Nation.choices,
            "statuses": PolicyStatus.choices,
            "map_activity": activity,
            "map_activity_label": Activity(activity).label,
            "drawing": council_map.drawing,
            "areas": areas,
            "legend": legend,
            "counts": counts,
            "query": urlencode(query),
        },
    )


def _download_rows(
    request: HttpRequest, rows: list[openness_queries.CouncilOpenness], activity: str | None
) -> Iterator[dict[str, Any]]:
    for row in rows:
        for cell in row.cells:
            if activity and cell.activity != activity:
                continue
            version = cell.version
            yield {
                "council": row.council.name,
                "council_slug": row.council.slug,
                "local_authority_code": row.council.code,
                "nation": row.council.nation,
                "activity": cell.activity,
                "status": cell.status,
                # What settles the answer: policy, reports, law or unknown (positions.SOURCES).
                "source": cell.source,
                "stricter_than_law": cell.stricter_than_law,
                "legal_position": cell.rule.position if cell.rule else "",
                "policy_version": version.number if version else None,
                "conditions": version.conditions if version else "",
                "evidence_url": version.evidence_url if version else "",
                "evidence_date": version.evidence_date if version else None,
                "verified_by": version.verified_by_label if version else "",
                "recorded_at": version.recorded_at if version else None,
                "accepted_reports": row.accepted_reports,
                "url": request.build_absolute_uri(
                    reverse("meetings:openness_council", kwargs={"slug": row.council.slug})
                ),
                # Until issue 16, `source` said what `origin` now says; `origin` keeps it.
                "origin": cell.origin,
                "law": cell.law_citation,
            }


@require_safe
def national_csv(request: HttpRequest) -> StreamingHttpResponse:
    filters = Filters(request)
    rows = _download_rows(request, _national_rows(filters), filters.activity)
    return csv_response(rows, columns=DOWNLOAD_FIELDS, filename="meeting-positions.csv")


@require_safe
def national_json(request: HttpRequest) -> HttpResponse:
    filters = Filters(request)
    rows = list(_download_rows(request, _national_rows(filters), filters.activity))
    return json_response({"count": len(rows), "results": rows}, filename="meeting-positions.json")


# --- A council ----------------------------------------------------------------------------------


@require_safe
def council_openness(request: HttpRequest, slug: str) -> HttpResponse:
    council = _council(slug)
    return render(
        request,
        "meetings/openness/council.html",
        {
            "council": council,
            "activities": openness_queries.council_openness(council),
            "reports": list(
                openness_queries.reports_for_council(council=council, viewer=request.user)
            ),
            "may_set_policy": can(request.user, "set_openness_policy", council),
        },
    )


@login_required
@rate_limited("openness-write")
def policy_new(request: HttpRequest, slug: str) -> HttpResponse:
    council = _council(slug)
    user = _user(request)
    if not can(user, "set_openness_policy", council):
        raise PermissionDenied
    # Nothing is chosen for the editor, not even from the address (GOV.UK radios).
    form = PolicyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        openness_services.record_policy(
            council=council,
            activity=data["activity"],
            change=openness_services.PolicyChange(
                status=data["status"],
                conditions=data["conditions"],
                evidence_url=data["evidence_url"],
                evidence_file=data["evidence_file"],
                evidence_date=data["evidence_date"],
                note=data["note"],
            ),
            by=user,
        )
        messages.success(request, _("The policy is recorded."))
        return redirect("meetings:openness_council", slug=council.slug)
    return render(request, "meetings/openness/policy_form.html", {"council": council, "form": form})


@login_required
@rate_limited("openness-report")
def report_new(request: HttpRequest, slug: str) -> HttpResponse:
    council = _council(slug)
    user = _user(request)
    assert user is not None  # login_required has run
    committees = queries.council_committees(council).filter(is_deleted=False).order_by("title")
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        committees=committees,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = openness_services.submit_report(
                council=council,
                by=user,
                activity=data["activity"],
                observed_on=data["observed_on"],
                narrative=data["narrative"],
                committee=data["committee"],
                committee_name=data["committee_name"],
                claimed_status=data["claimed_status"],
                evidence_url=data["evidence_url"],
                evidence_file=data["evidence_file"],
            )
        except openness_services.OpennessError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you: your report has been sent to the moderators."))
            return redirect(report.get_absolute_url())
    return render(request, "meetings/openness/report_form.html", {"council": council, "form": form})


# --- A report -----------------------------------------------------------------------------------


def _report_context(
    request: HttpRequest,
    report: OpennessReport,
    *,
    moderate_form: ModerateForm | None = None,
    reply_form: ReplyForm | None = None,
    information_form: InformationForm | None = None,
) -> dict[str, Any]:
    user = _user(request)
    allowed = sorted(openness_services.TRANSITIONS.get(report.state, frozenset()))
    may_moderate = can(user, "moderate", report) and bool(allowed)
    may_reply = can(user, "reply", report)
    may_add_information = can(user, "add_information", report)
    return {
        "report": report,
        "council": report.council,
        "history": list(openness_queries.report_history(report)),
        "replies": list(report.replies.all()),
        "may_view_private": can(user, "view_private", report),
        "may_moderate": may_moderate,
        "may_reply": may_reply,
        "moderate_form": moderate_form
        or (ModerateForm(report=report, allowed=allowed) if may_moderate else None),
        "reply_form": reply_form or (ReplyForm(prefix="reply") if may_reply else None),
        "information_form": information_form
        or (
            InformationForm(prefix="info")
            if may_add_information and report.state == ReportState.NEEDS_INFO
            else None
        ),
        "policy_versions": list(report.policy_versions.all()),
    }


@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    return render(request, "meetings/openness/report_detail.html", _report_context(request, report))


@require_POST
@login_required
@rate_limited("openness-write")
def report_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    user = _user(request)
    if not can(user, "moderate", report):
        raise PermissionDenied
    assert user is not None
    allowed = sorted(openness_services.TRANSITIONS.get(report.state, frozenset()))
    form = ModerateForm(request.POST, report=report, allowed=allowed)
    if form.is_valid():
        data = form.cleaned_data
        duplicate_of = None
        if data.get("duplicate_of"):
            duplicate_of = OpennessReport.objects.filter(pk=data["duplicate_of"]).first()
        policy = None
        if data["change_policy"]:
            policy = openness_services.PolicyChange(
                status=data["policy_status"], conditions=data["policy_conditions"]
            )
        try:
            openness_services.move_report(
                report=report,
                to_state=data["to_state"],
                reason=data["reason"],
                by=user,
                duplicate_of=duplicate_of,
                policy=policy,
            )
        except openness_services.OpennessError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report has moved on and the reporter has been told."))
            return HttpResponseRedirect(report.get_absolute_url())
    return render(
        request,
        "meetings/openness/report_detail.html",
        _report_context(request, report, moderate_form=form),
        status=400,
    )


@require_POST
@login_required
@rate_limited("openness-write")
def report_reply(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    user = _user(request)
    if not can(user, "reply", report):
        raise PermissionDenied
    assert user is not None
    form = ReplyForm(request.POST, prefix="reply")
    if form.is_valid():
        openness_services.reply_to_report(report=report, text=form.cleaned_data["text"], by=user)
        messages.success(request, _("The council's reply is published with the report."))
        return HttpResponseRedirect(report.get_absolute_url())
    return render(
        request,
        "meetings/openness/report_detail.html",
        _report_context(request, report, reply_form=form),
        status=400,
    )


@require_POST
@login_required
@rate_limited("openness-write")
def report_information(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    user = _user(request)
    if user is None or not can(user, "add_information", report):
        raise PermissionDenied
    form = InformationForm(request.POST, prefix="info")
    if form.is_valid():
        try:
            openness_services.add_information(
                report=report, text=form.cleaned_data["text"], by=user
            )
        except openness_services.OpennessError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you: the moderators will look at it again."))
            return HttpResponseRedirect(report.get_absolute_url())
    return render(
        request,
        "meetings/openness/report_detail.html",
        _report_context(request, report, information_form=form),
        status=400,
    )


def _file_response(field: FieldFile) -> FileResponse:
    if not field:
        raise Http404("No file.")
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing.") from error
    content_type = mimetypes.guess_type(field.name or "")[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    # Never rendered as a page of ours: a file is downloaded or shown by the browser's viewer.
    response["Content-Disposition"] = (
        "attachment" if content_type == "application/pdf" else "inline"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def report_evidence(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(_visible_report(request, pk).evidence_file)


@require_safe
def policy_evidence(request: HttpRequest, pk: int) -> FileResponse:
    version = get_object_or_404(PolicyVersion, pk=pk)
    return _file_response(version.evidence_file)


@login_required
@require_safe
def my_reports(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/openness/my_reports.html",
        {"reports": list(openness_queries.reports_of(request.user))},
    )


@login_required
@require_safe
def moderation_queue(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "moderate"):
        raise PermissionDenied
    return render(
        request,
        "meetings/openness/moderation_queue.html",
        {"reports": list(openness_queries.moderation_queue())},
    )


# --- The council's registry page ----------------------------------------------------------------


def organisation_section(
    request: HttpRequest | None, organisation: object
) -> dict[str, object] | None:
    """The "Meeting openness" section of a council's registry page (kitbag/core/page_sections.py).

    The registry caches its pages for anonymous readers until an import or for
    KITBAG_PAGE_CACHE_SECONDS, so this summary can be that much behind the council's openness
    page, which is never cached and is the one it links to.
    """
    if not isinstance(organisation, Organisation):
        return None
    if organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
        return None
    return {
        "council": organisation,
        "openness_cells": openness_queries.council_summary(organisation),
    }
