"""What a code list should hold, as plain data: the importers and the built-in lists produce these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class WantedList:
    slug: str
    name: str
    publisher: str = ""
    url: str = ""
    version: str = ""


@dataclass(frozen=True)
class WantedCode:
    code: str
    label: str
    description: str = ""
    parent: str = ""  # the code of the parent in the same list; empty for a top-level code
    source_created: dt.date | None = None
    source_modified: dt.date | None = None


@dataclass(frozen=True)
class WantedCodeList:
    """A list and every code it should hold, in order: one record of a code-list importer."""

    list: WantedList
    codes: tuple[WantedCode, ...]
    # (what people type, a code's label) pairs for the search's synonym table, one way; written
    # under the list's slug, replacing what it had (former_names.py, decision 0036).
    synonyms: tuple[tuple[str, str], ...] = ()
