"""What partnership performance announces (kitbag/core/happenings.py): new published figures,
one happening per indicator an import added to or changed, never one per figure."""

from __future__ import annotations

from collections.abc import Mapping, Set

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kitbag.core.happenings import Happening, key_of, publish_happening
from kitbag.performance.models import Indicator


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
