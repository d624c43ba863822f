"""mySociety's UK local authority names and codes: every council, current and abolished."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.text import slugify

from kitbag.core.importing.files import Row, SourceFile, Table
from kitbag.core.importing.importer import TableImporter
from kitbag.core.importing.report import ImportReport, Outcome
from kitbag.registry.importers.base import RegistryImporter
from kitbag.registry.importers.names import distinct_names, is_mojibake
from kitbag.registry.models import (
    IdentifierScheme,
    Nation,
    Organisation,
    OrganisationKind,
    ParentRelation,
)
from kitbag.registry.services import OrganisationWriter, WantedIdentifier, WantedName

MAIN = "uk_local_authorities.csv"
NAMES = "lookup_name_to_registry.csv"
GSS = "lookup_gss_to_registry.csv"
# alt-names joins names with a bare comma, while commas inside a name are followed by a space
# ("Bristol, City of"), so only a comma with no space after it separates two names.
ALT_NAME_SEPARATOR = re.compile(r",(?! )")
NAME_MAX_LENGTH = 255  # OrganisationName.name
SLUG_CHARACTERS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class LocalAuthority:
    line: int
    code: str
    name: str
    short_name: str
    gss: str
    former_gss: list[str]
    govuk_slug: str
    start_date: dt.date | None
    end_date: dt.date | None
    successors: list[str]
    nation: str
    region: str
    type_code: str
    type_name: str
    county: str
    combined_authority: str
    population: int | None
    latitude: float | None
    longitude: float | None
    aliases: list[str] = field(default_factory=list)

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date > dt.date.today()

    @property
    def slug_base(self) -> str:
        everyday = slugify(re.sub(r"\s+Council$", "", self.short_name or self.name))
        # GOV.UK's slug is the familiar short form ("bristol" for "City of Bristol"), but only for
        # a current council and only when it shortens the everyday name: an abolished council's
        # GOV.UK slug is often its successor's name, and some are stale ("shepway").
        if (
            self.is_current
            and SLUG_CHARACTERS.fullmatch(self.govuk_slug)
            and set(self.govuk_slug.split("-")) <= set(everyday.split("-"))
        ):
            return self.govuk_slug
        return everyday


class LocalAuthorityImporter(TableImporter[LocalAuthority], RegistryImporter[LocalAuthority]):
    source = "mysociety-local-authorities"
    folder = "mysociety_uk_local_authorities"
    base_url = (
        "https://raw.githubusercontent.com/mysociety/uk_local_authority_names_and_codes/main/data/"
    )
    files = (
        SourceFile(
            name=MAIN,
            remote_path=MAIN,
            key="local-authority-code",
            columns=(
                "local-authority-code",
                "official-name",
                "nice-name",
                "gss-code",
                "start-date",
                "end-date",
                "replaced-by",
                "nation",
                "region",
                "local-authority-type",
                "local-authority-type-name",
                "county-la",
                "combined-authority",
                "alt-names",
                "former-gss-codes",
                "gov-uk-slug",
                "pop-2020",
                "lat",
                "long",
            ),
        ),
        SourceFile(name=NAMES, remote_path=NAMES, columns=("la-name", "local-authority-code")),
        SourceFile(name=GSS, remote_path=GSS, columns=("gss-code", "local-authority-code")),
    )
    key_scheme = IdentifierScheme.LOCAL_AUTHORITY_CODE
    identifier_schemes = frozenset({IdentifierScheme.GSS, IdentifierScheme.GOVUK_SLUG})

    def records(self, tables: Mapping[str, Table]) -> list[LocalAuthority]:
        authorities = {row["local-authority-code"]: self._authority(row) for row in tables[MAIN]}
        names_by_code: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
        for row in tables[NAMES]:
            code = row["local-authority-code"]
            if code not in authorities:
                raise row.error("local-authority-code", f"no local authority {code!r} in {MAIN}")
            # Raw, not row.text(): tidying the spaces first would hide a mis-encoded no-break space.
            names_by_code[code].append((row.line, row["la-name"]))
        gss_owner: dict[str, tuple[str, int]] = {}
        for row in tables[GSS]:
            code, gss = row["local-authority-code"], row.text("gss-code", max_length=128)
            if not gss:
                continue  # the lookup lists Northern Ireland's pre-2015 districts with no code
            if code not in authorities:
                raise row.error("local-authority-code", f"no local authority {code!r} in {MAIN}")
            if gss in gss_owner and gss_owner[gss][0] != code:
                raise row.error(
                    "gss-code",
                    f"{gss} is also given to {gss_owner[gss][0]} on line {gss_owner[gss][1]}",
                )
            gss_owner[gss] = (code, row.line)
            authority = authorities[code]
            if gss != authority.gss and gss not in authority.former_gss:
                authority.former_gss.append(gss)
        for row in tables[MAIN]:
            authority = authorities[row["local-authority-code"]]
            candidates = [
                (f"{MAIN}, line {row.line}, field alt-names", name)
                for name in self._alt_names(row["alt-names"], names_by_code[authority.code])
            ]
            candidates += [
                (f"{NAMES}, line {line}, field la-name", name)
                for line, name in names_by_code[authority.code]
            ]
            kept, reported = [], set()
            for where, name in candidates:
                if is_mojibake(name):
                    problem = "is mis-encoded text"
                elif len(name) > NAME_MAX_LENGTH:
                    problem = f"is longer than {NAME_MAX_LENGTH} characters"
                else:
                    kept.append(name)
                    continue
                if name not in reported:
                    reported.add(name)
                    self.skipped.append(f"{where}: {name!r} {problem}; not added")
            authority.aliases = distinct_names(kept, exclude=(authority.name, authority.short_name))
        return list(authorities.values())

    @staticmethod
    def _alt_names(alt_names: str, listed: list[tuple[int, str]]) -> list[str]:
        # A few names hold a bare comma ("rhondda,cynon,taff"); the names lookup lists them whole,
        # so they are taken out before splitting.
        for _, name in listed:
            if ALT_NAME_SEPARATOR.search(name) and name in alt_names:
                alt_names = alt_names.replace(name, "")
        return [name for name in ALT_NAME_SEPARATOR.split(alt_names) if name.strip()]

    @staticmethod
    def _authority(row: Row) -> LocalAuthority:
        return LocalAuthority(
            line=row.line,
            code=row["local-authority-code"],
            name=row.text("official-name", required=True),
            short_name=row.text("nice-name"),
            gss=row.text("gss-code", max_length=128),
            former_gss=row.codes("former-gss-codes"),
            govuk_slug=row.text("gov-uk-slug", max_length=128),
            start_date=row.date("start-date"),
            end_date=row.date("end-date"),
            successors=row.codes("replaced-by"),
            nation=row.choice("nation", set(Nation.values)),
            region=row.text("region", max_length=64),
            type_code=row.text("local-authority-type", max_length=64),
            type_name=row.text("local-authority-type-name", max_length=128),
            county=row["county-la"],
            combined_authority=row["combined-authority"],
            population=row.integer("pop-2020"),
            latitude=row.decimal("lat", low=-90, high=90),
            longitude=row.decimal("long", low=-180, high=180),
        )

    def write(self, records: list[LocalAuthority], report: ImportReport) -> None:
        writer = self.organisation_writer(report)
        # Current councils first, so that on a new database they get the plain slug ("somerset")
        # and an abolished namesake gets the suffix ("somerset-2023").
        ordered = sorted(records, key=lambda a: (not a.is_current, a.code))
        saved: dict[str, tuple[Organisation, Outcome]] = {}
        for authority in self.progress(ordered):
            organisation, outcome = writer.upsert(
                key=authority.code,
                kind=OrganisationKind.LOCAL_AUTHORITY,
                fields=self._fields(authority),
                identifiers=self._identifiers(authority),
                names=[WantedName(name) for name in authority.aliases],
                slug_base=authority.slug_base,
                slug_suffixes=[
                    *([str(authority.end_date.year)] if authority.end_date else []),
                    authority.code,
                ],
            )
            saved[authority.code] = (organisation, outcome)
        # Links need every council saved first: a county or successor may come later in the file.
        for authority in ordered:
            organisation, outcome = saved[authority.code]
            links_changed = self._link(writer, authority, organisation, saved, report)
            if links_changed and outcome is Outcome.UNCHANGED:
                outcome = Outcome.UPDATED
            report.count(outcome)

    @staticmethod
    def _fields(authority: LocalAuthority) -> dict[str, object]:
        return {
            "name": authority.name,
            "short_name": authority.short_name,
            "code": authority.code,
            "classification_code": authority.type_code,
            "classification_name": authority.type_name,
            "nation": authority.nation,
            "region": authority.region,
            "start_date": authority.start_date,
            "end_date": authority.end_date,
            "population": authority.population,
            "latitude": authority.latitude,
            "longitude": authority.longitude,
        }

    @staticmethod
    def _identifiers(authority: LocalAuthority) -> list[WantedIdentifier]:
        wanted = [WantedIdentifier(IdentifierScheme.LOCAL_AUTHORITY_CODE, authority.code)]
        if authority.gss:
            wanted.append(WantedIdentifier(IdentifierScheme.GSS, authority.gss))
        wanted += [
            WantedIdentifier(IdentifierScheme.GSS, gss, is_current=False)
            for gss in authority.former_gss
            if gss != authority.gss
        ]
        if authority.govuk_slug:
            wanted.append(WantedIdentifier(IdentifierScheme.GOVUK_SLUG, authority.govuk_slug))
        return wanted

    @staticmethod
    def _link(
        writer: OrganisationWriter,
        authority: LocalAuthority,
        organisation: Organisation,
        saved: Mapping[str, tuple[Organisation, Outcome]],
        report: ImportReport,
    ) -> bool:
        where = f"{MAIN}, line {authority.line}"
        parents = []
        for code, relation, column in (
            (authority.county, ParentRelation.COUNTY, "county-la"),
            (authority.combined_authority, ParentRelation.COMBINED_AUTHORITY, "combined-authority"),
        ):
            if not code:
                continue
            if code in saved:
                parents.append((saved[code][0], relation))
            else:
                report.skip(f"{where}, field {column}: no local authority {code!r}; link not made")
        successors = []
        for code in authority.successors:
            if code in saved:
                successors.append((saved[code][0], authority.end_date))
            else:
                report.skip(f"{where}, field replaced-by: no local authority {code!r}; not linked")
        changed = writer.sync_parents(
            organisation,
            parents,
            relations={ParentRelation.COUNTY, ParentRelation.COMBINED_AUTHORITY},
        )
        return writer.sync_successors(organisation, successors) or changed
