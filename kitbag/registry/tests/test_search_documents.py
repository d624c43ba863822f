"""Organisations in the site-wide search: indexed after each registry import, kept in step."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kitbag.registry.models import IdentifierScheme, Organisation, OrganisationName
from kitbag.registry.search_documents import DOC_TYPE, document_for, sync_organisation_documents
from kitbag.registry.tests.factories import IdentifierFactory, OrganisationFactory
from kitbag.search.models import SearchDocument
from kitbag.search.queries import search, site_search

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def test_an_organisation_is_found_by_its_other_names_and_codes() -> None:
    cardiff = OrganisationFactory.create(name="Cardiff Council", short_name="Cardiff")
    OrganisationName.objects.create(
        organisation=cardiff, name="Cyngor Caerdydd", language="cy", source="test"
    )
    IdentifierFactory.create(organisation=cardiff, scheme=IdentifierScheme.GSS, value="W06000015")
    sync_organisation_documents()

    for query in ("cardiff", "caerdydd", "W06000015"):
        results = site_search(query=query)
        assert [hit.object_id for hit in results.hits] == [str(cardiff.pk)], query
        assert results.hits[0].url == cardiff.get_absolute_url()


def test_a_closed_body_says_so_and_is_filed_as_former() -> None:
    closed = OrganisationFactory.create(name="Old Borough Council", end_date=dt.date(2009, 3, 31))
    document = document_for(Organisation.objects.prefetch_related("names", "identifiers").get())
    assert document.facets["current"] == ["former"]
    assert "Closed 31 March 2009" in document.body
    assert document.url == closed.get_absolute_url()


def test_syncing_again_writes_nothing_and_follows_renames_and_removals() -> None:
    kept = OrganisationFactory.create(name="Keptshire County Council")
    gone = OrganisationFactory.create(name="Goneshire County Council")
    first = sync_organisation_documents()
    assert (first.created, first.updated, first.removed) == (2, 0, 0)
    assert sync_organisation_documents().unchanged == 2

    Organisation.objects.filter(pk=kept.pk).update(name="Keptshire Council")
    gone.delete()
    again = sync_organisation_documents()
    assert (again.created, again.updated, again.removed, again.unchanged) == (0, 1, 1, 0)
    assert search(query="keptshire", doc_type=DOC_TYPE).hits[0].title_highlighted == (
        "<mark>Keptshire</mark> Council"
    )
    assert SearchDocument.objects.filter(doc_type=DOC_TYPE).count() == 1


def test_the_registry_import_indexes_every_body_and_a_second_run_changes_nothing() -> None:
    call_command("import_registry", "--data-dir", str(FIXTURES), stdout=StringIO())
    assert SearchDocument.objects.filter(doc_type=DOC_TYPE).count() == Organisation.objects.count()
    out = StringIO()
    call_command("import_registry", "--data-dir", str(FIXTURES), stdout=out)
    assert "search: organisations 0 indexed, 0 updated, 0 removed" in out.getvalue()


def test_a_registry_imported_before_organisations_were_searchable_is_indexed_on_the_next_run() -> (
    None
):
    call_command("import_registry", "--data-dir", str(FIXTURES), stdout=StringIO())
    SearchDocument.objects.filter(doc_type=DOC_TYPE).delete()
    call_command(
        "import_registry", "--data-dir", str(FIXTURES), "--unless-imported", stdout=StringIO()
    )
    assert SearchDocument.objects.filter(doc_type=DOC_TYPE).count() == Organisation.objects.count()
