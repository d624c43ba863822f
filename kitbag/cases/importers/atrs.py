"""Algorithmic Transparency Records (GOV.UK ATRS): 136 UK public bodies' algorithmic tools.

atrs_records.json holds {"meta": {...}, "records": [...]}, one record per published GOV.UK record,
keyed by the last segment of its address ("hmrc-ask-hmrc-online"). The mapping is in
docs/decisions/0014-importing-cases.md.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from kitbag.cases.importers.base import (
    LEAD_NAME_MAX_LENGTH,
    CaseImporter,
    WantedCase,
    one_line,
    paragraphs,
)
from kitbag.cases.models import Case, RecordType
from kitbag.core.importing.files import KEY_MAX_LENGTH, SourceError, SourceFile
from kitbag.core.importing.json_files import parse_json_records

COMMIT: Final = "c427b427e90d536b247803dd59b5d4ce05602f5e"
RECORDS = SourceFile(name="atrs_records.json", remote_path="data/atrs_records.json")
FIELDS: Final = ("publishing_body", "tool_name", "title", "url", "published", "description")
TITLE_MAX_LENGTH: Final = Case._meta.get_field("title").max_length or 255
URL_MAX_LENGTH: Final = (
    Case._meta.get_field("algorithmic_transparency_record_url").max_length or 500
)

# Technologies a record names in its tool name or description, only where it says so plainly.
# Searched in this order; a record can have several.
TECHNOLOGY_KEYWORDS: Final = (
    ("chatbot", re.compile(r"\bchat ?bots?\b|\b(?:virtual|digital) assistants?\b", re.I)),
    (
        "artificial-intelligence",
        re.compile(
            r"\bAI\b|\bartificial intelligence\b|\blarge language models?\b|\bLLMs?\b"
            r"|\bnatural language processing\b|\bNLP\b"
        ),
    ),
    ("machine-learning", re.compile(r"\bmachine learning\b|\bdeep learning\b", re.I)),
    ("robotic-process-automation", re.compile(r"\brobotic process automation\b|\bRPA\b")),
    ("data-analytics", re.compile(r"\banalytics\b", re.I)),
)
_url = URLValidator(schemes=["https", "http"])


class AtrsImporter(CaseImporter):
    source = "atrs"
    title = "the Algorithmic Transparency Recording Standard"
    folder = "uk_algorithmic_transparency_records"
    # GOV.UK publishes each record as a page, with no single file; this harvest of them, pinned
    # to the commit the data directory holds, is the one public file there is.
    base_url = (
        f"https://raw.githubusercontent.com/fabio-rovai/uk-algorithmic-transparency/{COMMIT}/"
    )
    files = (RECORDS,)

    def parse(self) -> list[WantedCase]:
        records = parse_json_records(RECORDS, self.read_bytes(RECORDS), list_key="records")
        cases: list[WantedCase] = []
        first_seen: dict[str, int] = {}
        for record in records:
            case = self._case(record.index, record.line, record.value)
            if case.key in first_seen:
                raise SourceError(
                    f"duplicate record {case.key!r} (first on line {first_seen[case.key]})",
                    file=RECORDS.name,
                    line=record.line,
                    field="url",
                )
            first_seen[case.key] = record.line
            cases.append(case)
        return cases

    def _case(self, index: int, line: int, record: Any) -> WantedCase:
        def error(field: str, message: str) -> SourceError:
            return SourceError(message, file=RECORDS.name, line=line, field=field)

        if not isinstance(record, dict):
            raise error("", f"record {index + 1} is not an object")
        missing = [name for name in FIELDS if name not in record]
        if missing:
            raise error(missing[0], f"record {index + 1} has no {', '.join(missing)}")
        for name in FIELDS:
            if record[name] is not None and not isinstance(record[name], str):
                raise error(name, f"{record[name]!r} is not text")

        def text(name: str) -> str:
            return one_line(record[name] or "")

        url = text("url")
        try:
            _url(url)
        except ValidationError:
            raise error("url", f"{url!r} is not a web address") from None
        if len(url) > URL_MAX_LENGTH:
            raise error("url", f"the address is longer than {URL_MAX_LENGTH} characters")
        key = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
        if not key:
            raise error("url", f"{url!r} does not end in the record's name")
        if len(key) > KEY_MAX_LENGTH:
            raise error("url", f"the record's name is longer than {KEY_MAX_LENGTH} characters")
        title = text("tool_name") or text("title")
        if not title:
            raise error("tool_name", "a tool name or title is required")
        if len(title) > TITLE_MAX_LENGTH:
            raise error("tool_name", f"{title[:40]!r}... is longer than {TITLE_MAX_LENGTH}")
        lead_name = text("publishing_body")
        if len(lead_name) > LEAD_NAME_MAX_LENGTH:
            raise error("publishing_body", f"longer than {LEAD_NAME_MAX_LENGTH} characters")
        summary = paragraphs(record["description"] or "")
        fields: dict[str, Any] = {
            "record_type": RecordType.CASE_STUDY,
            "title": title,
            "summary": summary,
            "language": "en",
            "licence": "OGL-UK-3.0",
            "country_code": "GB",
            "algorithmic_transparency_record_url": url,
            "source_url": url,
            "published_at": _published(text("published"), error),
        }
        return WantedCase(
            key=key,
            file=RECORDS.name,
            line=line,
            lead_name=lead_name,
            resolve_lead=True,  # every publishing body is a UK public body
            fields=fields,
            codes={},
            technologies=technologies_named(f"{title}\n{summary}"),
            provenance={
                "source": self.source,
                "file": RECORDS.name,
                "line": line,
                "index": index,
                "url": url,
                "title": text("title"),
                "listed_organisations": record.get("listed_organisations") or [],
            },
        )


def technologies_named(text: str) -> tuple[str, ...]:
    return tuple(code for code, pattern in TECHNOLOGY_KEYWORDS if pattern.search(text))


def _published(value: str, error: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        published = dt.datetime.fromisoformat(value)
    except ValueError:
        raise error("published", f"{value!r} is not a date and time (ISO 8601)") from None
    if published.tzinfo is None:
        raise error("published", f"{value!r} has no time zone")
    return published.astimezone(dt.UTC)
