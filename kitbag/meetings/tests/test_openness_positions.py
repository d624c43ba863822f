"""Where each activity's answer comes from (issue 16): the law answers where it settles an
activity and no policy does; "unknown" only where neither does. Nation x activity x policy."""

from __future__ import annotations

import pytest

from kitbag.meetings.openness import law, positions
from kitbag.meetings.openness.positions import Answer

ALLOWED_BY_LAW = Answer("allowed", "law")
UNSETTLED = Answer("unknown", "unknown")

# With no recorded policy, going by law.py: every nation and activity, written out in full so a
# change to the law (or to the rule of what settles an answer) has to change this table too.
NO_POLICY = {
    law.ENGLAND: {
        "written-commentary": ALLOWED_BY_LAW,  # SI 2014/2095 reg 4: the right to report
        "audio-recording": ALLOWED_BY_LAW,
        "filming": ALLOWED_BY_LAW,
        "photography": ALLOWED_BY_LAW,
        "oral-commentary": UNSETTLED,  # may be refused
        "council-webcast": UNSETTLED,  # no duty
        "published-recordings": UNSETTLED,
    },
    law.WALES: {
        "written-commentary": UNSETTLED,  # each council decides
        "audio-recording": UNSETTLED,
        "filming": UNSETTLED,
        "photography": UNSETTLED,
        "oral-commentary": UNSETTLED,
        "council-webcast": ALLOWED_BY_LAW,  # LGE(W)A 2021 s.46: full council broadcast live
        "published-recordings": ALLOWED_BY_LAW,  # ... and kept available afterwards
    },
    law.SCOTLAND: dict.fromkeys(positions.ACTIVITIES, UNSETTLED),
    law.NORTHERN_IRELAND: {
        "written-commentary": UNSETTLED,
        "audio-recording": UNSETTLED,
        "filming": UNSETTLED,
        "photography": UNSETTLED,
        "oral-commentary": UNSETTLED,
        "council-webcast": UNSETTLED,
        "published-recordings": ALLOWED_BY_LAW,  # LGA(NI) 2014 s.47: full council recorded
    },
}

CASES = [(rule.nation, rule.activity, rule.position) for rule in law.rules()]


def test_the_table_covers_every_rule_of_the_law() -> None:
    assert {(n, a) for n, a, _ in CASES} == {
        (n, a) for n, answers in NO_POLICY.items() for a in answers
    }
    assert len(CASES) == 28


@pytest.mark.parametrize(("nation", "activity", "position"), CASES)
def test_without_a_policy_the_law_answers_where_it_settles_the_activity(
    nation: str, activity: str, position: str
) -> None:
    expected = NO_POLICY[nation][activity]
    assert positions.answer(legal_position=position, policy_status=None) == expected
    # A recorded policy that says only "unknown" does not hide what the law settles.
    assert positions.answer(legal_position=position, policy_status="unknown") == expected


@pytest.mark.parametrize(("nation", "activity", "position"), CASES)
@pytest.mark.parametrize("status", ["allowed", "allowed-with-conditions", "prohibited"])
def test_a_recorded_policy_answers_and_says_where_it_came_from(
    nation: str, activity: str, position: str, status: str
) -> None:
    assert positions.answer(legal_position=position, policy_status=status) == Answer(
        status, "policy"
    )
    from_report = positions.answer(legal_position=position, policy_status=status, from_report=True)
    assert from_report == Answer(status, "reports")


def test_unknown_is_never_the_answer_beside_a_statutory_right_or_duty() -> None:
    for rule in law.rules():
        if rule.position in (positions.STATUTORY_RIGHT, positions.STATUTORY_DUTY):
            answer = positions.answer(legal_position=rule.position, policy_status=None)
            assert answer.status != "unknown" and answer.source == "law", rule


def test_a_council_of_no_known_nation_is_unknown_and_bad_values_are_errors() -> None:
    assert positions.answer(legal_position=None, policy_status=None) == UNSETTLED
    with pytest.raises(ValueError):
        positions.answer(legal_position="vibes", policy_status=None)
    with pytest.raises(ValueError):
        positions.answer(legal_position=None, policy_status="maybe")


def test_the_law_is_cited_by_its_act_and_section() -> None:
    assert (
        positions.law_citation(law.WALES_ACT, law.WALES_S46)
        == "Local Government and Elections (Wales) Act 2021, section 46"
    )
    assert (
        positions.law_citation(law.NI_ACT, law.NI_S47)
        == "Local Government Act (Northern Ireland) 2014, section 47"
    )
    assert positions.law_citation(law.ENGLAND_REGS, law.ENGLAND_REG_4) == (
        "The Openness of Local Government Bodies Regulations 2014 (SI 2014/2095), regulation 4"
    )
    assert positions.law_citation("", "") == ""
