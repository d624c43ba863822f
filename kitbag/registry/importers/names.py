"""Pure helpers for the names sources give us: cleaning, de-duplicating, and readable case."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Words kept in capitals when an all-capitals name is put into readable case.
ACRONYMS = frozenset({"NHS", "UK", "GP", "ICB", "CCG", "CIC", "HM"})
# Words written in lower case inside a name ("Guy's and St Thomas'", "Stoke-on-Trent").
MINOR_WORDS = frozenset({"and", "of", "for", "the", "upon", "on", "in", "at", "with", "by"})


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def is_mojibake(text: str) -> bool:
    """True for text that was UTF-8 decoded as Latin-1 or Windows-1252 somewhere upstream.

    Such text ("Sir Ynys Mï¿½n") re-encodes to valid UTF-8 that differs from it, which real Welsh,
    French or typographic text ("Ynys Môn", "Climbié", "Solicitor’s") never does.
    """
    if "\ufffd" in text:
        return True
    if text.isascii():
        return False
    for codec in ("cp1252", "latin-1"):
        try:
            repaired = text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        if repaired != text:
            return True
    return False


def _casing_rank(text: str) -> tuple[bool, bool, int]:
    # Mixed case beats one case ("Camden" over "camden" or "CAMDEN"); then a capital first letter;
    # then more capitalised words ("Westmorland and Furness Council" over "westmorland and ...").
    has_upper = any(c.isupper() for c in text)
    has_lower = any(c.islower() for c in text)
    capitalised_words = sum(1 for word in text.split() if word[:1].isupper())
    return (has_upper and has_lower, text[:1].isupper(), capitalised_words)


def distinct_names(candidates: Iterable[str], *, exclude: Iterable[str] = ()) -> list[str]:
    """Names without case-insensitive repeats, each in its best-cased spelling, first-seen order.

    Names equal (ignoring case) to one in ``exclude`` (the official and short name) are dropped:
    the record already holds them in their proper spelling.
    """
    excluded = {normalise_space(name).casefold() for name in exclude}
    best: dict[str, str] = {}
    for candidate in candidates:
        name = normalise_space(candidate)
        key = name.casefold()
        if not name or key in excluded:
            continue
        if key not in best or _casing_rank(name) > _casing_rank(best[key]):
            best[key] = name
    return list(best.values())


def readable_case(name: str) -> str:
    """'GUY'S AND ST THOMAS' NHS FOUNDATION TRUST' -> "Guy's and St Thomas' NHS Foundation Trust"."""
    words = normalise_space(name).split(" ")
    return " ".join(_readable_word(word, first=index == 0) for index, word in enumerate(words))


def _readable_word(word: str, *, first: bool) -> str:
    parts = word.split("-")
    return "-".join(
        _readable_part(part, first=first and index == 0) for index, part in enumerate(parts)
    )


_LETTERS = re.compile(r"[A-Za-z]+")


def _readable_part(part: str, *, first: bool) -> str:
    bare = _LETTERS.search(part)
    if bare is None:
        return part
    if bare.group().upper() in ACRONYMS:
        return part.upper()
    if not first and part.lower() in MINOR_WORDS:
        return part.lower()
    # Capitalise only the first letter: str.title() would give "Guy'S".
    lowered = part.lower()
    return lowered[: bare.start()] + lowered[bare.start()].upper() + lowered[bare.start() + 1 :]
