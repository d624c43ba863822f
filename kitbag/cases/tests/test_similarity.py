"""The pure similarity calculation: blanks, weights, text, reasons (no database)."""

from __future__ import annotations

from kitbag.cases.similarity import CaseFeatures, Corpus, Weights


def case(
    key: str, title: str = "", text: str = "", organisation: str = "", **codes: str
) -> CaseFeatures:
    return CaseFeatures(
        key=key,
        title=title,
        text=text,
        codes={
            dimension: frozenset(value.split("|")) if value else frozenset()
            for dimension, value in codes.items()
        },
        organisation=organisation,
    )


# A small library of unrelated cases, so that words and codes have document frequencies.
BACKGROUND = [
    case(
        "bg1",
        "Garden waste subscriptions online",
        "Residents pay for garden waste collection.",
        sector="06",
    ),
    case("bg2", "Pothole reporting app", "People report potholes with a photo.", sector="04"),
    case("bg3", "Library e-books", "Borrow e-books from the library at home.", sector="08"),
    case("bg4", "School admissions portal", "Parents apply for school places online.", sector="09"),
    case("bg5", "Social prescribing", "GPs refer patients to community groups.", sector="07"),
    case("bg6", "Parking permits", "Residents renew parking permits online.", sector="04"),
]


def corpus(*extra: CaseFeatures, **kwargs: object) -> Corpus:
    return Corpus([*BACKGROUND, *extra], **kwargs)  # type: ignore[arg-type]


def test_two_blank_fields_never_count_as_a_match() -> None:
    a = case("a", "Alpha", service="", sector="")
    b = case("b", "Beta", service="", sector="")
    library = corpus(a, b)
    match = library.compare(a, b)
    assert match.code_score == 0
    assert match.reasons == ()
    assert library.similar(a) == []


def test_a_blank_code_inside_a_set_is_ignored_too() -> None:
    a = CaseFeatures(key="a", title="Alpha", codes={"service": frozenset({""})})
    b = CaseFeatures(key="b", title="Beta", codes={"service": frozenset({""})})
    assert corpus(a, b).compare(a, b).score == 0


def test_a_field_filled_on_one_side_only_is_unknown_not_a_mismatch() -> None:
    subject = case("s", "Council tax chatbot", service="856")
    blank = case("blank", "Council tax chatbot")
    other = case("other", "Council tax chatbot", service="999")
    library = corpus(subject, blank, other)
    penalised = Weights(mismatch_penalty=0.5)
    assert library.compare(subject, blank, weights=penalised).code_score == 0
    assert library.compare(subject, other, weights=penalised).code_score < 0


def test_a_shared_specific_code_outweighs_a_shared_generic_one() -> None:
    subject = case("s", "Reminders by text", service="524", sector="06")
    same_service = case("service", "Something else entirely", service="524")
    same_sector = case("sector", "Something else entirely", sector="06")
    library = corpus(subject, same_service, same_sector)
    assert (
        library.compare(subject, same_service).score > library.compare(subject, same_sector).score
    )
    assert [m.key for m in library.similar(subject, limit=2)][0] == "service"


def test_a_common_code_counts_less_than_a_rare_one_in_the_same_dimension() -> None:
    subject = case("s", "Subject", technology="ai|blockchain")
    commons = [case(f"c{i}", f"Case {i}", technology="ai") for i in range(8)]
    rare = case("rare", "Rare", technology="blockchain")
    library = corpus(subject, *commons, rare)
    assert (
        library.compare(subject, rare).code_score > library.compare(subject, commons[0]).code_score
    )


def test_text_alone_finds_the_same_kind_of_service() -> None:
    subject = case(
        "s",
        "Chatbot answers council tax questions",
        "A chatbot on the website answers council tax questions at night.",
    )
    chatbot = case(
        "chatbot",
        "Council tax chatbot",
        "Residents ask a chatbot about council tax bills and discounts.",
    )
    unrelated = case("unrelated", "Tree planting", "Volunteers plant trees in parks.")
    library = corpus(subject, chatbot, unrelated)
    found = library.similar(subject, weights=Weights.text_only())
    assert [m.key for m in found] == ["chatbot"]
    assert found[0].text_score > 0.2


def test_the_case_itself_and_excluded_cases_are_never_suggested() -> None:
    subject = case("s", "Council tax chatbot", "A chatbot for council tax.")
    twin = case("twin", "Council tax chatbot", "A chatbot for council tax.")
    library = corpus(subject, twin)
    assert [m.key for m in library.similar(subject)] == ["twin"]
    assert library.similar(subject, exclude=["twin"]) == []


def test_reasons_name_the_shared_codes_and_words_in_plain_terms() -> None:
    subject = case(
        "s",
        "Council tax chatbot",
        "Residents ask the chatbot about council tax.",
        service="856",
        technology="chatbot",
    )
    other = case(
        "o",
        "Chatbots for council tax",
        "A chatbot answers council tax questions.",
        service="856",
        technology="chatbot",
    )
    library = corpus(
        subject,
        other,
        labels={"service": {"856": "Council tax collection"}, "technology": {"chatbot": "Chatbot"}},
    )
    match = library.compare(subject, other)
    kinds = [reason.kind for reason in match.reasons]
    assert kinds[0] == "service"
    assert match.reasons[0].labels == ("Council tax collection",)
    assert "technology" in kinds
    words = next(reason for reason in match.reasons if reason.kind == "words")
    # A shared pair of words is said once, as the subject wrote it, not word by word too.
    assert "council tax" in words.labels
    assert "council" not in words.labels and "tax" not in words.labels
    assert "chatbot" in words.labels


def test_the_lead_organisations_name_is_not_a_shared_word() -> None:
    subject = case("s", "HMRC: Ask HMRC online", "HMRC webchat.", organisation="HMRC")
    same_org = case(
        "o", "HMRC: Logo detection", "Finds misuse of the HMRC logo.", organisation="HMRC"
    )
    library = corpus(subject, same_org)
    assert library.compare(subject, same_org).text_score == 0


def test_a_council_leading_a_case_does_not_take_council_out_of_council_tax() -> None:
    subject = case("s", "Council tax chatbot", organisation="Leeds City Council")
    other = case("o", "Council tax reminders", organisation="Kent County Council")
    words = next(
        r for r in corpus(subject, other).compare(subject, other).reasons if r.kind == "words"
    )
    assert words.labels == ("council tax",)


def test_cases_can_be_replaced_and_removed_and_statistics_follow() -> None:
    subject = case("s", "Council tax chatbot")
    other = case("o", "Council tax chatbot")
    library = corpus(subject, other)
    assert [m.key for m in library.similar(subject)] == ["o"]
    library.add(case("o", "Tree planting"))
    assert library.similar(subject) == []
    library.remove("o")
    assert "o" not in library and len(library) == len(BACKGROUND) + 1


def test_results_are_ordered_by_score_then_key_so_ties_are_stable() -> None:
    subject = case("s", "Council tax chatbot")
    twins = [case(key, "Council tax chatbot") for key in ("b", "a", "c")]
    library = corpus(subject, *twins)
    assert [m.key for m in library.similar(subject)] == ["a", "b", "c"]


def test_text_only_weights_ignore_every_code() -> None:
    subject = case("s", "Alpha", service="1")
    other = case("o", "Beta", service="1")
    library = corpus(subject, other)
    assert library.compare(subject, other, weights=Weights.text_only()).score == 0
