"""Factories for cases. Code lists come from the built-in lists (`builtin_codes` fixture)."""

from __future__ import annotations

import factory

from kitbag.cases.models import Case, RecordStatus
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.vocabularies.models import Code


def code(list_slug: str, value: str) -> Code:
    return Code.objects.get(code_list__slug=list_slug, code=value)


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case

    title = factory.Sequence(lambda n: f"Chatbot for council tax questions {n}")
    slug = factory.Sequence(lambda n: f"case-{n}")
    summary = "A chatbot answers residents' council tax questions at any hour."
    lead_organisation = factory.SubFactory(OrganisationFactory)
    status = RecordStatus.PUBLISHED
