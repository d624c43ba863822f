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

    Only a statutory right settles it ("allowed"); a duty says what the council must do, not what
    it does, and discretion says nothing, so both are "unknown" until a policy is recorded.
    """
    return ALLOWED if legal_position == STATUTORY_RIGHT else UNKNOWN
