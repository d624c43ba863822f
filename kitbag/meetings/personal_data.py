"""What the meetings part holds about a person, for their personal data download."""

from __future__ import annotations

from typing import Any

from kitbag.accounts.models import User
from kitbag.meetings.models import OpennessReport


def collect(user: User) -> dict[str, Any]:
    return {
        "openness_reports_you_made": [
            {
                "council": report.council.name,
                "committee": report.committee_label,
                "activity": report.activity,
                "observed_on": report.observed_on.isoformat(),
                "what_happened": report.narrative,
                "evidence_url": report.evidence_url,
                "has_evidence_file": bool(report.evidence_file),
                "state": report.state,
                "created_at": report.created_at.isoformat(),
            }
            for report in OpennessReport.objects.filter(reporter=user).select_related(
                "council", "committee"
            )
        ]
    }
