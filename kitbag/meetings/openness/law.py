"""The law on reporting, recording and filming council meetings, by nation and activity, as data.

A pure module: one `Rule` per nation and activity (4 x 7), from the baseline table in
`../shared/docs/reference/meetings-law-and-model.md` section 3.5, in our own plain English. The
data migration `0002_openness` and `openness.services.load_law()` write it to `LegalRule`,
keyed on (nation, activity), so loading again changes nothing. When the law changes, edit a rule
here and add a migration that calls `load_law()` again.

Nations are the registry's `Nation` values; activities, positions and dates as in openness.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kitbag.meetings.openness.positions import (
    ACTIVITIES,
    AUDIO_RECORDING,
    COUNCIL_DISCRETION,
    COUNCIL_WEBCAST,
    FILMING,
    MAY_BE_REFUSED,
    NO_DUTY,
    ORAL_COMMENTARY,
    PHOTOGRAPHY,
    PUBLISHED_RECORDINGS,
    STATUTORY_DUTY,
    STATUTORY_RIGHT,
    WRITTEN_COMMENTARY,
)

ENGLAND = "England"
WALES = "Wales"
SCOTLAND = "Scotland"
NORTHERN_IRELAND = "Northern Ireland"
NATIONS = (ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND)


@dataclass(frozen=True)
class Rule:
    nation: str
    activity: str
    position: str
    summary: str  # plain English, one or two sentences
    instrument: str  # the Act or statutory instrument, "" where no law speaks
    provision: str  # the section or regulation
    url: str  # legislation.gov.uk
    in_force_from: dt.date | None


ENGLAND_REGS = "The Openness of Local Government Bodies Regulations 2014 (SI 2014/2095)"
ENGLAND_REG_4 = (
    "Regulation 4, inserting section 100A(7A) to (7D) into the Local Government Act 1972"
)
ENGLAND_URL = "https://www.legislation.gov.uk/uksi/2014/2095/regulation/4"
ENGLAND_FROM = dt.date(2014, 8, 6)

WALES_ACT = "Local Government and Elections (Wales) Act 2021"
WALES_S46 = "Section 46 (electronic broadcasts of meetings)"
WALES_URL = "https://www.legislation.gov.uk/asc/2021/1/section/46"
WALES_FROM = dt.date(2022, 5, 5)
WALES_ADMISSION = "Local Government Act 1972"
WALES_ADMISSION_SECTION = "Section 100A (admission of the public); no right to film or record"
WALES_ADMISSION_URL = "https://www.legislation.gov.uk/ukpga/1972/70/section/100A"

SCOTLAND_ACT = "Local Government (Scotland) Act 1973"
SCOTLAND_SECTION = "Part IIIA, section 50A (admission of the public); no right to film or record"
SCOTLAND_URL = "https://www.legislation.gov.uk/ukpga/1973/65/section/50A"

NI_ACT = "Local Government Act (Northern Ireland) 2014"
NI_S42 = "Section 42 (admission of the public); no right to film or record"
NI_S42_URL = "https://www.legislation.gov.uk/nia/2014/8/section/42"
NI_S47 = "Section 47 (audio recording of meetings)"
NI_S47_URL = "https://www.legislation.gov.uk/nia/2014/8/section/47"
NI_S47_FROM = dt.date(2014, 6, 2)


def _england() -> list[Rule]:
    right = (
        "Anyone attending an open meeting of the council, its cabinet or its committees may {what}. "
        "No permission is needed; the council may only stop disruption, and parts of a meeting "
        "held in private are not covered."
    )
    public = [
        (WRITTEN_COMMENTARY, "report on it in writing as it happens, including on social media"),
        (AUDIO_RECORDING, "make an audio recording of it"),
        (FILMING, "film it"),
        (PHOTOGRAPHY, "take photographs of it"),
    ]
    rules = [
        Rule(
            ENGLAND,
            activity,
            STATUTORY_RIGHT,
            right.format(what=what),
            ENGLAND_REGS,
            ENGLAND_REG_4,
            ENGLAND_URL,
            ENGLAND_FROM,
        )
        for activity, what in public
    ]
    rules += [
        Rule(
            ENGLAND,
            ORAL_COMMENTARY,
            MAY_BE_REFUSED,
            "Speaking a commentary aloud in the room is not part of the right to report: the "
            "council may refuse it. Commentary that people elsewhere hear or read is covered.",
            ENGLAND_REGS,
            "Regulation 4, inserting section 100A(7B) into the Local Government Act 1972",
            ENGLAND_URL,
            ENGLAND_FROM,
        ),
        Rule(
            ENGLAND,
            COUNCIL_WEBCAST,
            NO_DUTY,
            "The council does not have to broadcast its meetings itself. Many do; anyone may "
            "film and stream an open meeting.",
            ENGLAND_REGS,
            ENGLAND_REG_4,
            ENGLAND_URL,
            ENGLAND_FROM,
        ),
        Rule(
            ENGLAND,
            PUBLISHED_RECORDINGS,
            NO_DUTY,
            "The council does not have to record its meetings or publish recordings.",
            "",
            "",
            "",
            None,
        ),
    ]
    return rules


def _discretion(nation: str, instrument: str, provision: str, url: str) -> list[Rule]:
    text = {
        WRITTEN_COMMENTARY: "written reporting and social media posts during a meeting",
        AUDIO_RECORDING: "audio recording",
        FILMING: "filming",
        PHOTOGRAPHY: "photography",
        ORAL_COMMENTARY: "spoken commentary in the room",
    }
    return [
        Rule(
            nation,
            activity,
            COUNCIL_DISCRETION,
            f"The public may attend open meetings, but no law gives a right to {what}: each "
            "council decides, usually in its standing orders or a protocol.",
            instrument,
            provision,
            url,
            None,
        )
        for activity, what in text.items()
    ]


def _wales() -> list[Rule]:
    return [
        *_discretion(WALES, WALES_ADMISSION, WALES_ADMISSION_SECTION, WALES_ADMISSION_URL),
        Rule(
            WALES,
            COUNCIL_WEBCAST,
            STATUTORY_DUTY,
            "A principal council must broadcast the open parts of full council meetings live "
            "on the internet. Broadcasting other meetings is up to the council.",
            WALES_ACT,
            WALES_S46,
            WALES_URL,
            WALES_FROM,
        ),
        Rule(
            WALES,
            PUBLISHED_RECORDINGS,
            STATUTORY_DUTY,
            "The broadcast of each full council meeting must stay available to watch for a "
            "period after the meeting.",
            WALES_ACT,
            WALES_S46,
            WALES_URL,
            WALES_FROM,
        ),
    ]


def _scotland() -> list[Rule]:
    return [
        *_discretion(SCOTLAND, SCOTLAND_ACT, SCOTLAND_SECTION, SCOTLAND_URL),
        Rule(
            SCOTLAND,
            COUNCIL_WEBCAST,
            NO_DUTY,
            "The council does not have to broadcast its meetings; some broadcast none, some all.",
            "",
            "",
            "",
            None,
        ),
        Rule(
            SCOTLAND,
            PUBLISHED_RECORDINGS,
            NO_DUTY,
            "The council does not have to record its meetings or publish recordings.",
            "",
            "",
            "",
            None,
        ),
    ]


def _northern_ireland() -> list[Rule]:
    return [
        *_discretion(NORTHERN_IRELAND, NI_ACT, NI_S42, NI_S42_URL),
        Rule(
            NORTHERN_IRELAND,
            COUNCIL_WEBCAST,
            NO_DUTY,
            "The council does not have to broadcast its meetings live.",
            "",
            "",
            "",
            None,
        ),
        Rule(
            NORTHERN_IRELAND,
            PUBLISHED_RECORDINGS,
            STATUTORY_DUTY,
            "As far as is reasonably practicable, the council must make an audio recording of "
            "the open parts of full council meetings, keep it for six years and publish it on "
            "its website for two years. Committees are not covered.",
            NI_ACT,
            NI_S47,
            NI_S47_URL,
            NI_S47_FROM,
        ),
    ]


def rules() -> list[Rule]:
    """Every rule: each nation, then each activity in the order of openness.ACTIVITIES."""
    order = {activity: index for index, activity in enumerate(ACTIVITIES)}
    every = [*_england(), *_wales(), *_scotland(), *_northern_ireland()]
    return sorted(every, key=lambda rule: (NATIONS.index(rule.nation), order[rule.activity]))
