"""Whether a council's policy is stricter than the law of its nation: a pure module, no Django.

The values are the same strings as the choices in models.py (`Activity`, `PolicyStatus`,
`LegalPosition`); a test checks that they agree.

"Stricter than the law" means the council says no, or asks for permission, where the law gives
everyone the right (England's written reporting, recording, filming and photography), or does not
do, or only does on request, what the law requires of the council (Wales's live broadcast of full
council; Northern Ireland's published audio recordings of full council). Where the law leaves an
activity to the council ("council discretion", or oral commentary in England, which may be
refused), no policy is stricter than the law. Conditions (a designated area, no flash) are the
lawful kind of regulation, so "allowed with conditions" is never flagged by itself: a condition
that amounts to asking permission is recorded as "permission required".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Legal positions.
STATUTORY_RIGHT: Final = "statutory-right"
MAY_BE_REFUSED: Final = "may-be-refused"
COUNCIL_DISCRETION: Final = "council-discretion"
STATUTORY_DUTY: Final = "statutory-duty"
NO_DUTY: Final = "no-duty"
LEGAL_POSITIONS: Final = (
    STATUTORY_RIGHT,
    MAY_BE_REFUSED,
    COUNCIL_DISCRETION,
    STATUTORY_DUTY,
    NO_DUTY,
)

# Policy statuses.
ALLOWED: Final = "allowed"
ALLOWED_WITH_CONDITIONS: Final = "allowed-with-conditions"
PERMISSION_REQUIRED: Final = "permission-required"
PROHIBITED: Final = "prohibited"
UNKNOWN: Final = "unknown"
STATUSES: Final = (ALLOWED, ALLOWED_WITH_CONDITIONS, PERMISSION_REQUIRED, PROHIBITED, UNKNOWN)

# Activities: what the public does at a meeting, then what the council itself does.
WRITTEN_COMMENTARY: Final = "written-commentary"
AUDIO_RECORDING: Final = "audio-recording"
FILMING: Final = "filming"
PHOTOGRAPHY: Final = "photography"
ORAL_COMMENTARY: Final = "oral-commentary"
COUNCIL_WEBCAST: Final = "council-webcast"
PUBLISHED_RECORDINGS: Final = "published-recordings"
ACTIVITIES: Final = (
    WRITTEN_COMMENTARY,
    AUDIO_RECORDING,
    FILMING,
    PHOTOGRAPHY,
    ORAL_COMMENTARY,
    COUNCIL_WEBCAST,
    PUBLISHED_RECORDINGS,
)
COUNCIL_ACTIVITIES: Final = frozenset({COUNCIL_WEBCAST, PUBLISHED_RECORDINGS})

_REFUSALS: Final = frozenset({PERMISSION_REQUIRED, PROHIBITED})


def is_stricter_than_law(*, status: str, legal_position: str | None) -> bool:
    """True when a policy of `status` takes away what the law gives (or requires).

    With no rule for the nation (a council whose nation is not known), nothing can be flagged.
    """
    if status not in STATUSES:
        raise ValueError(f"unknown policy status {status!r}")
    if legal_position is None:
        return False
    if legal_position not in LEGAL_POSITIONS:
        raise ValueError(f"unknown legal position {legal_position!r}")
    if legal_position in (STATUTORY_RIGHT, STATUTORY_DUTY):
        return status in _REFUSALS
    return False


def statutory_status(legal_position: str | None) -> str:
    """The status a council with no recorded policy has, going by the law alone.

    A statutory right settles it for the public ("allowed": no permission is needed), and a
    statutory duty settles it for the council's own activity ("allowed", shown as "required by
    law": the council must do it, as Wales's broadcast of full council and Northern Ireland's
    published recordings). Discretion, "may be refused" and "no duty" leave it "unknown" until a
    policy is recorded.
    """
    return ALLOWED if legal_position in (STATUTORY_RIGHT, STATUTORY_DUTY) else UNKNOWN


# Where an answer comes from (the `source` of each activity's answer on every channel).
SOURCE_POLICY: Final = "policy"  # a council policy recorded from published evidence
SOURCE_REPORTS: Final = "reports"  # a council policy recorded from an accepted report
SOURCE_LAW: Final = "law"  # no policy settles it, and the law of the council's nation does
SOURCE_UNKNOWN: Final = "unknown"  # neither the law nor a recorded policy settles it
SOURCES: Final = (SOURCE_POLICY, SOURCE_REPORTS, SOURCE_LAW, SOURCE_UNKNOWN)


@dataclass(frozen=True)
class Answer:
    status: str
    source: str


def answer(
    *, legal_position: str | None, policy_status: str | None, from_report: bool = False
) -> Answer:
    """What a council's position on one activity is, and what settles it.

    A recorded policy that says something wins. Where there is none, or it says only "unknown",
    the law answers if it settles the activity (a right or a duty); otherwise the answer is
    "unknown", which is never shown beside a statutory right or duty.
    """
    if policy_status is not None and policy_status not in STATUSES:
        raise ValueError(f"unknown policy status {policy_status!r}")
    if legal_position is not None and legal_position not in LEGAL_POSITIONS:
        raise ValueError(f"unknown legal position {legal_position!r}")
    if policy_status is not None and policy_status != UNKNOWN:
        return Answer(policy_status, SOURCE_REPORTS if from_report else SOURCE_POLICY)
    settled = statutory_status(legal_position)
    if settled != UNKNOWN:
        return Answer(settled, SOURCE_LAW)
    return Answer(UNKNOWN, SOURCE_UNKNOWN)


def law_citation(instrument: str, provision: str) -> str:
    """The Act or regulations and the section, short: "... Act 2021, section 46"."""
    if not instrument:
        return ""
    short = provision.split(",")[0].split(" (")[0].strip()
    if not short:
        return instrument
    return f"{instrument}, {short[0].lower()}{short[1:]}"
