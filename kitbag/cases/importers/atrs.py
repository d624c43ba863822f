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
from kitbag.cases.importers.mapping import atrs_sector, atrs_stage, lede, services_named
from kitbag.cases.models import Case, RecordType
from kitbag.core.importing.files import KEY_MAX_LENGTH, SourceFile
from kitbag.core.importing.importer import JsonImporter
from kitbag.core.importing.json_files import JsonRecord

COMMIT: Final = "c427b427e90d536b247803dd59b5d4ce05602f5e"
# Keyed by the last segment of its `url`, which must be unique in the file.
RECORDS = SourceFile(name="atrs_records.json", remote_path="data/atrs_records.json", key="url")
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


class AtrsImporter(JsonImporter[WantedCase], CaseImporter):
    source = "atrs"
    title = "the Algorithmic Transparency Recording Standard"
    folder = "uk_algorithmic_transparency_records"
    # GOV.UK publishes each record as a page, with no single file; this harvest of them, pinned
    # to the commit the data directory holds, is the one public file there is.
    base_url = (
        f"https://raw.githubusercontent.com/fabio-rovai/uk-algorithmic-transparency/{COMMIT}/"
    )
    files = (RECORDS,)
    list_key = "records"

    def key_of(self, record: WantedCase) -> str:
        return record.key

    def record(self, item: JsonRecord) -> WantedCase:
        record = item.value
        if not isinstance(record, dict):
            raise item.error("", f"record {item.index + 1} is not an object")
        missing = [name for name in FIELDS if name not in record]
        if missing:
            raise item.error(missing[0], f"record {item.index + 1} has no {', '.join(missing)}")
        for name in FIELDS:
            if record[name] is not None and not isinstance(record[name], str):
                raise item.error(name, f"{record[name]!r} is not text")

        def text(name: str) -> str:
            return one_line(record[name] or "")

        url = text("url")
        try:
            _url(url)
        except ValidationError:
            raise item.error("url", f"{url!r} is not a web address") from None
        if len(url) > URL_MAX_LENGTH:
            raise item.error("url", f"the address is longer than {URL_MAX_LENGTH} characters")
        key = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
        if not key:
            raise item.error("url", f"{url!r} does not end in the record's name")
        if len(key) > KEY_MAX_LENGTH:
            raise item.error("url", f"the record's name is longer than {KEY_MAX_LENGTH} characters")
        title = text("tool_name") or text("title")
        if not title:
            raise item.error("tool_name", "a tool name or title is required")
        if len(title) > TITLE_MAX_LENGTH:
            raise item.error("tool_name", f"{title[:40]!r}... is longer than {TITLE_MAX_LENGTH}")
        lead_name = text("publishing_body")
        if len(lead_name) > LEAD_NAME_MAX_LENGTH:
            raise item.error("publishing_body", f"longer than {LEAD_NAME_MAX_LENGTH} characters")
        summary = paragraphs(record["description"] or "")
        # What the record says of itself: its sector, stage and services (mapping.py).
        said = lede(title, summary)
        operational_status, phase = atrs_stage(said)
        fields: dict[str, Any] = {
            "record_type": RecordType.CASE_STUDY,
            "title": title,
            "summary": summary,
            "language": "en",
            "licence": "OGL-UK-3.0",
            "country_code": "GB",
            "algorithmic_transparency_record_url": url,
            "source_url": url,
            "published_at": _published(text("published"), item),
        }
        return WantedCase(
            key=key,
            file=RECORDS.name,
            line=item.line,
            lead_name=lead_name,
            resolve_lead=True,  # every publishing body is a UK public body
            fields=fields,
            codes={
                "sector": ("cofog", atrs_sector(body=lead_name, text=said)),
                "phase": ("govuk-phase", phase),
                "operational_status": ("operational-status", operational_status),
            },
            technologies=technologies_named(f"{title}\n{summary}"),
            services=services_named(said),
            provenance={
                "source": self.source,
                "file": RECORDS.name,
                "line": item.line,
                "index": item.index,
                "url": url,
                "title": text("title"),
                "listed_organisations": record.get("listed_organisations") or [],
            },
        )


def technologies_named(text: str) -> tuple[str, ...]:
    return tuple(code for code, pattern in TECHNOLOGY_KEYWORDS if pattern.search(text))


def _published(value: str, item: JsonRecord) -> dt.datetime | None:
    if not value:
        return None
    try:
        published = dt.datetime.fromisoformat(value)
    except ValueError:
        raise item.error("published", f"{value!r} is not a date and time (ISO 8601)") from None
    if published.tzinfo is None:
        raise item.error("published", f"{value!r} has no time zone")
    return published.astimezone(dt.UTC)
