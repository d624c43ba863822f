"""Importers of real cases, one per source, in the order a full import runs them."""

from __future__ import annotations

from kitbag.cases.importers.atrs import AtrsImporter
from kitbag.cases.importers.base import CaseImporter, CaseImportReport, WantedCase
from kitbag.cases.importers.ipsx import IpsxImporter

IMPORTERS: tuple[type[CaseImporter], ...] = (IpsxImporter, AtrsImporter)

__all__ = [
    "IMPORTERS",
    "AtrsImporter",
    "CaseImportReport",
    "CaseImporter",
    "IpsxImporter",
    "WantedCase",
]
