"""Vectors kept with the records: written on every write (after commit), refreshed, re-embedded
when the model changes, by hand with `kitbag embed`, and nothing at all when finding by meaning is off."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.test import override_settings

from kitbag.cases.models import Case
from kitbag.cases.search_documents import DOC_TYPE
from kitbag.cases.services import delete_case_from_index, reindex_case
from kitbag.cases.tests.factories import CaseFactory
from kitbag.search.models import SearchDocument
from kitbag.semantic import queries, services
from kitbag.semantic.encoders import HashingEncoder
from kitbag.semantic.models import Embedding

pytestmark = pytest.mark.django_db


def written(title: str, capture: Any, **fields: Any) -> Case:
    case: Case = CaseFactory.create(title=title, **fields)
    with capture(execute=True):
        reindex_case(case=case)
    return case


def document_id(case: Case) -> int:
    return SearchDocument.objects.get(doc_type=DOC_TYPE, object_id=str(case.pk)).pk


@pytest.mark.usefixtures("hashing")
def test_a_write_stores_the_vector_after_commit(django_capture_on_commit_callbacks: Any) -> None:
    case: Case = CaseFactory.create(title="Parking permits online")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reindex_case(case=case)
    assert not Embedding.objects.exists()  # not before the commit
    for callback in callbacks:
        callback()
    stored = Embedding.objects.get(document_id=document_id(case))
    assert stored.model == "hashing-64"
    expected = HashingEncoder().encode(
        [services.text_of(case.title, SearchDocument.objects.get(pk=stored.document_id).body)]
    )[0]
    assert np.array_equal(np.frombuffer(bytes(stored.vector), dtype="<f4"), expected)


@pytest.mark.usefixtures("hashing")
def test_the_matrix_follows_writes_and_deletes(django_capture_on_commit_callbacks: Any) -> None:
    first = written("Parking permits online", django_capture_on_commit_callbacks)
    assert [pk for pk, _ in queries.nearest(text="parking permits", doc_type=DOC_TYPE, k=5)] == [
        document_id(first)
    ]
    second = written("Parking permits by text message", django_capture_on_commit_callbacks)
    found = queries.nearest(text="parking permits by text", doc_type=DOC_TYPE, k=5)
    assert [pk for pk, _ in found] == [document_id(second), document_id(first)]
    # A change of text re-embeds; an unchanged write does not.
    before = Embedding.objects.get(document_id=document_id(first)).updated_at
    with django_capture_on_commit_callbacks(execute=True):
        reindex_case(case=first)
    assert Embedding.objects.get(document_id=document_id(first)).updated_at == before
    first.title = "Potholes reported by photo"
    first.save()
    with django_capture_on_commit_callbacks(execute=True):
        reindex_case(case=first)
    found = queries.nearest(text="potholes reported by photo", doc_type=DOC_TYPE, k=1)
    assert found[0][0] == document_id(first)
    # Gone from the index, gone from the matrix.
    gone = document_id(second)
    delete_case_from_index(case=second)
    assert gone not in {pk for pk, _ in queries.nearest(text="parking", doc_type=DOC_TYPE, k=5)}


def test_a_model_change_re_embeds_and_embed_fills_the_missing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with override_settings(KITBAG_SEMANTIC="off"):
        case = written("Parking permits online", django_capture_on_commit_callbacks)
    assert not Embedding.objects.exists()  # off: nothing written
    with override_settings(KITBAG_SEMANTIC="hashing"):
        call_command("embed", "--missing-only", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert Embedding.objects.get(document_id=document_id(case)).model == "hashing-64"
        Embedding.objects.update(model="an-older-model")
        assert services.embed_all(missing_only=True) == 0
        assert services.embed_all() == 1
        assert Embedding.objects.get().model == "hashing-64"
        assert services.embed_all() == 0


def test_embed_says_when_it_is_off(capsys: Any) -> None:
    with override_settings(KITBAG_SEMANTIC="off"):
        call_command("embed", "--if-on")
        assert "off" in capsys.readouterr().out
        with pytest.raises(Exception, match="off"):
            call_command("embed")


@pytest.mark.usefixtures("hashing")
def test_every_kind_written_to_the_index_is_embedded_but_registry_bodies(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from kitbag.search.services import index_document

    with django_capture_on_commit_callbacks(execute=True):
        index_document(doc_type="resource", object_id="7", title="A guide to open data")
        index_document(doc_type="organisation", object_id="8", title="Leeds City Council")
    embedded = set(Embedding.objects.values_list("document__doc_type", "document__object_id"))
    assert embedded == {("resource", "7")}


@pytest.mark.usefixtures("hashing")
def test_embedding_everything_leaves_registry_bodies_out_unless_asked() -> None:
    from kitbag.search.services import index_document

    index_document(doc_type="organisation", object_id="8", title="Leeds City Council")
    assert services.embed_all() == 0
    assert services.embed_all(doc_type="organisation") == 1
