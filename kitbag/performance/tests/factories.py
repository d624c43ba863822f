"""Registry bodies the fixtures name, so the importers have councils to resolve."""

from __future__ import annotations

from kitbag.registry.models import IdentifierScheme, Organisation
from kitbag.registry.tests.factories import IdentifierFactory, OrganisationFactory

ENGLISH = {
    "E06000001": "Alphaton",
    "E06000002": "Betaby",
    "E06000003": "Epsilon",
    "E10000001": "Gammashire",
    "E10000002": "Deltashire",
}
SCOTTISH = {
    "S12000033": "Aberdeen City",
    "S12000035": "Argyll and Bute",
    "S12000036": "City of Edinburgh",
}


def council(*, name: str, gss: str, nation: str = "England") -> Organisation:
    organisation: Organisation = OrganisationFactory.create(
        name=f"{name} Council", short_name=name, nation=nation
    )
    IdentifierFactory(organisation=organisation, scheme=IdentifierScheme.GSS, value=gss)
    return organisation


def fixture_councils() -> dict[str, Organisation]:
    made = {gss: council(name=name, gss=gss) for gss, name in ENGLISH.items()}
    made |= {gss: council(name=name, gss=gss, nation="Scotland") for gss, name in SCOTTISH.items()}
    return made
