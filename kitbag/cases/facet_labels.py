"""Readable labels for the facet values of search_documents.FACETS, for filters, cards and downloads.

Facets backed by a code list are labelled from its `Code` rows (`CODE_LIST_OF_FACET`, read in
queries.py); the rest are labelled here: nations from the registry, kinds of organisation from the
registry and from the imported sources' own categories, countries outside the UK by their names in
the Unicode CLDR (Babel). UK_NATION_ORDER puts the UK and its nations first in the filter.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import cast

from babel import Locale, UnknownLocaleError
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kitbag.registry.models import Nation, OrganisationKind

UNITED_KINGDOM = "United Kingdom"
UK_NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")

# Facet name -> code list slug, for facets whose values are codes of a list.
CODE_LIST_OF_FACET = {
    "function": "lgsl-functions",
    "service": "lgsl-services",
    "sector": "cofog",
    "phase": "govuk-phase",
    "status": "operational-status",
    "evidence": "nesta-evidence",
    "outcome": "outcome-label",
    "technology": "technology",
}

FACET_TITLES: dict[str, Promise] = {
    "function": _("Service area"),
    "service": _("Service"),
    "sector": _("Sector"),
    "phase": _("Phase"),
    "status": _("Operational status"),
    "evidence": _("Evidence"),
    "outcome": _("Outcome"),
    "nation": _("Nation or country"),
    "organisation_type": _("Type of organisation"),
    "technology": _("Technology"),
    "year": _("Year started"),
}

# The source categories of imported leads (IPS-X), folded as search_documents.organisation_type
# folds them. "central-government" is also a registry kind and reads the same.
SOURCE_CATEGORY_LABELS: dict[str, Promise] = {
    "local-government": _("Local government"),
    "regional-government": _("Regional government"),
    "governmental": _("Other government body"),
    "private-sector": _("Private sector"),
    "academic-research": _("Academic or research body"),
    "consortium": _("Consortium"),
    "non-governmental": _("Non-governmental organisation"),
    "community-led": _("Community group"),
}

# Codes the sources use that are not ISO 3166-1 alpha-2: the EU writes Greece "EL".
COUNTRY_CODE_ALIASES = {"el": "gr"}
# The CLDR's name for "no country": a code a source gets wrong reads better as itself.
UNKNOWN_REGION = "ZZ"


@functools.lru_cache(maxsize=8)
def _territories(language: str) -> Mapping[str, str]:
    try:
        locale = Locale.parse(language, sep="-")
    except (ValueError, UnknownLocaleError):
        locale = Locale("en")
    return cast(Mapping[str, str], locale.territories)


def country_name(code: str) -> str:
    """A country's everyday name in the page's language, from the Unicode CLDR through Babel
    ("MD" -> "Moldova", not "Moldova, Republic of"; decision 0036); the code when unknown."""
    code = COUNTRY_CODE_ALIASES.get(code.lower(), code.lower()).upper()
    if code == UNKNOWN_REGION:
        return code
    return _territories(get_language() or "en").get(code, code)


def _humane(slug: str) -> str:
    text = slug.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


# The UK and its nations lead the nation filter, in this order; other countries follow by count.
UK_NATION_ORDER = {value: rank for rank, value in enumerate((UNITED_KINGDOM, *UK_NATIONS))}


def nation_label(value: str) -> str:
    nations = dict(Nation.choices)
    if value in nations:
        return str(nations[value])
    if value == UNITED_KINGDOM:
        return str(_("United Kingdom"))
    if value.startswith("country-"):
        return country_name(value.removeprefix("country-"))
    return _humane(value)


def organisation_type_label(value: str) -> str:
    kinds = dict(OrganisationKind.choices)
    if value in kinds:
        return str(kinds[value])
    if value in SOURCE_CATEGORY_LABELS:
        return str(SOURCE_CATEGORY_LABELS[value])
    return _humane(value)


def plain_label(facet: str, value: str) -> str:
    """The label of a value of a facet that has no code list."""
    if facet == "nation":
        return nation_label(value)
    if facet == "organisation_type":
        return organisation_type_label(value)
    if facet == "evidence":
        return str(_("Level %(level)s") % {"level": value})
    return value
