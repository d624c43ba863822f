"""Kitbag: an open platform for UK public services."""

import os

# One BLAS thread per process, before NumPy is first imported: the server runs a process per core,
# and encoding a search query (kitbag/semantic) on two threads took 520 ms against 78 ms on one on
# a loaded 2-core machine, the threads waiting on each other (decision 0027). An operator may
# still set it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from kitbag.celery import app as celery_app  # noqa: E402

__all__ = ["celery_app"]
