"""What a source of cases adds to the import framework (`kitbag.core.importing.importer`).

Each source record becomes a `WantedCase`, checked against the `Case` model before anything is
written (`check_storable`). Each case is found again by its `CaseIdentifier` (scheme = the
source), and saved through `services.save_case` (which records a revision and reindexes its
search document; new cases are indexed together at the end) only when a value the source gives
has changed, so a second run of the same
files records no revision and leaves the search index alone.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, cast

from django.db import models
from django.utils import timezone

from kitbag.cases.models import CASE_JSON_SHAPES, Case, CaseIdentifier, RecordStatus
from kitbag.cases.search_documents import index_cases_in_bulk
from kitbag.cases.services import save_case
from kitbag.core.importing.files import SourceError
from kitbag.core.importing.importer import Importer
from kitbag.core.importing.report import ImportReport, Outcome
from kitbag.core.text_limits import max_length_of, text_problem
from kitbag.registry import resolver
from kitbag.vocabularies.models import Code

# Provenance keys that change on every run; left out when deciding whether a case changed.
VOLATILE_PROVENANCE: Final = frozenset({"imported_at"})
# The code list of WantedCase.services.
SERVICE_LIST: Final = "lgsl-services"
LEAD_NAME_MAX_LENGTH: Final = Case._meta.get_field("lead_organisation_name").max_length or 255


@dataclass(frozen=True)
class WantedCase:
    """One source record as the case it becomes. Only the fields named here are written."""

    key: str  # the CaseIdentifier value: IPS-X `id`, the ATRS record's URL slug
    file: str
    line: int
    lead_name: str  # as the source gives it; kept on the case even when it resolves
    resolve_lead: bool  # only UK bodies can be in the registry
    fields: Mapping[str, Any]  # plain Case fields, by name
    codes: Mapping[str, tuple[str, str]]  # Case code field -> (code list slug, code or "")
    technologies: tuple[str, ...]  # codes of the `technology` list
    provenance: Mapping[str, Any]
    # Codes of the LGSL services list its words name plainly (mapping.services_named).
    services: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.file}, line {self.line}"


@dataclass
class CaseImportReport(ImportReport):
    """The report of one case import, with the leads it could not resolve and cases it kept."""

    resolved: int = 0
    # "file, line N (scheme value): 'Name' ..." for each case whose lead stays as text.
    unresolved: list[str] = field(default_factory=list)
    unresolved_names: dict[str, int] = field(default_factory=dict)  # name -> cases
    # Cases imported before whose record is no longer in the source; kept, never deleted.
    not_in_source: list[str] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        return (
            super().messages
            + [f"unresolved: {m}" for m in self.unresolved]
            + [f"not in source: {m}" for m in self.not_in_source]
        )

    def summary(self) -> str:
        line = super().summary()
        line += f", {self.resolved} leads resolved, {len(self.unresolved)} unresolved"
        if self.not_in_source:
            line += f", {len(self.not_in_source)} no longer in the source (kept)"
        return line

    def reasons(self) -> list[tuple[str, list[str]]]:
        return [*super().reasons(), ("not in source", self.not_in_source)]

    def notes(self, *, verbosity: int) -> list[str]:
        """Every unresolved name, once each: the list someone fixes the registry's aliases from."""
        unresolved = sorted(self.unresolved_names.items(), key=lambda item: item[0].lower())
        lines = (
            [f"  unresolved lead organisations ({len(unresolved)} names):"] if unresolved else []
        )
        for name, count in unresolved:
            lines.append(f"    {name}" + (f" ({count} cases)" if count > 1 else ""))
        blank = len(self.unresolved) - sum(self.unresolved_names.values())
        if blank:
            lines.append(f"    (no lead given: {blank} case{'s' if blank > 1 else ''})")
        if verbosity > 1:
            lines += [f"  unresolved: {message}" for message in self.unresolved]
        return lines


class CaseImporter(Importer[WantedCase]):
    """A source of cases: its format's subclass turns each source record into a WantedCase."""

    title: ClassVar[str]  # for revision summaries: "Imported from <title>"
    report_class = CaseImportReport
    progress_unit = "case"

    def check(self, record: WantedCase) -> None:
        check_storable(record)

    def write(self, records: list[WantedCase], report: ImportReport) -> None:
        _CaseWriter(importer=self, report=cast(CaseImportReport, report)).write(records)

    # The framework's save and run, typed with this report.
    def save(self, records: list[WantedCase]) -> CaseImportReport:
        return cast(CaseImportReport, super().save(records))

    def run(self) -> CaseImportReport:
        return self.save(self.read())


class _CaseWriter:
    def __init__(self, *, importer: CaseImporter, report: CaseImportReport) -> None:
        self.importer = importer
        self.source = importer.source
        self.report = report
        self.imported_at = timezone.now().isoformat(timespec="seconds")

    def write(self, records: list[WantedCase]) -> None:
        codes = self._codes(records)
        existing = {
            identifier.value: identifier.case
            for identifier in CaseIdentifier.objects.filter(scheme=self.source)
            .select_related("case")
            .prefetch_related("case__technologies", "case__services")
        }
        created: list[int] = []
        for record in self.importer.progress(records):
            values = dict(record.fields)
            values["lead_organisation_id"] = self._lead(record)
            values["lead_organisation_name"] = record.lead_name
            # Codes are compared by id but set as objects, so save_case does not fetch them again.
            related = {
                name: codes[list_slug, value] if value else None
                for name, (list_slug, value) in record.codes.items()
            }
            values.update(
                {f"{name}_id": code.pk if code else None for name, code in related.items()}
            )
            values["provenance"] = {**record.provenance, "imported_at": self.imported_at}
            technologies = [codes["technology", value] for value in record.technologies]
            services = [codes[SERVICE_LIST, value] for value in record.services]
            case = existing.get(record.key)
            if case is None:
                created.append(self._create(record, values, related, technologies, services))
                self.report.count(Outcome.CREATED)
            elif self._differs(case, values, technologies, services):
                for name, value in {**values, **related}.items():
                    setattr(case, name, value)
                save_case(
                    case=case,
                    by=None,
                    services=services,
                    technologies=technologies,
                    change_summary=f"Updated from {self.importer.title}",
                    check_permission=False,
                )
                self.report.count(Outcome.UPDATED)
            else:
                self.report.count(Outcome.UNCHANGED)
        # New cases are indexed together (a few statements rather than several per case); the
        # documents are what save_case would have written one at a time.
        if created:
            index_cases_in_bulk(pks=created)
        wanted = {record.key for record in records}
        for key in sorted(set(existing) - wanted, key=_natural):
            self.report.not_in_source.append(
                f"{self.source} {key} ({existing[key].slug}) is no longer in the source; kept"
            )

    def _create(
        self,
        record: WantedCase,
        values: dict[str, Any],
        related: dict[str, Code | None],
        technologies: list[Code],
        services: list[Code],
    ) -> int:
        # Imported cases are public at once and belong to nobody: the source is their author.
        case = Case(status=RecordStatus.PUBLISHED, source=self.source, owner=None, **values)
        for name, code in related.items():
            setattr(case, name, code)
        save_case(
            case=case,
            by=None,
            services=services,
            technologies=technologies,
            change_summary=f"Imported from {self.importer.title}",
            check_permission=False,
            index=False,
        )
        CaseIdentifier.objects.create(case=case, scheme=self.source, value=record.key)
        return case.pk

    @staticmethod
    def _differs(
        case: Case, values: Mapping[str, Any], technologies: list[Code], services: list[Code]
    ) -> bool:
        for name, value in values.items():
            current = getattr(case, name)
            if name == "provenance":
                current, value = _stable(current), _stable(value)
            if current != value:
                return True
        if {code.pk for code in case.services.all()} != {code.pk for code in services}:
            return True
        return {code.pk for code in case.technologies.all()} != {code.pk for code in technologies}

    def _lead(self, record: WantedCase) -> int | None:
        if not record.resolve_lead:
            return None
        name = record.lead_name
        label = f"{record.where} ({self.source} {record.key})"
        if not name:
            self.report.unresolved.append(f"{label}: no lead organisation given")
            return None
        match, alternatives = _resolve(name)
        if match is not None:
            self.report.resolved += 1
            return match.organisation_id
        why = (
            "could be " + " or ".join(repr(m.name) for m in alternatives[:3])
            if alternatives
            else "matches no organisation in the registry"
        )
        self.report.unresolved.append(f"{label}: {name!r} {why}; kept as text")
        self.report.unresolved_names[name] = self.report.unresolved_names.get(name, 0) + 1
        return None

    @staticmethod
    def _codes(records: list[WantedCase]) -> dict[tuple[str, str], Code]:
        wanted = {(slug, value) for r in records for slug, value in r.codes.values() if value}
        wanted |= {("technology", value) for r in records for value in r.technologies}
        wanted |= {(SERVICE_LIST, value) for r in records for value in r.services}
        found = {
            (code.code_list.slug, code.code): code
            for code in Code.objects.filter(
                code_list__slug__in={slug for slug, _ in wanted}
            ).select_related("code_list")
        }
        missing = sorted(wanted - set(found))
        if missing:
            listed = ", ".join(f"{slug} {value!r}" for slug, value in missing)
            raise SourceError(
                f"the code lists lack {listed}: run `kitbag import-vocabularies` first"
            )
        return found


def check_storable(record: WantedCase) -> None:
    """Refuse a case whose values its fields cannot hold: text longer than its field
    (`text_limits.max_length_of`) or with a line break in a one-line field, and JSON not of the
    field's shape (`CASE_JSON_SHAPES`). The reading layer has refused control characters."""
    for name, value in record.fields.items():
        field = Case._meta.get_field(name)
        if isinstance(value, str) and isinstance(field, models.Field):
            problem = text_problem(
                value,
                max_length=max_length_of(field),
                single_line=not isinstance(field, models.TextField),
            )
            if problem is not None:
                raise SourceError(
                    problem.describe(), file=record.file, line=record.line, field=name
                )
    values = {**record.fields, "provenance": record.provenance}
    for name, shape in CASE_JSON_SHAPES.items():
        if name in values and (problem_text := shape.problem(values[name])) is not None:
            raise SourceError(problem_text, file=record.file, line=record.line, field=name)


def _resolve(name: str) -> tuple[resolver.Match | None, list[resolver.Match]]:
    """The organisation a source's lead name means, trying the forms the sources write it in.

    IPS-X often adds an abbreviation in brackets ("HM Land Registry (HMLR)"); the name without it
    and then the abbreviation alone are tried after the name as given. Each must still be a
    confident match on its own.
    """
    first = resolver.resolve_name(name)
    if first.best is not None:
        return first.best, []
    bracketed = re.fullmatch(r"(?P<name>.+?)\s*\((?P<short>[^()]+)\)", name)
    if bracketed:
        for variant in (bracketed["name"], bracketed["short"]):
            outcome = resolver.resolve_name(variant)
            if outcome.best is not None:
                return outcome.best, []
    return None, first.alternatives


def _stable(provenance: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in provenance.items() if k not in VOLATILE_PROVENANCE}


def _natural(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (sys.maxsize, key)


# Text helpers shared by the importers.

# Text encoded as UTF-8 and read back as Windows-1252 ("bankâ€™s" for "bank's", "Â®" for "®").
_MOJIBAKE = re.compile(r"[ÂÃâ][\u0080-\u00bf\u0152-\u2122]")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252, when the text shows it and the repair decodes cleanly."""
    if not _MOJIBAKE.search(text):
        return text
    raw = bytearray()
    for char in text:
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return text  # a character Windows-1252 never produced: not mojibake
            raw.append(ord(char))  # the five bytes cp1252 leaves undefined pass through as is
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def paragraphs(text: str) -> str:
    """Whitespace tidied within lines; paragraphs kept, one blank line between them."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    return " ".join(text.split())


def fit(text: str, *, max_length: int, where: str, skipped: list[str]) -> str:
    """`text` cut at a word to fit a column, with a note in `skipped` when it had to be."""
    if len(text) <= max_length:
        return text
    cut = text[: max_length - 1].rsplit(" ", 1)[0].rstrip(" ,;") + "…"
    skipped.append(f"{where}: longer than {max_length} characters; shortened to {cut[:40]!r}...")
    return cut
