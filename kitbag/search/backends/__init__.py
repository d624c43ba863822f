"""The backend for a database connection: FTS5 on SQLite, full-text search on PostgreSQL."""

from __future__ import annotations

from django.db import connections

from kitbag.search.backends.base import SearchBackend


def backend_for(using: str = "default") -> SearchBackend:
    vendor = connections[using].vendor
    if vendor == "sqlite":
        from kitbag.search.backends.sqlite import SqliteBackend

        return SqliteBackend(using=using)
    if vendor == "postgresql":
        from kitbag.search.backends.postgres import PostgresBackend

        return PostgresBackend(using=using)
    raise NotImplementedError(f"kitbag.search has no backend for {vendor}")
