"""What the follows app holds about a person, for their personal data download. The feed token is
a secret, so it is never included (as API token hashes are not)."""

from __future__ import annotations

from typing import Any

from kitbag.accounts.models import User
from kitbag.follows.models import DigestSending, Follow, FollowSettings


def collect(user: User) -> dict[str, Any]:
    found = FollowSettings.objects.filter(user=user).first()
    return {
        "what_you_follow": [
            {"key": follow.key, "since": follow.created_at.isoformat()}
            for follow in Follow.objects.filter(user=user)
        ],
        "digest_emails": found.digest_frequency if found else "off",
        "digests_sent": [
            {
                "sent_at": sending.sent_at.isoformat(),
                "frequency": sending.frequency,
                "happenings": sending.happening_count,
            }
            for sending in DigestSending.objects.filter(user=user)
        ],
    }
