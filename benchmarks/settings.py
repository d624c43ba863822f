"""Kitbag's own settings plus one trivial view, so the benchmark compares like with like."""

from kitbag.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
