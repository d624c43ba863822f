"""The names a code list's services had before, as words people still type: "Potholes" became
"Road maintenance" in LGSL 2.02, and officers still say potholes. Pure: no Django.

Each former name becomes a one-way synonym of the service's label for the search (decision 0036)
when it can only mean that service: not a catalogue form ("Roads - maintenance"), sharing no word
with the label (a rewording finds the same cases already), and said by no other service's label
or description ("Schools", once "Fire safety education", is many services' word).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kitbag.search.text import fold, is_indexable, stem, words

# "Term name changed from 'Potholes' to 'Road maintenance' ...", as the LGSL history notes say it.
_RENAMED = re.compile(r"(?:[Nn]ame|[Tt]erm name|[Ll]abel)s? changed from '([^']+)' to '([^']+)'")
# Catalogue forms and qualified names are no one's everyday words.
_CATALOGUE_FORM = re.compile(r" - |[()/]")


@dataclass(frozen=True)
class Service:
    code: str
    label: str
    description: str
    history: str


def former_names(history: str) -> list[str]:
    """Every name a history note says the service had, in order, once each."""
    names: dict[str, None] = {}
    for before, after in _RENAMED.findall(history):
        names.setdefault(" ".join(before.split()), None)
        names.setdefault(" ".join(after.split()), None)
    return list(names)


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in words(fold(text)) if is_indexable(word))


def one_way_synonyms(services: Sequence[Service]) -> list[tuple[str, str]]:
    """(former name, current label) for each former name that can only mean its service."""
    said = {
        service.code: " " + " ".join(_stems(f"{service.label}. {service.description}")) + " "
        for service in services
    }
    pairs: list[tuple[str, str]] = []
    for service in services:
        label_stems = set(_stems(service.label))
        for name in former_names(service.history):
            name_stems = _stems(name)
            if not name_stems or _CATALOGUE_FORM.search(name) or label_stems & set(name_stems):
                continue
            phrase = " " + " ".join(name_stems) + " "
            if any(phrase in text for code, text in said.items() if code != service.code):
                continue
            pairs.append((name, service.label))
    return pairs
