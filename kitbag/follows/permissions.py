"""Who may follow: rows added to the one permission table.

=============  ==================  ===============================================================
object         action              allowed
=============  ==================  ===============================================================
(no object)    follow              signed in (following, notifications, digests, the own feed)
=============  ==================  ===============================================================
What a follow brings is filtered by each part's own rule for the object a happening is about
(`queries.readable_by`), on every channel: the notifications page, digests and the personal feed.
Something a person may not see cannot be followed either (`services.follow`).
"""

from __future__ import annotations

from kitbag.accounts.permissions import register_rules, signed_in

register_rules({(None, "follow"): signed_in})
