"""Kitbag: an open platform for UK public services."""

from kitbag.celery import app as celery_app

__all__ = ["celery_app"]
