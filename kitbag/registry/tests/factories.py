"""Factories for registry records: small, readable, and free of the real open data."""

from __future__ import annotations

import factory
from django.utils.text import slugify

from kitbag.registry.models import (
    Identifier,
    IdentifierScheme,
    Organisation,
    OrganisationKind,
    OrganisationName,
)


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    kind = OrganisationKind.LOCAL_AUTHORITY
    name = factory.Sequence(lambda n: f"Testshire District Council {n}")
    short_name = factory.LazyAttribute(lambda o: o.name.replace(" District Council", ""))
    slug = factory.LazyAttribute(lambda o: slugify(o.short_name or o.name))
    code = factory.Sequence(lambda n: f"T{n:02d}")
    classification_code = "NMD"
    classification_name = "Non-metropolitan district"
    nation = "England"
    region = "South East"
    search_text = factory.LazyAttribute(lambda o: f"{o.name} {o.short_name}".lower())


class IdentifierFactory(factory.django.DjangoModelFactory[Identifier]):
    class Meta:
        model = Identifier

    organisation = factory.SubFactory(OrganisationFactory)
    scheme = IdentifierScheme.LOCAL_AUTHORITY_CODE
    value = factory.Sequence(lambda n: f"X{n:03d}")


class OrganisationNameFactory(factory.django.DjangoModelFactory[OrganisationName]):
    class Meta:
        model = OrganisationName

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")
    source = "test"
