"""Similar cases from the database: only public cases, never the case itself, fixed query counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kitbag.accounts.tests.permission_world import build_world
from kitbag.cases import similar_cases
from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.services import delete_case_from_index, reindex_case
from kitbag.cases.tests.factories import CaseFactory, code
from kitbag.vocabularies.records import WantedCode, WantedList
from kitbag.vocabularies.services import write_code_list

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


@pytest.fixture(autouse=True)
def fresh_library() -> Iterator[None]:
    # Each test starts from its own database; the process-held corpus must not outlive it.
    similar_cases.forget_library()
    yield
    similar_cases.forget_library()


@pytest.fixture
def lgsl(builtin_codes: None) -> None:
    write_code_list(
        wanted=WantedList(slug="lgsl-services", name="LGSL services"),
        codes=[
            WantedCode("58", "Council tax account enquiries"),
            WantedCode("524", "Household waste collection"),
            WantedCode("474", "Parking permits"),
        ],
    )
    write_code_list(
        wanted=WantedList(slug="lgsl-functions", name="LGSL functions"),
        codes=[
            WantedCode("42", "Government, citizens and rights"),
            WantedCode("56", "Taxation", parent="42"),
        ],
    )


def make(
    title: str,
    summary: str = "",
    *,
    status: str = RecordStatus.PUBLISHED,
    services: tuple[str, ...] = (),
    functions: tuple[str, ...] = (),
    technologies: tuple[str, ...] = (),
    **fields: Any,
) -> Case:
    case: Case = CaseFactory.create(title=title, summary=summary or title, status=status, **fields)
    if services:
        case.services.set([code("lgsl-services", value) for value in services])
    if functions:
        case.functions.set([code("lgsl-functions", value) for value in functions])
    if technologies:
        case.technologies.set([code("technology", value) for value in technologies])
    reindex_case(case=case)
    return case


def background(n: int) -> list[Case]:
    topics = ["Garden waste", "Pothole reports", "Library e-books", "School admissions"]
    return [
        make(f"{topics[i % len(topics)]} number {i}", f"Residents use {topics[i % len(topics)]}.")
        for i in range(n)
    ]


def titles(found: list[similar_cases.SimilarCase]) -> list[str]:
    return [item.case.title for item in found]


def test_only_public_cases_are_suggested_never_drafts_even_to_staff(lgsl: None) -> None:
    world = build_world()
    subject = make("Council tax chatbot", "A chatbot answers council tax questions.")
    make("Council tax chatbot in Leeds", "A chatbot answers council tax questions.")
    for status in (RecordStatus.DRAFT, RecordStatus.IN_REVIEW):
        make(
            f"Council tax chatbot {status}",
            "A chatbot answers council tax questions.",
            status=status,
        )
    background(4)
    for viewer in (ANONYMOUS, world.member, world.person("staff")):
        found = similar_cases.similar_cases(case=subject, viewer=viewer)
        assert titles(found) == ["Council tax chatbot in Leeds"]


def test_the_case_itself_is_never_suggested_but_its_twin_is(lgsl: None) -> None:
    subject = make("Council tax chatbot", "A chatbot answers council tax questions.")
    twin = make("Council tax chatbot", "A chatbot answers council tax questions.")
    background(3)
    found = similar_cases.similar_cases(case=subject, viewer=ANONYMOUS)
    assert [item.case.pk for item in found] == [twin.pk]
    assert found[0].score > 0.5


def test_a_draft_being_written_is_compared_with_the_public_library(lgsl: None) -> None:
    draft = make("Council tax chatbot", "Residents ask a chatbot.", status=RecordStatus.DRAFT)
    make("Chatbot for council tax", "Residents ask a chatbot about council tax.")
    background(3)
    found = similar_cases.similar_cases(case=draft, viewer=ANONYMOUS)
    assert titles(found) == ["Chatbot for council tax"]
    assert found[0].case.pk != draft.pk


def test_reasons_are_plain_english_with_the_code_labels(lgsl: None) -> None:
    subject = make(
        "Council tax chatbot",
        "Residents ask a chatbot about council tax.",
        services=("58",),
        technologies=("chatbot",),
    )
    make(
        "Answering council tax questions online",
        "A chatbot answers council tax questions.",
        services=("58",),
        technologies=("chatbot",),
    )
    background(3)
    (found,) = similar_cases.similar_cases(case=subject, viewer=ANONYMOUS)
    assert found.reasons[0] == "Same service: Council tax account enquiries"
    assert "Both use: Chatbot or virtual assistant" in found.reasons
    assert found.reasons[-1].startswith("Shares the words: ")
    assert "council tax" in found.reasons[-1]


def test_a_shared_service_is_found_even_without_shared_words(lgsl: None) -> None:
    subject = make("Reminders the night before", "Text messages.", services=("524",))
    make("Bin day alerts", "An app notifies households.", services=("524",))
    make("Bin day alerts elsewhere", "An app notifies households.", sector=code("cofog", "06"))
    background(3)
    found = similar_cases.similar_cases(case=subject, viewer=ANONYMOUS)
    assert titles(found) == ["Bin day alerts"]
    assert found[0].reasons[0] == "Same service: Household waste collection"
    assert not any(reason.startswith("Shares the words") for reason in found[0].reasons)


def test_others_working_on_this_while_a_new_case_is_typed(lgsl: None) -> None:
    world = build_world()
    existing = make(
        "Council tax chatbot", "Residents ask a chatbot about council tax.", services=("58",)
    )
    make("A draft about council tax chatbots", status=RecordStatus.DRAFT)
    background(3)
    found = similar_cases.similar_to_draft(
        title="Chatbot for council tax questions",
        problem="Too many calls about council tax bills.",
        services=[code("lgsl-services", "58")],
        functions=[code("lgsl-functions", "56")],
        viewer=world.member,
    )
    assert [item.case.pk for item in found] == [existing.pk]
    assert "Same service: Council tax account enquiries" in found[0].reasons
    editing = similar_cases.similar_to_draft(
        title="Council tax chatbot", viewer=world.member, exclude_pk=existing.pk
    )
    assert editing == []


def test_an_empty_draft_asks_nothing_of_the_database(lgsl: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert similar_cases.similar_to_draft(title="  ", viewer=ANONYMOUS) == []
    assert len(queries) == 0


def test_the_library_follows_publishing_unpublishing_and_deletion(lgsl: None) -> None:
    subject = make("Council tax chatbot", "A chatbot answers council tax questions.")
    other = make("Council tax chatbot two", "A chatbot answers council tax questions.")
    background(3)
    assert titles(similar_cases.similar_cases(case=subject, viewer=ANONYMOUS)) == [other.title]

    other.status = RecordStatus.DRAFT
    other.save()
    reindex_case(case=other)
    assert similar_cases.similar_cases(case=subject, viewer=ANONYMOUS) == []

    newcomer = make("Council tax chatbot three", "A chatbot answers council tax questions.")
    assert titles(similar_cases.similar_cases(case=subject, viewer=ANONYMOUS)) == [newcomer.title]

    delete_case_from_index(case=newcomer)
    newcomer.delete()
    assert similar_cases.similar_cases(case=subject, viewer=ANONYMOUS) == []


def test_a_case_unpublished_without_reindexing_is_still_never_shown(lgsl: None) -> None:
    subject = make("Council tax chatbot", "A chatbot answers council tax questions.")
    other = make("Council tax chatbot two", "A chatbot answers council tax questions.")
    similar_cases.similar_cases(case=subject, viewer=ANONYMOUS)
    # The search document still says public: the case table has the last word.
    Case.objects.filter(pk=other.pk).update(status=RecordStatus.DRAFT)
    assert similar_cases.similar_cases(case=subject, viewer=ANONYMOUS) == []


def _queries(call: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_library(lgsl: None) -> None:
    subject = make("Council tax chatbot", "A chatbot answers council tax questions.")
    make("Council tax chatbot two", "A chatbot answers council tax questions.", services=("58",))
    background(2)

    def call() -> None:
        assert similar_cases.similar_cases(case=subject, viewer=ANONYMOUS)

    small = (_queries(call), _queries(call))  # cold (builds the corpus), then warm
    background(12)
    for i in range(6):
        make(f"Council tax chatbot {i}", "A chatbot answers council tax questions.")
    similar_cases.forget_library()
    large = (_queries(call), _queries(call))
    assert small == large
    assert large[1] <= 4
