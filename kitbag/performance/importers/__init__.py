"""Importers of published performance figures, one per source, in the order a full import runs."""

from __future__ import annotations

from kitbag.performance.importers.base import PerformanceImporter
from kitbag.performance.importers.lgbf import LgbfImporter
from kitbag.performance.importers.oflog import OflogImporter

IMPORTERS: tuple[type[PerformanceImporter], ...] = (OflogImporter, LgbfImporter)

__all__ = ["IMPORTERS", "LgbfImporter", "OflogImporter", "PerformanceImporter"]
