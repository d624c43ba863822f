"""LGSL services' former names as the search's one-way synonyms (decision 0036)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitbag.search.models import SearchSynonym
from kitbag.search.queries import search
from kitbag.search.services import index_document
from kitbag.vocabularies.former_names import Service, former_names, one_way_synonyms
from kitbag.vocabularies.importers.lgsl import LgslImporter
from kitbag.vocabularies.tests.fixtures import FOLDER, copy_of_fixtures

ROAD = Service(
    code="557",
    label="Road maintenance",
    description="Maintenance and repair of potholes.",
    history="Term name changed from 'Potholes' to 'Road maintenance' and scope notes added in "
    "version 2.02. Term name changed from 'Road maintenance' to 'Roads - maintenance' in version "
    "3.00. Name changed to 'Road maintenance' in version 4.00.",
)


def test_every_name_a_history_note_gives_once_each() -> None:
    assert former_names(ROAD.history) == ["Potholes", "Road maintenance", "Roads - maintenance"]
    assert former_names("Added in version 4.00.") == []


def test_a_former_name_that_can_only_mean_its_service_finds_its_label() -> None:
    fire = Service(
        code="812",
        label="Fire safety education",
        description="Talks in schools about fire.",
        history="Term name changed from 'Schools' to 'Fire safety education' in version 3.00.",
    )
    school = Service(code="17", label="Local schools", description="", history="")
    # "Roads - maintenance" is a catalogue form; "Road maintenance" is the label itself;
    # "Schools" is another service's word too.
    assert one_way_synonyms([ROAD, fire, school]) == [("Potholes", "Road maintenance")]


@pytest.mark.django_db
def test_the_lgsl_import_writes_them_for_the_search_and_again_changes_nothing(
    tmp_path: Path,
) -> None:
    data = copy_of_fixtures(tmp_path)
    services = data / FOLDER / "lgsl_services.csv"
    services.write_text(
        services.read_text(encoding="utf-8")
        + "557,Road maintenance,Maintenance and repair of roads.,2013-04-03,2013-04-03,"
        "Term name changed from 'Potholes' to 'Road maintenance' in version 2.02.,Service,\n",
        encoding="utf-8",
    )
    index_document(doc_type="case", object_id="a", title="Sensors", extra="Road maintenance")

    LgslImporter(data_dir=data).run()
    assert list(SearchSynonym.objects.values_list("source", "phrase", "means")) == [
        ("lgsl-services", "Potholes", "Road maintenance")
    ]
    assert [hit.object_id for hit in search(query="potholes", doc_type="case").hits] == ["a"]

    before = list(SearchSynonym.objects.values_list("pk", flat=True))
    LgslImporter(data_dir=data).run()
    assert list(SearchSynonym.objects.values_list("pk", flat=True)) == before
