"""What performance announces (kitbag/core/happenings.py): new published figures, one happening
per indicator an import added to or changed, never one per figure; a partner's figure when its
owner publishes it (one per publish action). Partnerships are followable, with the partnership's
own visibility rule; a partner's figure is read only by whoever may see the figure itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kitbag.core.happenings import (
    Followable,
    Happening,
    key_of,
    publish_happening,
    register_followable,
)
from kitbag.performance.models import Indicator, Observation, Partnership
from kitbag.performance.permissions import visible_observations, visible_partnerships


def announce_new_figures(organisations_by_indicator: Mapping[int, Set[int]]) -> None:
    """Each indicator (by id) with the organisations whose figures an import added or changed."""
    if not organisations_by_indicator:
        return
    now = timezone.now()
    for indicator in Indicator.objects.filter(pk__in=organisations_by_indicator).order_by("pk"):
        organisations = sorted(organisations_by_indicator[indicator.pk])
        publish_happening(
            Happening(
                kind="figures-published",
                title=_("New published figures: %(indicator)s (%(source)s)")
                % {"indicator": indicator.name, "source": indicator.get_source_display()},
                summary=_("Figures for %(count)d organisations.") % {"count": len(organisations)},
                url=reverse("performance:indicator_detail", args=[indicator.slug]),
                happened_at=now,
                concerns=[key_of("organisation", pk) for pk in organisations],
            )
        )


def announce_published_figure(observation: Observation) -> None:
    """A partner's figure its owner has just published. Whoever reads the happening must be able
    to see the figure itself (its own, its indicator's and its partnership's visibility, asked
    when read), so an embargoed or partners-only figure reaches no one else."""
    figure = Observation.objects.select_related(
        "indicator__partnership", "owner_organisation", "organisation"
    ).get(pk=observation.pk)
    indicator = figure.indicator
    partnership = indicator.partnership
    concerns = []
    if partnership is not None:
        concerns.append(key_of("partnership", partnership.pk))
    if figure.owner_organisation_id is not None:
        concerns.append(key_of("organisation", figure.owner_organisation_id))
    if not concerns:
        return
    about = figure.organisation.name if figure.organisation is not None else figure.gss
    publish_happening(
        Happening(
            kind="figure-published",
            title=_("%(owner)s published a figure: %(indicator)s, %(period)s")
            % {
                "owner": figure.owner_organisation.name
                if figure.owner_organisation is not None
                else _("A partner"),
                "indicator": indicator.name,
                "period": figure.period_label,
            },
            summary=_("For %(about)s.") % {"about": about} if about else "",
            url=(
                reverse("performance:partnership_detail", args=[partnership.slug])
                if partnership is not None
                else reverse("performance:indicator_detail", args=[indicator.slug])
            ),
            happened_at=figure.published_at or timezone.now(),
            concerns=concerns,
            visible_through=("figure", figure.pk),
        )
    )


def _describe_partnerships(ids: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    wanted = [int(i) for i in ids if i.isdigit()]
    return {
        str(pk): (name, reverse("performance:partnership_detail", args=[slug]))
        for pk, name, slug in Partnership.objects.filter(pk__in=wanted).values_list(
            "pk", "name", "slug"
        )
    }


def _describe_figures(ids: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    wanted = [int(i) for i in ids if i.isdigit()]
    figures = Observation.objects.filter(pk__in=wanted).select_related("indicator")
    return {
        str(figure.pk): (
            f"{figure.indicator.name}, {figure.period_label}",
            reverse("performance:indicator_detail", args=[figure.indicator.slug]),
        )
        for figure in figures
    }


def register() -> None:
    register_followable(
        Followable(
            kind="partnership",
            label=gettext_lazy("Partnership"),
            describe=_describe_partnerships,
            visible=visible_partnerships,
        )
    )
    # Registered so a published figure's happening is governed by the figure's own visibility
    # (`visible_through=("figure", id)`); nobody is offered a button to follow one figure.
    register_followable(
        Followable(
            kind="figure",
            label=gettext_lazy("Published figure"),
            describe=_describe_figures,
            visible=visible_observations,
        )
    )
