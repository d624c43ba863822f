"""The exchange format `kitbag-consultation/1` (issue 18): writing it, and reading it back.

Export writes every published version and every shown comment (hidden and waiting ones never
leave Kitbag), each with its anchor in the latest version, and the statistics. Import checks the
whole file first (every problem named by its place in the file) and then writes it in one
transaction; `anchor` and `statistics` are ignored on import and computed again, so importing an
export gives the same export. Importing a slug that exists changes nothing and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_datetime

from kitbag.consultations import answer_rate
from kitbag.consultations.documents import block_of
from kitbag.consultations.models import (
    Comment,
    CommentState,
    Consultation,
    ConsultationStatus,
    Paragraph,
    Version,
)
from kitbag.consultations.queries import export_comments, thread_rows
from kitbag.registry.models import Organisation

FORMAT = "kitbag-consultation/1"


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def statistics_of(consultation: Consultation) -> dict[str, Any]:
    rate = answer_rate.answer_rate(thread_rows(consultation.comments.all()))
    return {
        "comments": rate.comments,
        "answered": rate.answered,
        "answer_rate": round(rate.rate, 4) if rate.rate is not None else 0.0,
        "median_hours_to_first_official_answer": rate.median_hours,
    }


def export_consultation(consultation: Consultation) -> dict[str, Any]:
    """The consultation in the exchange format. Only public consultations are exported."""
    versions = list(
        consultation.versions.filter(published_at__isnull=False)
        .order_by("number")
        .prefetch_related("paragraphs")
    )
    comments = list(export_comments(consultation))
    keys = {comment.pk: comment.key for comment in comments}
    return {
        "format": FORMAT,
        "slug": consultation.slug,
        "title": consultation.title,
        "organisation": consultation.organisation.code,
        "opens": _iso(consultation.opens_at),
        "closes": _iso(consultation.closes_at),
        "versions": [
            {
                "number": version.number,
                "published": _iso(version.published_at),
                "paragraphs": [
                    {"id": paragraph.key, "text": paragraph.markdown}
                    for paragraph in version.paragraphs.all()
                ],
            }
            for version in versions
        ],
        "comments": [
            {
                "id": comment.key,
                "author": comment.display_name,
                "created": _iso(comment.created_at),
                "version": comment.version.number,
                "paragraph": comment.paragraph_key,
                "quote": {
                    "exact": comment.quote_exact,
                    "prefix": comment.quote_prefix,
                    "suffix": comment.quote_suffix,
                }
                if comment.quote_exact
                else None,
                # A reply to a comment that is not shown has no parent in the export.
                "parent": keys.get(comment.parent_id) if comment.parent_id else None,
                "official": comment.is_official,
                "text": comment.text,
                "anchor": {
                    "version": comment.anchor_version,
                    "paragraph": comment.anchor_paragraph or None,
                    "status": comment.anchor_status or "unchanged",
                },
            }
            for comment in comments
        ],
        "statistics": statistics_of(consultation),
    }


# --- Reading --------------------------------------------------------------------------------------


class ExchangeError(ValueError):
    """The file is not a valid exchange file; each problem names its place in the file."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    consultation: Consultation
    created: bool
    versions: int
    comments: int


def _text(
    data: dict[str, Any], name: str, where: str, problems: list[str], *, required: bool = True
) -> str:
    value = data.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(f"{where}: {name!r} must be {'non-empty ' if required else ''}text")
        return ""
    return value


def _when(
    value: Any, where: str, problems: list[str], *, required: bool = True
) -> dt.datetime | None:
    if value is None and not required:
        return None
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        problems.append(f"{where}: {value!r} is not an ISO 8601 date and time with a time zone")
        return None
    return moment


def check(data: Any) -> list[str]:
    """Every problem in the file, or none."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["the file must hold a JSON object"]
    if data.get("format") != FORMAT:
        problems.append(f"format: must be {FORMAT!r}, not {data.get('format')!r}")
    _text(data, "slug", "top level", problems)
    _text(data, "title", "top level", problems)
    code = _text(data, "organisation", "top level", problems)
    if code and not Organisation.objects.filter(code=code).exists():
        problems.append(f"organisation: no organisation in the registry has the code {code!r}")
    _when(data.get("opens"), "opens", problems, required=False)
    _when(data.get("closes"), "closes", problems, required=False)
    versions = data.get("versions")
    paragraphs_of: dict[int, set[str]] = {}
    if not isinstance(versions, list) or not versions:
        problems.append("versions: must be a list of at least one version")
        versions = []
    for i, version in enumerate(versions):
        where = f"versions[{i}]"
        if not isinstance(version, dict):
            problems.append(f"{where}: must be an object")
            continue
        number = version.get("number")
        if not isinstance(number, int) or number < 1 or number in paragraphs_of:
            problems.append(f"{where}.number: must be a whole number from 1, each once")
            continue
        _when(version.get("published"), f"{where}.published", problems)
        ids: set[str] = set()
        paragraphs = version.get("paragraphs")
        if not isinstance(paragraphs, list) or not paragraphs:
            problems.append(f"{where}.paragraphs: must be a list of at least one paragraph")
            paragraphs = []
        for j, paragraph in enumerate(paragraphs):
            at = f"{where}.paragraphs[{j}]"
            if not isinstance(paragraph, dict):
                problems.append(f"{at}: must be an object")
                continue
            key = _text(paragraph, "id", at, problems)
            _text(paragraph, "text", at, problems)
            if key in ids:
                problems.append(f"{at}.id: {key!r} appears twice in the version")
            if len(key) > 32:
                problems.append(f"{at}.id: at most 32 characters")
            ids.add(key)
        paragraphs_of[number] = ids
    if sorted(paragraphs_of) != list(range(1, len(paragraphs_of) + 1)):
        problems.append("versions: numbers must run 1, 2, 3... without gaps")
    comments = data.get("comments", [])
    if not isinstance(comments, list):
        problems.append("comments: must be a list")
        comments = []
    seen: dict[str, int] = {}
    for i, comment in enumerate(comments):
        where = f"comments[{i}]"
        if not isinstance(comment, dict):
            problems.append(f"{where}: must be an object")
            continue
        key = _text(comment, "id", where, problems)
        if key in seen:
            problems.append(f"{where}.id: {key!r} appears twice")
        elif key and len(key) > 64:
            problems.append(f"{where}.id: at most 64 characters")
        _text(comment, "author", where, problems)
        _text(comment, "text", where, problems)
        _when(comment.get("created"), f"{where}.created", problems)
        number = comment.get("version")
        paragraph = comment.get("paragraph")
        if number not in paragraphs_of:
            problems.append(f"{where}.version: no version {number!r} in the file")
        elif paragraph not in paragraphs_of[number]:
            problems.append(f"{where}.paragraph: no paragraph {paragraph!r} in version {number}")
        quote = comment.get("quote")
        if quote is not None and (
            not isinstance(quote, dict)
            or not all(isinstance(quote.get(n, ""), str) for n in ("exact", "prefix", "suffix"))
        ):
            problems.append(f"{where}.quote: must be null or an object of exact, prefix, suffix")
        parent = comment.get("parent")
        if parent is not None and parent not in seen:
            problems.append(f"{where}.parent: {parent!r} is not an earlier comment in the file")
        if not isinstance(comment.get("official", False), bool):
            problems.append(f"{where}.official: must be true or false")
        if parent is not None and parent in seen:
            depth = _depth(comments, seen, parent) + 1
            if depth > 2:
                problems.append(f"{where}.parent: replies go three levels deep at most")
        seen[key] = i
    return problems


def _depth(comments: list[Any], seen: dict[str, int], key: str) -> int:
    depth = 0
    parent = comments[seen[key]].get("parent")
    while parent is not None and parent in seen and depth < 5:
        depth += 1
        parent = comments[seen[parent]].get("parent")
    return depth


@transaction.atomic
def import_consultation(data: Any) -> ImportResult:
    """Write an exchange file's consultation; a slug that exists is left as it is."""
    from kitbag.consultations.services import carry_anchors, reindex

    problems = check(data)
    if problems:
        raise ExchangeError(problems)
    existing = Consultation.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        return ImportResult(consultation=existing, created=False, versions=0, comments=0)
    taken = sorted(
        Comment.objects.filter(key__in=[c["id"] for c in data.get("comments", [])]).values_list(
            "key", flat=True
        )
    )
    if taken:
        raise ExchangeError(
            [f"comments: ids already used by another consultation: {', '.join(taken)}"]
        )
    organisation = Organisation.objects.filter(code=data["organisation"]).order_by("pk").first()
    assert organisation is not None  # check() found it
    versions = sorted(data["versions"], key=lambda v: v["number"])
    closes = _when(data.get("closes"), "closes", [], required=False)
    consultation = Consultation.objects.create(
        organisation=organisation,
        slug=data["slug"],
        title=data["title"],
        opens_at=_when(data.get("opens"), "opens", [], required=False),
        closes_at=closes,
        status=ConsultationStatus.OPEN
        if closes is None or closes > dt.datetime.now(dt.UTC)
        else ConsultationStatus.CLOSED,
    )
    by_number: dict[int, Version] = {}
    for version in versions:
        row = Version.objects.create(
            consultation=consultation,
            number=version["number"],
            published_at=_when(version["published"], "published", []),
            source="\n\n".join(p["text"] for p in version["paragraphs"]),
        )
        by_number[row.number] = row
        rows = []
        for position, paragraph in enumerate(version["paragraphs"], start=1):
            block = block_of(paragraph["text"])
            rows.append(
                Paragraph(
                    version=row,
                    key=paragraph["id"],
                    position=position,
                    kind=block.kind,
                    level=block.level,
                    text=block.text,
                )
            )
        Paragraph.objects.bulk_create(rows)
    made: dict[str, Comment] = {}
    for comment in data.get("comments", []):
        parent = made.get(comment["parent"]) if comment.get("parent") else None
        quote = comment.get("quote") or {}
        official = bool(comment.get("official")) and parent is not None
        made[comment["id"]] = Comment.objects.create(
            key=comment["id"],
            consultation=consultation,
            version=by_number[comment["version"]],
            paragraph_key=comment["paragraph"],
            quote_exact=quote.get("exact", ""),
            quote_prefix=quote.get("prefix", ""),
            quote_suffix=quote.get("suffix", ""),
            parent=parent,
            depth=0 if parent is None else parent.depth + 1,
            imported_author=comment["author"],
            display_name=comment["author"],
            is_official=official,
            official_organisation=organisation if official else None,
            text=comment["text"],
            created_at=_when(comment["created"], "created", []) or dt.datetime.now(dt.UTC),
            state=CommentState.VISIBLE,
        )
    carry_anchors(consultation)
    reindex(consultation)
    return ImportResult(
        consultation=consultation, created=True, versions=len(versions), comments=len(made)
    )
