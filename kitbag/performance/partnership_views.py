"""Partnership pages: the list, a partnership (members, outcomes, indicators, figures as the
reader may see them), creating and editing it, members, outcomes and indicators, entering and
uploading figures and signing them off. Every list comes from a ``permissions.visible_*``
queryset (through ``queries``); every change asks ``can`` first.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kitbag.accounts.models import Membership, User
from kitbag.accounts.permissions import can
from kitbag.core.downloads import csv_response
from kitbag.performance import charts, csvw, queries, services, trend
from kitbag.performance.figure_files import COLUMNS, template_rows
from kitbag.performance.forms import (
    FigureForm,
    IndicatorForm,
    MemberForm,
    OutcomeForm,
    PartnershipForm,
    TargetForm,
    UploadForm,
)
from kitbag.performance.models import (
    Indicator,
    Observation,
    Partnership,
    PartnershipMember,
    SignOff,
    Target,
)
from kitbag.performance.permissions import (
    entering_organisations,
    visible_indicators,
    visible_observations,
    visible_partnerships,
    visible_targets,
)
from kitbag.registry.models import Organisation


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    return user


def _partnership(request: HttpRequest, slug: str) -> Partnership:
    found = visible_partnerships(request.user).filter(slug=slug).select_related("coordinator")
    partnership = found.first()
    if partnership is None:
        raise Http404("No such partnership")
    return partnership


def format_figure(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.{indicator.decimal_places}f}"


@require_safe
def partnership_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "performance/partnership_list.html",
        {
            "partnerships": list(queries.partnerships_for(request.user)),
            "may_create": can(request.user, "create_partnership"),
        },
    )


@require_safe
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    indicators = list(queries.partnership_indicators(request.user, partnership))
    visible_ids = {i.pk for i in indicators}
    outcomes = [
        (outcome, [i for i in outcome.indicators.all() if i.pk in visible_ids])
        for outcome in partnership.outcomes.prefetch_related("indicators")
    ]
    figures = list(queries.partnership_figures(request.user, partnership))
    latest: dict[tuple[int, str], Observation] = {}
    for figure in figures:  # newest period first within each indicator
        latest.setdefault((figure.indicator_id, figure.subject_key or figure.gss), figure)
    awaiting = list(queries.figures_awaiting(request.user, partnership))
    return render(
        request,
        "performance/partnership_detail.html",
        {
            "partnership": partnership,
            "members": list(queries.current_members(partnership)),
            "outcomes": outcomes,
            "indicators": indicators,
            "latest": [
                {"figure": f, "value": format_figure(f.indicator, f.value)} for f in latest.values()
            ],
            "awaiting": [
                {"figure": f, "value": format_figure(f.indicator, f.value)} for f in awaiting
            ],
            "may_edit": can(request.user, "edit", partnership),
            "may_enter": can(request.user, "enter_figures", partnership),
        },
    )


def _leads_for(user: User) -> Any:
    return Organisation.objects.filter(
        pk__in=Membership.objects.active().filter(user=user).values("organisation_id")
    ).order_by("name")


@login_required
def partnership_create(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    if not can(person, "create_partnership"):
        raise PermissionDenied
    form = PartnershipForm(request.POST or None, leads=_leads_for(person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partnership = services.create_partnership(
            name=data["name"],
            description=data["description"],
            lead=data["lead"],
            coordinator=person,
            visibility=data["visibility"],
            area_gss=data["area_gss"],
            area_description=data["area_description"],
            embargo_until=data["embargo_until"],
        )
        messages.success(request, _("The partnership is set up."))
        return redirect("performance:partnership_detail", slug=partnership.slug)
    return render(request, "performance/partnership_form.html", {"form": form})


@login_required
def partnership_edit(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    if not can(request.user, "edit", partnership):
        raise PermissionDenied
    initial = {
        "name": partnership.name,
        "description": partnership.description,
        "visibility": partnership.visibility,
        "area_gss": ", ".join(partnership.area_gss),
        "area_description": partnership.area_description,
        "embargo_until": partnership.embargo_until,
    }
    form = PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_partnership(
            partnership=partnership,
            name=data["name"],
            description=data["description"],
            visibility=data["visibility"],
            area_gss=data["area_gss"],
            area_description=data["area_description"],
            embargo_until=data["embargo_until"],
        )
        messages.success(request, _("Your changes are saved."))
        return redirect("performance:partnership_detail", slug=partnership.slug)
    return render(
        request, "performance/partnership_form.html", {"form": form, "partnership": partnership}
    )


@login_required
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    if not can(request.user, "manage_members", partnership):
        raise PermissionDenied
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_member(
            partnership=partnership,
            organisation=form.cleaned_data["organisation"],
            role=form.cleaned_data["role"],
        )
        messages.success(request, _("The organisation is a member."))
        return redirect("performance:member_list", slug=partnership.slug)
    return render(
        request,
        "performance/partnership_members.html",
        {
            "partnership": partnership,
            "members": list(queries.current_members(partnership)),
            "form": form,
        },
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    if not can(request.user, "manage_members", partnership):
        raise PermissionDenied
    member = PartnershipMember.objects.filter(partnership=partnership, pk=member_id).first()
    if member is None:
        raise Http404
    services.remove_member(member=member)
    messages.success(request, _("The organisation has left the partnership."))
    return redirect("performance:member_list", slug=partnership.slug)


@login_required
def outcome_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    if not can(request.user, "define_indicators", partnership):
        raise PermissionDenied
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.create_outcome(partnership=partnership, **form.cleaned_data)
        messages.success(request, _("The outcome is added."))
        return redirect("performance:partnership_detail", slug=partnership.slug)
    return render(
        request,
        "performance/outcome_form.html",
        {"form": form, "partnership": partnership},
    )


@login_required
def indicator_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    if not can(request.user, "define_indicators", partnership):
        raise PermissionDenied
    owners = Organisation.objects.filter(
        pk__in=queries.current_members(partnership).values("organisation_id")
    ).order_by("name")
    form = IndicatorForm(request.POST or None, owners=owners, outcomes=partnership.outcomes.all())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if Indicator.objects.filter(partnership=partnership, code=data["code"]).exists():
            form.add_error("code", _("The partnership already has an indicator with this code"))
        else:
            outcome = data.pop("outcome")
            services.define_indicator(
                partnership=partnership,
                owner=data.pop("owner"),
                created_by=_person(request),
                outcomes=[outcome] if outcome else [],
                **data,
            )
            messages.success(request, _("The indicator is added."))
            return redirect("performance:partnership_detail", slug=partnership.slug)
    return render(
        request, "performance/indicator_form.html", {"form": form, "partnership": partnership}
    )


def _entering(request: HttpRequest, partnership: Partnership) -> Any:
    if not can(request.user, "enter_figures", partnership):
        raise PermissionDenied
    return Organisation.objects.filter(
        pk__in=entering_organisations(request.user, partnership).values("organisation_id")
    ).order_by("name")


@login_required
def figure_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    owners = _entering(request, partnership)
    form = FigureForm(
        request.POST or None,
        indicators=queries.partnership_indicators(request.user, partnership),
        owners=owners,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.enter_figure(
                figure=services.FigureInput(
                    indicator=data["indicator"],
                    organisation=data.get("subject"),
                    area=data.get("area") or "",
                    period=data["the_period"],
                    value=data["value"],
                    numerator=data["numerator"],
                    denominator=data["denominator"],
                    status=data["status"],
                    note=data["note"],
                    visibility=data["visibility"],
                    embargo_until=data["embargo_until"],
                ),
                owner=data["owner"],
                entered_by=_person(request),
            )
        except PermissionError as error:
            form.add_error("owner", str(error))
        else:
            messages.success(request, _("The figure is saved as a draft for its owner to approve."))
            return redirect("performance:partnership_detail", slug=partnership.slug)
    return render(
        request, "performance/figure_form.html", {"form": form, "partnership": partnership}
    )


@login_required
def figure_upload(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    owners = _entering(request, partnership)
    form = UploadForm(request.POST or None, request.FILES or None, owners=owners)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = services.upload_figures(
            partnership=partnership,
            owner=form.cleaned_data["owner"],
            uploaded_by=_person(request),
            file_name=upload.name or "upload.csv",
            data=upload.read(),
            visibility=form.cleaned_data["visibility"],
        )
        if result.errors:
            errors = result.errors
        else:
            if result.already_uploaded:
                messages.info(request, _("This file was uploaded before: nothing changed."))
            else:
                messages.success(
                    request,
                    _("%(count)d figures are saved as drafts for their owner to approve.")
                    % {"count": result.stored},
                )
            return redirect("performance:partnership_detail", slug=partnership.slug)
    return render(
        request,
        "performance/figure_upload.html",
        {"form": form, "partnership": partnership, "errors": errors, "columns": COLUMNS},
    )


@require_safe
def figure_template(request: HttpRequest, slug: str) -> HttpResponseBase:
    partnership = _partnership(request, slug)
    return csv_response(
        template_rows(), columns=COLUMNS, filename=f"{partnership.slug}-figures-template.csv"
    )


@login_required
@require_POST
def figure_sign_off(request: HttpRequest, slug: str, figure_id: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    figure = Observation.objects.filter(pk=figure_id, indicator__partnership=partnership).first()
    if figure is None or not can(request.user, "view", figure):
        raise Http404
    step = request.POST.get("step")
    person = _person(request)
    try:
        if step == "approve" and can(person, "approve", figure):
            services.approve_figure(observation=figure, by=person)
            messages.success(request, _("The figure is approved."))
        elif step == "publish" and can(person, "publish", figure):
            services.publish_figure(observation=figure, by=person)
            messages.success(request, _("The figure is published."))
        else:
            raise PermissionDenied
    except services.SignOffError as error:
        messages.error(request, str(error))
    return redirect(
        reverse("performance:partnership_detail", args=[partnership.slug]) + "#sign-off"
    )


FIGURE_COLUMNS = (
    "indicator",
    "indicator_name",
    "organisation",
    "gss",
    "period",
    "period_label",
    "value",
    "numerator",
    "denominator",
    "status",
    "sign_off",
    "visibility",
    "owner",
    "note",
)


@require_safe
def figures_csv(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The partnership's figures the reader may see, as CSV."""
    partnership = _partnership(request, slug)
    rows = (
        {
            "indicator": f.indicator.code,
            "indicator_name": f.indicator.name,
            "organisation": f.organisation.code if f.organisation else "",
            "gss": f.gss,
            "period": f.period,
            "period_label": f.period_label,
            "value": f.value,
            "numerator": f.numerator,
            "denominator": f.denominator,
            "status": f.status,
            "sign_off": f.sign_off,
            "visibility": f.visibility,
            "owner": f.owner_organisation.code if f.owner_organisation else "",
            "note": f.note,
        }
        for f in queries.partnership_figures(request.user, partnership)
    )
    return csv_response(rows, columns=FIGURE_COLUMNS, filename=f"{partnership.slug}-figures.csv")


def partnership_indicator_detail(request: HttpRequest, indicator: Indicator) -> HttpResponse:
    """A partnership-defined indicator: its figures the reader may see, in a table and a chart
    of the latest period."""
    figures = list(
        visible_observations(request.user)
        .filter(indicator=indicator)
        .select_related("organisation", "owner_organisation")
        .order_by("-period_start", "organisation__name", "gss")
    )
    latest_period = figures[0].period if figures else ""
    latest = [f for f in figures if f.period == latest_period and f.value is not None]
    chart = charts.group_chart(
        [
            charts.Bar(label=_subject(f), value=float(f.value or 0), highlighted=False)
            for f in latest
        ],
        median=None,
        places=indicator.decimal_places,
        title=f"{indicator.name}, {figures[0].period_label}" if figures else indicator.name,
        group=indicator.partnership.name if indicator.partnership else "",
    )
    targets = list(
        visible_targets(request.user)
        .filter(indicator=indicator)
        .select_related("organisation")
        .order_by("period_start")
    )
    subjects = _subjects(figures, targets)
    chosen = request.GET.get("subject") or (next(iter(subjects)) if subjects else "")
    if chosen not in subjects:
        chosen = next(iter(subjects)) if subjects else ""
    turn = _turn_the_curve(indicator, figures, targets, chosen, subjects.get(chosen, ""))
    return render(
        request,
        "performance/partnership_indicator.html",
        {
            **turn,
            "subjects": list(subjects.items()),
            "chosen_subject": chosen,
            "may_set_target": can(request.user, "set_target", indicator),
            "csv_url": reverse("performance:observations_csv", args=[indicator.slug]),
            "csvw_url": reverse("performance:observations_csvw", args=[indicator.slug]),
            "indicator": indicator,
            "partnership": indicator.partnership,
            "rows": [
                {"figure": f, "subject": _subject(f), "value": format_figure(indicator, f.value)}
                for f in figures
            ],
            "chart_svg": mark_safe(chart) if latest else "",  # noqa: S308 (charts.py escapes)
            "today": dt.date.today(),
            "draft": SignOff.DRAFT,
        },
    )


def _subject(figure: Observation | Target) -> str:
    return figure.organisation.display_name if figure.organisation else figure.gss


def _subject_key(item: Observation | Target) -> str:
    return f"org:{item.organisation_id}" if item.organisation_id else f"gss:{item.gss}"


def _subjects(figures: list[Observation], targets: list[Target]) -> dict[str, str]:
    """Every body or area with a figure or a target the reader may see, by name."""
    items: list[Observation | Target] = [*figures, *targets]
    found = {_subject_key(item): _subject(item) for item in items}
    return dict(sorted(found.items(), key=lambda pair: pair[1]))


def _turn_the_curve(
    indicator: Indicator,
    figures: list[Observation],
    targets: list[Target],
    key: str,
    name: str,
) -> dict[str, Any]:
    """One subject's figures, the straight-line trend past them and its targets: a chart and
    the table that says the same, its rows marked figure, forecast or target."""
    own = sorted(
        (f for f in figures if _subject_key(f) == key and f.value is not None),
        key=lambda f: f.period_start,
    )
    own_targets = [t for t in targets if _subject_key(t) == key]
    projected = trend.forecast([(f.period_start, f.value) for f in own])
    step = trend.period_step([f.period_start for f in own])
    # Every period on one axis, in time order: figures, then the trend's, with targets placed.
    by_start: dict[Any, dict[str, Any]] = {}
    for f in own:
        by_start[f.period_start] = {"label": f.period_label, "value": f.value}
    for p in projected:
        by_start.setdefault(p.start, {"label": trend.label_for(p.start, step)})["forecast"] = (
            p.value
        )
    for t in own_targets:
        by_start.setdefault(t.period_start, {"label": t.period_label})["target"] = t.value
    ordered = [by_start[start] for start in sorted(by_start)]
    points = [
        charts.SeriesPoint(
            label=item["label"],
            value=item.get("value"),
            forecast=item.get("forecast"),
            target=item.get("target"),
        )
        for item in ordered
    ]
    svg = (
        charts.series_chart(
            points,
            body=name,
            group="",
            places=indicator.decimal_places,
            title=f"{indicator.name}: {name} by period, with its trend and targets",
        )
        if points
        else ""
    )
    rows = []
    for item in ordered:
        for kind in ("value", "forecast", "target"):
            if item.get(kind) is not None:
                rows.append(
                    {
                        "period": item["label"],
                        "kind": {"value": "figure"}.get(kind, kind),
                        "value": format_figure(indicator, item[kind]),
                    }
                )
    return {
        "series_svg": mark_safe(svg),  # noqa: S308 (charts.py escapes every text)
        "series_rows": rows,
        "series_name": name,
        "too_few_for_trend": bool(own) and not projected,
        "trend_caveat": trend.TREND_CAVEAT,
        "too_few_text": trend.TOO_FEW_POINTS,
    }


@login_required
def target_set(request: HttpRequest, slug: str) -> HttpResponse:
    """The owner of a partnership indicator sets a target for a body or area in a period."""
    indicator = visible_indicators(request.user).filter(slug=slug).first()
    if indicator is None or indicator.partnership_id is None:
        raise Http404("No such indicator")
    if not can(request.user, "set_target", indicator):
        raise PermissionDenied
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.set_target(
            indicator=indicator,
            organisation=data.get("subject"),
            area=data.get("area") or "",
            period=data["the_period"],
            value=data["value"],
            note=data["note"],
            set_by=_person(request),
        )
        messages.success(request, _("The target is set."))
        return redirect("performance:indicator_detail", slug=indicator.slug)
    return render(
        request,
        "performance/target_form.html",
        {"form": form, "indicator": indicator, "partnership": indicator.partnership},
    )


def _csv_indicator(request: HttpRequest, slug: str) -> Indicator:
    indicator = visible_indicators(request.user).filter(slug=slug).first()
    if indicator is None:
        raise Http404("No such indicator")
    return indicator


def _not_republished(request: HttpRequest, indicator: Indicator) -> HttpResponse:
    """Why an evaluation-only source's figures have no file: a page, not an empty CSV."""
    return render(
        request,
        "performance/not_republished.html",
        {"indicator": indicator},
        status=403,
    )


@require_safe
def observations_csv(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Any indicator's figures the reader may see, as CSV described by its CSVW metadata.
    An evaluation-only source's figures are refused, with why: Kitbag never republishes them."""
    indicator = _csv_indicator(request, slug)
    if indicator.is_evaluation_only:
        return _not_republished(request, indicator)
    rows = (
        csvw.row_of(f)
        for f in visible_observations(request.user)
        .filter(indicator=indicator, import_run__isnull=True)
        .select_related("indicator", "organisation")
        .order_by("period_start", "gss", "pk")
    )
    response = csv_response(
        rows, columns=csvw.COLUMN_NAMES, filename=f"{indicator.slug}-observations.csv"
    )
    metadata = request.build_absolute_uri(
        reverse("performance:observations_csvw", args=[indicator.slug])
    )
    response["Link"] = f'<{metadata}>; rel="describedby"; type="application/csvm+json"'
    return response


@require_safe
def observations_csvw(request: HttpRequest, slug: str) -> HttpResponse:
    """The CSVW metadata (W3C Metadata Vocabulary for Tabular Data) of the figures CSV."""
    indicator = _csv_indicator(request, slug)
    if indicator.is_evaluation_only:
        return _not_republished(request, indicator)
    metadata = csvw.metadata(
        indicator,
        csv_url=request.build_absolute_uri(
            reverse("performance:observations_csv", args=[indicator.slug])
        ),
        publisher=(
            indicator.owner_organisation.display_name
            if indicator.owner_organisation
            else indicator.get_source_display()
        ),
    )
    return HttpResponse(
        json.dumps(metadata, ensure_ascii=False, indent=2),
        content_type="application/csvm+json; charset=utf-8",
    )


def organisation_partnerships_section(
    request: HttpRequest | None, organisation: Organisation
) -> dict[str, Any] | None:
    """The organisation page's list of its partnerships, as the reader may see them."""
    viewer = request.user if request is not None else None
    memberships = list(queries.partnerships_of_organisation(viewer, organisation))
    if not memberships:
        return None
    return {"memberships": memberships, "organisation": organisation}


def person_partnerships_section(request: HttpRequest | None, profile: Any) -> dict[str, Any] | None:
    """A person's page (kitbag/network): the partnerships they coordinate and those the
    organisation on their profile belongs to, as the reader may see them."""
    viewer = request.user if request is not None else None
    shown = profile.organisation_id
    partnerships = queries.partnerships_of_person(
        viewer, user_id=profile.user_id, shown_organisation_id=shown
    )
    if not partnerships:
        return None
    return {"partnerships": partnerships, "profile": profile}
