"""Background tasks of consultations (kitbag/core/background.py is the interface)."""

from __future__ import annotations

from kitbag.consultations import services
from kitbag.core.background import background_task


@background_task
def fetch_posts_elsewhere() -> dict[str, int]:
    """Every few hours: each consultation's feeds and pages, politely (elsewhere.py)."""
    return services.fetch_all_sources()


@background_task
def verify_webmention(*, source: str, target: str) -> bool:
    """A Webmention received: fetch its source to check it links here (then a moderator sees it)."""
    return services.receive_webmention(source=source, target=target) is not None
