"""What the innovation library announces (kitbag/core/happenings.py), and cases as followable."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kitbag.accounts.happenings import public_person_keys
from kitbag.cases.models import Adoption, Case
from kitbag.cases.permissions import visible_cases
from kitbag.core.happenings import (
    Followable,
    Happening,
    key_of,
    publish_happening,
    register_followable,
)
from kitbag.vocabularies.models import Code


def _keys_of(case: Case) -> list[str]:
    keys = [key_of("case", case.pk)]
    if case.lead_organisation_id is not None:
        keys.append(key_of("organisation", case.lead_organisation_id))
    keys.extend(key_of("service", code) for code in case.services.values_list("code", flat=True))
    # Its owner and public contacts reach their followers, as their person page lists the case.
    contacts = case.contacts.filter(is_public=True).values_list("user_id", flat=True)
    keys.extend(public_person_keys([case.owner_id, *contacts]))
    return keys


def announce_case_published(case: Case) -> None:
    publish_happening(
        Happening(
            kind="case-published",
            title=_("%(lead)s published a case: %(title)s")
            % {"lead": case.lead_name or _("A public body"), "title": case.title},
            summary=case.summary,
            url=case.get_absolute_url(),
            happened_at=case.published_at or timezone.now(),
            concerns=_keys_of(case),
            visible_through=("case", case.pk),
        )
    )


def announce_adoption(adoption: Adoption) -> None:
    case = adoption.case
    publish_happening(
        Happening(
            kind="case-adopted",
            title=_("%(adopter)s adopted %(title)s")
            % {"adopter": adoption.adopter.name, "title": case.title},
            summary=adoption.notes,
            url=case.get_absolute_url(),
            happened_at=timezone.now(),
            concerns=[*_keys_of(case), key_of("organisation", adoption.adopter_id)],
            visible_through=("case", case.pk),
        )
    )


def _describe_cases(ids: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    wanted = [int(i) for i in ids if i.isdigit()]
    return {
        str(pk): (title, reverse("cases:case_detail", kwargs={"slug": slug}))
        for pk, title, slug in Case.objects.filter(pk__in=wanted).values_list("pk", "title", "slug")
    }


def _describe_services(codes: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    # An LGSL service has no page of its own: the library's cases for it stand for it.
    cases = reverse("cases:case_list")
    return {
        code: (label, f"{cases}?{urlencode({'service': code})}")
        for code, label in Code.objects.filter(
            code_list__slug="lgsl-services", code__in=list(codes)
        ).values_list("code", "label")
    }


def register() -> None:
    register_followable(
        Followable(
            kind="service", label=gettext_lazy("Service (LGSL)"), describe=_describe_services
        )
    )
    register_followable(
        Followable(
            kind="case",
            label=gettext_lazy("Case"),
            describe=_describe_cases,
            visible=visible_cases,
        )
    )
