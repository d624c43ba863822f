"""Code-list importers, in the order a full import runs them: public standards, then Kitbag's own."""

from __future__ import annotations

from typing import Any

from kitbag.core.importing.importer import Importer
from kitbag.vocabularies.importers.builtin_lists import BuiltinListsImporter
from kitbag.vocabularies.importers.lgsl import LgslImporter

IMPORTERS: tuple[type[Importer[Any]], ...] = (LgslImporter, BuiltinListsImporter)
