"""What a serving process does once Django has started (kitbag/wsgi.py, kitbag/asgi.py)."""

from __future__ import annotations

import gc


def settle_after_start() -> None:
    """Put every object made while starting (modules, settings, apps: nearly all the objects the
    garbage collector tracks) out of its reach for the life of the process.

    Otherwise each full collection visits them all again: at 100,000 cases that was 25-30 ms at
    a time, in the middle of a search, seven times in fifty searches, and it made the 95th
    percentile; after this a full collection takes about 1 ms (docs/performance.md,
    2026-12-02). Forked workers also keep sharing those objects' memory pages.
    """
    gc.freeze()
