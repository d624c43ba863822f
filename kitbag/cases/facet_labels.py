"""Readable labels for the facet values of search_documents.FACETS, for filters, cards and downloads.

Facets backed by a code list are labelled from its `Code` rows (`CODE_LIST_OF_FACET`, read in
queries.py); the rest are labelled here: nations from the registry, kinds of organisation from the
registry and from the imported sources' own categories, countries outside the UK by ISO code.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kitbag.registry.models import Nation, OrganisationKind

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

# Countries of the European cases (IPS-X) and neighbours, by ISO 3166-1 alpha-2 code.
COUNTRY_NAMES: dict[str, Promise] = {
    "at": _("Austria"),
    "be": _("Belgium"),
    "bg": _("Bulgaria"),
    "ch": _("Switzerland"),
    "cy": _("Cyprus"),
    "cz": _("Czechia"),
    "de": _("Germany"),
    "dk": _("Denmark"),
    "ee": _("Estonia"),
    "el": _("Greece"),
    "gr": _("Greece"),
    "es": _("Spain"),
    "fi": _("Finland"),
    "fr": _("France"),
    "hr": _("Croatia"),
    "hu": _("Hungary"),
    "ie": _("Ireland"),
    "is": _("Iceland"),
    "it": _("Italy"),
    "li": _("Liechtenstein"),
    "lt": _("Lithuania"),
    "lu": _("Luxembourg"),
    "lv": _("Latvia"),
    "mt": _("Malta"),
    "nl": _("Netherlands"),
    "no": _("Norway"),
    "pl": _("Poland"),
    "pt": _("Portugal"),
    "ro": _("Romania"),
    "se": _("Sweden"),
    "si": _("Slovenia"),
    "sk": _("Slovakia"),
    "ua": _("Ukraine"),
    "us": _("United States"),
    "eu": _("European Union"),
}


def _humane(slug: str) -> str:
    text = slug.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def nation_label(value: str) -> str:
    nations = dict(Nation.choices)
    if value in nations:
        return str(nations[value])
    if value.startswith("country-"):
        code = value.removeprefix("country-")
        return str(COUNTRY_NAMES.get(code, code.upper()))
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
