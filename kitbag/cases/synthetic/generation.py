"""Composing synthetic cases from the vocabulary, reproducibly: the same pools and seed give the
same cases on any machine and any day. Nothing here writes; writing.py does."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.text import slugify

from kitbag.cases.models import (
    CaseSource,
    GeographicExtent,
    Novelty,
    PartnerRole,
    RecordStatus,
    Recurrence,
)
from kitbag.cases.synthetic.vocabulary import (
    ADJECTIVES,
    APPROACHES,
    BENEFIT_ITEMS,
    COST_ITEMS,
    EARLIEST_YEAR,
    GOALS,
    LA,
    LATEST_DATE,
    NOUNS,
    PERIODS,
    PRODUCTS,
    RARE_WORDS,
    RESULT_TEMPLATES,
    SECTIONS,
    STAFF,
    STATUS_WEIGHTS,
    SUMMARY_TEMPLATES,
    THEMES,
    TITLE_TEMPLATES,
    VERBS_DONE,
    Theme,
)
from kitbag.registry.models import Organisation
from kitbag.vocabularies.models import Code

PROVENANCE_KEY = "synthetic"
SOURCE_CATALOGUE = "Kitbag synthetic cases (generated, not real)"
SLUG_PREFIX = "synthetic-"
GENERATOR = "kitbag.cases.synthetic"


def _zipf_cumulative(count: int, exponent: float = 1.07) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, count + 1)))


class _Picker:
    """Zipf-weighted choice: item i is drawn about 1/i as often as the first."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._cumulative: dict[int, list[float]] = {}

    def zipf(self, items: Sequence[Any]) -> Any:
        weights = self._cumulative.get(len(items))
        if weights is None:
            weights = self._cumulative[len(items)] = _zipf_cumulative(len(items))
        return items[bisect.bisect(weights, self.rng.random() * weights[-1])]

    def weighted(self, pairs: Sequence[tuple[Any, int]]) -> Any:
        return self.rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


@dataclass(frozen=True)
class Pools:
    """The real codes and organisations synthetic cases are drawn from, in a fixed order."""

    codes: dict[str, dict[str, Code]]
    leads: dict[str, list[Organisation]]
    partners: list[Organisation]

    @classmethod
    def load(cls) -> Pools:
        lists = (
            "lgsl-services",
            "lgsl-functions",
            "cofog",
            "govuk-phase",
            "operational-status",
            "nesta-evidence",
            "evidence-assessed-by",
            "outcome-label",
            "technology",
        )
        codes: dict[str, dict[str, Code]] = {name: {} for name in lists}
        for code in Code.objects.filter(code_list__slug__in=lists).select_related(
            "code_list", "parent"
        ):
            codes[code.code_list.slug][code.code] = code
        missing = [name for name in lists if not codes[name]]
        if missing:
            raise LookupError(
                f"No codes in {', '.join(missing)}: run `kitbag import-vocabularies` first."
            )
        organisations = list(
            Organisation.objects.filter(end_date__isnull=True).order_by("slug")
        ) or list(Organisation.objects.order_by("slug"))
        if not organisations:
            raise LookupError("No organisations: run `kitbag import-registry` first.")
        leads: dict[str, list[Organisation]] = {}
        for organisation in organisations:
            leads.setdefault(organisation.kind, []).append(organisation)
        return cls(codes=codes, leads=leads, partners=organisations)


@dataclass
class CaseSpec:
    """One case to create: the Case's own fields and its parts, before anything is saved."""

    fields: dict[str, Any]
    services: list[Code] = field(default_factory=list)
    functions: list[Code] = field(default_factory=list)
    technologies: list[Code] = field(default_factory=list)
    partners: list[tuple[Organisation, str]] = field(default_factory=list)
    products: list[tuple[str, bool]] = field(default_factory=list)
    costs: list[tuple[str, Decimal, str]] = field(default_factory=list)
    benefits: list[tuple[str, Decimal, str]] = field(default_factory=list)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _bare(approach: str) -> str:
    for article in ("a ", "an "):
        if approach.startswith(article):
            return approach[len(article) :]
    return approach


class _Writer:
    """Fills templates for one case: the theme's words are common, general words Zipf-spread."""

    def __init__(
        self,
        pick: _Picker,
        theme: Theme,
        *,
        approach: str,
        place: str,
        partner: str,
        others: Sequence[str],
    ):
        self.pick = pick
        self.others = others
        self.rng = pick.rng
        self.theme = theme
        self.approach = approach
        self.place = place
        self.partner = partner
        self.product = pick.zipf(PRODUCTS)[0]

    def values(self) -> dict[str, str]:
        rng, pick, theme = self.rng, self.pick, self.theme
        term, term2 = pick.zipf(theme.terms), pick.zipf(theme.terms)
        users, staff = pick.zipf(theme.users), pick.zipf(STAFF)
        subject = pick.zipf(theme.phrases)
        noun, noun2 = pick.zipf(NOUNS), pick.zipf(NOUNS)
        goal = pick.zipf(GOALS).format(term=term, term2=term2, users=users, staff=staff)
        return {
            "term": term,
            "term2": term2,
            "Term_cap": _cap(term),
            "users": users,
            "Users_cap": _cap(users),
            "staff": staff,
            "Staff_cap": _cap(staff),
            "subject": subject,
            "Subject_cap": _cap(subject),
            "phrase": subject,
            "Phrase_cap": _cap(subject),
            "approach": self.approach,
            "Approach_cap": _cap(self.approach),
            "approach_bare": _bare(self.approach),
            "Approach_bare_cap": _cap(_bare(self.approach)),
            "goal": goal,
            "noun": noun,
            "noun2": noun2,
            "capacity": pick.zipf(("staffing", "the budget", "capacity", "the team")),
            "adj": pick.zipf(ADJECTIVES),
            "verb": pick.zipf(VERBS_DONE),
            "period": pick.zipf(PERIODS),
            "rare": pick.zipf(RARE_WORDS),
            # Any service in the list, evenly: the long tail of words real write-ups have.
            "other": self.rng.choice(self.others).lower() if self.others else "other services",
            "Place": self.place,
            "partner": self.partner,
            "product": self.product,
            "Product": self.product,
            "pct": str(rng.randint(5, 70)),
            "pct2": str(rng.randint(5, 40)),
            "years": str(rng.randint(2, 10)),
            "hours": str(rng.randint(2, 40)),
            "days": str(rng.randint(5, 90)),
            "days2": str(rng.randint(1, 4)),
            "weeks": str(rng.randint(2, 16)),
            "months": str(rng.randint(2, 12)),
            "testers": str(rng.randint(5, 60)),
            "steps": str(rng.randint(2, 12)),
            "teams": str(rng.randint(2, 7)),
            "wards": str(rng.randint(2, 9)),
            "score": str(rng.randint(7, 9)),
            "score2": str(rng.randint(3, 6)),
            "num": f"{rng.randint(1, 40) * 50:,}",
            "money": f"{rng.randint(1, 120) * 5_000:,}",
        }

    def sentence(self, templates: Sequence[str]) -> str:
        return str(self.pick.zipf(templates)).format(**self.values())

    def paragraph(self, templates: Sequence[str], *, stop: float, scale: int) -> str:
        # A geometric number of sentences: most sections short, a long tail of long ones.
        count = 1
        while count < 12 * scale and self.rng.random() > stop / scale:
            count += 1
        sentences = [self.sentence(templates) for _ in range(count)]
        # Long sections break into paragraphs, as people write them.
        chunks = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        return "\n\n".join(chunks)


def _when(rng: random.Random, year: int) -> dt.datetime:
    start = dt.date(year, 1, 1).toordinal()
    day = dt.date.fromordinal(rng.randint(start, max(start, LATEST_DATE.toordinal())))
    return dt.datetime(day.year, day.month, day.day, rng.randint(8, 18), tzinfo=dt.UTC)


def _lead(pick: _Picker, pools: Pools, theme: Theme) -> Organisation:
    kinds = [kind for kind in theme.lead_kinds if pools.leads.get(kind)] or sorted(pools.leads)
    # The first kind a theme names leads most of its cases.
    kind = kinds[0] if len(kinds) == 1 or pick.rng.random() < 0.7 else pick.rng.choice(kinds[1:])
    return pick.rng.choice(pools.leads[kind])


def _phase_and_status(rng: random.Random) -> tuple[str, str]:
    phase = rng.choices(
        ("idea", "discovery", "alpha", "beta", "live", "retired"), weights=(4, 8, 10, 18, 55, 5)
    )[0]
    status = {
        "idea": "planned",
        "discovery": "planned",
        "alpha": "pilot",
        "beta": "pilot",
        "live": "implemented",
        "retired": "discontinued",
    }[phase]
    if rng.random() < 0.08:
        status = rng.choice(("planned", "pilot", "implemented", "discontinued"))
    return phase, status


def generate_specs(*, pools: Pools, count: int, seed: int, start: int = 0) -> Iterator[CaseSpec]:
    """Yield `count` cases; case number i of a seed is the same whatever `count` and `start`."""
    codes = pools.codes
    service_labels = [codes["lgsl-services"][c].label for c in sorted(codes["lgsl-services"])]
    for index in range(start, start + count):
        # Not for secrets: a seeded generator is the point, so a seed gives the same cases again.
        rng = random.Random(f"{seed}:{index}")  # noqa: S311
        pick = _Picker(rng)
        theme: Theme = pick.zipf(THEMES)
        approach, technology_codes = pick.zipf(APPROACHES)
        lead = _lead(pick, pools, theme)
        partner_orgs = [rng.choice(pools.partners) for _ in range(rng.choice((0, 0, 0, 1, 1, 2)))]
        partner_orgs = [org for org in dict.fromkeys(partner_orgs) if org.pk != lead.pk]
        place = lead.short_name or lead.name
        writer = _Writer(
            pick,
            theme,
            approach=approach,
            place=place,
            partner=(
                partner_orgs[0].name if partner_orgs else pick.zipf(STAFF) + " from another council"
            ),
            others=service_labels,
        )
        first = writer.values()
        title = _cap(str(pick.zipf(TITLE_TEMPLATES)).format(**first))[:255]
        # Short, medium and long records: a long one has more and longer sections.
        scale = rng.choices((1, 2, 4), weights=(60, 28, 12))[0]
        summary = writer.sentence(SUMMARY_TEMPLATES)
        if rng.random() < 0.4:
            summary += " " + writer.sentence(RESULT_TEMPLATES)
        body: dict[str, str] = {}
        for name, templates, chance, stop in SECTIONS:
            filled = rng.random() < min(1.0, chance * (0.6 + 0.25 * scale))
            body[name] = writer.paragraph(templates, stop=stop, scale=scale) if filled else ""

        status = pick.weighted(STATUS_WEIGHTS)
        start_year = rng.randint(EARLIEST_YEAR, LATEST_DATE.year)
        public = status in (
            RecordStatus.PUBLISHED,
            RecordStatus.NEEDS_UPDATE,
            RecordStatus.ARCHIVED,
        )
        published_at = _when(rng, start_year) if public else None
        phase, operational_status = _phase_and_status(rng)
        evidence = rng.choices(("", "1", "2", "3", "4", "5"), weights=(20, 38, 26, 11, 4, 1))[0]
        outcome = rng.choices(
            ("", "worked", "promising", "untested", "did-not-work"), weights=(10, 35, 30, 15, 10)
        )[0]
        # COFOG is the sector of a case outside councils, and some councils give one too.
        sector = theme.cofog if lead.kind != LA or rng.random() < 0.3 else ""
        slug = f"{SLUG_PREFIX}{seed}-{index}-{slugify(title)[:80]}".rstrip("-")
        fields: dict[str, Any] = {
            "slug": slug[:200],
            "title": title,
            "summary": summary,
            "lead_organisation": lead,
            "status": status,
            "archive_reason": "Replaced by a newer service." if status == "archived" else "",
            **body,
            "sector": codes["cofog"].get(sector),
            "phase": codes["govuk-phase"].get(phase),
            "operational_status": codes["operational-status"].get(operational_status),
            "evidence_level": codes["nesta-evidence"].get(evidence),
            "evidence_assessed_by": (
                codes["evidence-assessed-by"].get(
                    rng.choices(("self", "peer", "independent"), weights=(70, 20, 10))[0]
                )
                if evidence
                else None
            ),
            "outcome": codes["outcome-label"].get(outcome),
            "novelty": rng.choice(("", Novelty.ORGANISATION, Novelty.UK_PUBLIC_SECTOR)),
            "geographic_extent": (
                GeographicExtent.LOCAL if lead.kind == LA else GeographicExtent.NATIONAL
            ),
            "country_code": "GB",
            "area_description": place if lead.kind == LA else "",
            "start_year": start_year,
            "end_year": start_year + rng.randint(0, 3) if phase == "retired" else None,
            "team_size_fte": Decimal(rng.randint(5, 80)) / 10 if rng.random() < 0.5 else None,
            "duration_weeks": rng.randint(4, 104) if rng.random() < 0.5 else None,
            "published_at": published_at,
            "last_confirmed_at": published_at,
            "source": CaseSource.KITBAG,
            "source_catalogue": SOURCE_CATALOGUE,
            "provenance": {PROVENANCE_KEY: True, "generator": GENERATOR, "seed": seed},
        }
        services = [
            codes["lgsl-services"][c] for c in theme.services if c in codes["lgsl-services"]
        ]
        functions = [
            codes["lgsl-functions"][c] for c in theme.functions if c in codes["lgsl-functions"]
        ]
        spec = CaseSpec(
            fields=fields,
            services=sorted(
                set(rng.sample(services, k=min(len(services), rng.choice((1, 1, 2, 3))))),
                key=lambda c: c.code,
            ),
            functions=functions[: rng.choice((1, 1, 2))] if functions else [],
            technologies=[
                codes["technology"][c] for c in technology_codes if c in codes["technology"]
            ],
            partners=[
                (org, rng.choice((PartnerRole.PARTNER, PartnerRole.SUPPLIER, PartnerRole.FUNDER)))
                for org in partner_orgs
            ],
        )
        if rng.random() < 0.35:
            spec.products.append((writer.product, dict(PRODUCTS)[writer.product]))
        if rng.random() < 0.4:
            for _ in range(rng.randint(1, 3)):
                spec.costs.append(
                    (
                        rng.choice(COST_ITEMS),
                        Decimal(rng.randint(1, 200) * 1_000),
                        rng.choice((Recurrence.ONE_OFF, Recurrence.PER_YEAR)),
                    )
                )
        if rng.random() < 0.3:
            spec.benefits.append(
                (rng.choice(BENEFIT_ITEMS), Decimal(rng.randint(1, 300) * 1_000), "per-year")
            )
        yield spec
