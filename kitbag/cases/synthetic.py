"""Synthetic cases for demonstrations and benchmarks: realistic, reproducible from a seed, fast.

`generate_specs(pools=..., count=..., seed=...)` composes cases from UK public-service vocabulary
(themes such as council tax, waste collection, social care, housing repairs, planning, parking,
libraries and school admissions; approaches and technologies; problems, results, what did not
work). Word choices are drawn with Zipf-like weights, and section lengths have a long tail, so the
text looks like real cases to a search engine: a few very common words, many rare ones, short and
long records. Codes are real codes from the code lists and leads are real organisations from the
registry (`Pools.load()` reads both); the same pools and seed always give the same cases.

`write_cases(specs)` bulk-creates the rows and their search documents, a batch per transaction,
so 100,000 cases take minutes. Synthetic cases get no revisions (nobody wrote them, and history
would only double the rows); every one is marked in its provenance (`PROVENANCE_KEY`), its source
catalogue and its slug prefix, so `remove_synthetic_cases()` can take them all out again.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from kitbag.cases.models import (
    BenefitItem,
    Case,
    CasePartner,
    CaseSource,
    CostItem,
    GeographicExtent,
    Novelty,
    PartnerRole,
    Product,
    RecordStatus,
    Recurrence,
)
from kitbag.cases.search_documents import DOC_TYPE, CaseDocument, document_for
from kitbag.registry.models import Organisation, OrganisationKind
from kitbag.search.backends import backend_for
from kitbag.search.models import SearchDocument, SearchFacet
from kitbag.search.services import bump_generation, clean_facets
from kitbag.search.text import terms_of
from kitbag.vocabularies.models import Code

PROVENANCE_KEY = "synthetic"
SOURCE_CATALOGUE = "Kitbag synthetic cases (generated, not real)"
SLUG_PREFIX = "synthetic-"
GENERATOR = "kitbag.cases.synthetic"

# Dates are drawn up to a fixed day, not today, so a seed gives the same cases on any day.
LATEST_DATE = dt.date(2026, 6, 30)
EARLIEST_YEAR = 2012

# Most cases are published; the rest are spread over the workflow (drafts never reach search).
STATUS_WEIGHTS = (
    (RecordStatus.PUBLISHED, 80),
    (RecordStatus.DRAFT, 9),
    (RecordStatus.NEEDS_UPDATE, 5),
    (RecordStatus.IN_REVIEW, 3),
    (RecordStatus.ARCHIVED, 3),
)


@dataclass(frozen=True)
class Theme:
    """A kind of public service: how cases about it are worded and which codes they carry."""

    subject: str
    phrases: tuple[str, ...]
    functions: tuple[str, ...]  # LGSL function codes
    services: tuple[str, ...]  # LGSL service codes
    terms: tuple[str, ...]  # the theme's own words, most common first
    users: tuple[str, ...]
    cofog: str
    lead_kinds: tuple[str, ...] = (OrganisationKind.LOCAL_AUTHORITY,)


LA = OrganisationKind.LOCAL_AUTHORITY
NHS = OrganisationKind.NHS_TRUST
POLICE = OrganisationKind.POLICE_FORCE
CENTRAL = OrganisationKind.CENTRAL_GOVERNMENT

# fmt: off
# Most common first: theme popularity follows a Zipf-like curve too.
THEMES: tuple[Theme, ...] = (
    Theme(
        "adult social care",
        ("adult social care", "care at home", "reablement", "care assessments"),
        ("59", "61", "60"),
        ("287", "227", "292", "731", "225"),
        (
            "care packages", "home care", "carers", "assessments", "reablement",
            "hospital discharge", "safeguarding", "telecare", "direct payments", "dementia",
            "loneliness", "falls", "care homes", "occupational therapy", "domiciliary care",
            "waiting lists",
        ),
        ("older people", "carers", "adults with learning disabilities", "families"),
        "10",
        (LA, NHS),
    ),
    Theme(
        "council tax",
        ("council tax", "council tax collection", "council tax support", "council tax bills"),
        ("56", "3"),
        ("58", "57", "59", "60", "61"),
        (
            "bills", "arrears", "direct debit", "reminders", "discounts",
            "single person discount", "exemptions", "recovery", "liability orders",
            "enforcement agents", "instalments", "e-billing", "move notifications",
            "collection rates", "reduction scheme",
        ),
        ("residents", "taxpayers", "households", "people in debt"),
        "01",
    ),
    Theme(
        "waste collection",
        ("waste collection", "bin collections", "recycling", "household waste"),
        ("38", "39", "40"),
        ("524", "528", "1130", "533", "1423", "854"),
        (
            "bins", "missed collections", "recycling rates", "rounds", "crews", "food waste",
            "contamination", "garden waste", "bulky waste", "vehicles", "route planning",
            "fly-tipping", "kerbside", "fill levels", "depots",
        ),
        ("residents", "households", "crews", "tenants of flats"),
        "05",
    ),
    Theme(
        "housing repairs",
        ("housing repairs", "council housing", "repairs and maintenance", "damp and mould"),
        ("70", "67"),
        ("141", "139", "140", "156", "142"),
        (
            "repairs", "tenants", "damp", "mould", "voids", "surveyors", "contractors",
            "appointments", "first-time fix", "stock condition", "boilers", "complaints",
            "housing officers", "retrofit", "sensors",
        ),
        ("tenants", "leaseholders", "housing officers", "families"),
        "06",
    ),
    Theme(
        "children's social care",
        ("children's social care", "early help", "fostering", "family support"),
        ("63", "25"),
        ("266", "159", "160", "1282"),
        (
            "families", "social workers", "child protection", "early help", "referrals",
            "foster carers", "looked after children", "care leavers", "caseloads",
            "family group conferences", "edge of care", "placements", "safeguarding partners",
        ),
        ("children", "families", "young people", "care leavers"),
        "10",
    ),
    Theme(
        "planning",
        ("planning applications", "development management", "local plan", "planning"),
        ("101", "103", "100"),
        ("487", "485", "1737", "855", "516"),
        (
            "applications", "validation", "planning officers", "consultations", "decisions",
            "appeals", "site visits", "drawings", "local plan", "design codes", "3D models",
            "section 106", "building control", "enforcement", "heritage",
        ),
        ("applicants", "agents", "residents", "developers"),
        "06",
    ),
    Theme(
        "parking",
        ("parking", "parking permits", "on-street parking", "parking enforcement"),
        ("110", "109"),
        ("474", "473", "471", "279", "1425"),
        (
            "permits", "penalty charge notices", "bays", "civil enforcement officers",
            "visitor permits", "cashless payments", "kerbside", "electric vehicle charging",
            "sensors", "appeals", "blue badges", "occupancy",
        ),
        ("drivers", "residents", "visitors", "businesses"),
        "04",
    ),
    Theme(
        "homelessness",
        ("homelessness", "homelessness prevention", "temporary accommodation", "rough sleeping"),
        ("68", "69"),
        ("112", "103"),
        (
            "temporary accommodation", "rough sleeping", "prevention duty", "bed and breakfast",
            "landlords", "evictions", "outreach", "housing first", "caseworkers", "move-on",
            "private rented sector", "hostels",
        ),
        ("people sleeping rough", "families", "young people", "survivors of domestic abuse"),
        "06",
    ),
    Theme(
        "libraries",
        ("libraries", "library services", "mobile libraries", "library membership"),
        ("76", "24"),
        ("438", "1141", "441", "442", "1063", "444"),
        (
            "library members", "loans", "e-books", "opening hours", "volunteers",
            "digital inclusion", "study space", "reading", "staffless opening", "community hubs",
            "reservations", "events", "makerspace",
        ),
        ("library members", "children", "older people", "jobseekers"),
        "08",
    ),
    Theme(
        "school admissions",
        ("school admissions", "school places", "school transport", "free school meals"),
        ("28", "26"),
        ("13", "14", "705", "891", "4"),
        (
            "applications", "parents", "catchment", "offers", "appeals", "school places",
            "in-year admissions", "transport", "eligibility", "free school meals", "deadlines",
        ),
        ("parents", "pupils", "schools", "families"),
        "09",
    ),
    Theme(
        "highways",
        ("highways", "road maintenance", "potholes", "street lighting"),
        ("109", "112"),
        ("557", "561", "564"),
        (
            "potholes", "defects", "inspections", "gritting", "street lights", "road surfaces",
            "contractors", "claims", "asset management", "drainage", "cameras",
        ),
        ("drivers", "cyclists", "residents", "pedestrians"),
        "04",
    ),
    Theme(
        "special educational needs",
        ("special educational needs", "SEND", "education, health and care plans"),
        ("29", "26"),
        ("9", "8", "10", "40"),
        (
            "EHCP", "assessments", "annual reviews", "caseworkers", "parents", "tribunals",
            "specialist places", "transport", "timescales", "outreach",
        ),
        ("children with SEND", "parents", "schools", "young people"),
        "09",
    ),
    Theme(
        "benefits",
        ("housing benefit", "benefits", "welfare support", "cost of living support"),
        ("3", "2"),
        ("69", "70", "190", "726"),
        (
            "claims", "processing times", "evidence", "overpayments", "universal credit",
            "take-up", "discretionary housing payments", "appeals", "advice",
        ),
        ("claimants", "households", "people in debt", "pensioners"),
        "10",
        (LA, CENTRAL),
    ),
    Theme(
        "environmental health",
        ("environmental health", "food safety", "noise complaints", "air quality"),
        ("34", "37"),
        ("406", "407", "412", "413", "431"),
        (
            "inspections", "food businesses", "hygiene ratings", "noise", "air quality",
            "monitoring", "complaints", "pest control", "enforcement", "officers",
        ),
        ("businesses", "residents", "food businesses", "landlords"),
        "05",
    ),
    Theme(
        "public health",
        ("public health", "stop smoking services", "health checks", "healthy weight"),
        ("65", "64"),
        ("1746", "1745", "661"),
        (
            "smoking", "health checks", "inequalities", "obesity", "vaccination", "outreach",
            "GP practices", "pharmacies", "community champions", "screening",
        ),
        ("patients", "residents", "young people", "older people"),
        "07",
        (LA, NHS),
    ),
    Theme(
        "hospital discharge",
        ("hospital discharge", "outpatient appointments", "waiting lists", "virtual wards"),
        ("64", "59"),
        (),
        (
            "patients", "beds", "discharge", "waiting lists", "clinicians", "referrals",
            "outpatients", "virtual wards", "remote monitoring", "no-shows", "triage",
        ),
        ("patients", "clinicians", "carers", "families"),
        "07",
        (NHS,),
    ),
    Theme(
        "community safety",
        ("community safety", "anti-social behaviour", "domestic abuse", "crime reporting"),
        ("16", "21", "17"),
        ("1484", "1485", "498"),
        (
            "anti-social behaviour", "reports", "victims", "CCTV", "patrols", "hotspots",
            "domestic abuse", "neighbourhood policing", "case reviews", "repeat callers",
        ),
        ("victims", "residents", "officers", "young people"),
        "03",
        (LA, POLICE),
    ),
    Theme(
        "licensing",
        ("licensing", "taxi licensing", "premises licences", "street trading"),
        ("83", "91", "86"),
        ("635", "632"),
        (
            "licences", "applications", "renewals", "drivers", "premises", "inspections", "fees",
            "checks", "conditions",
        ),
        ("drivers", "businesses", "applicants", "residents"),
        "04",
    ),
    Theme(
        "registration",
        ("registration", "births, deaths and marriages", "electoral registration"),
        ("54", "50"),
        ("319", "321", "364", "1716"),
        (
            "appointments", "registrars", "certificates", "ceremonies", "canvass", "electors",
            "polling stations", "postal votes", "identity checks",
        ),
        ("residents", "families", "electors", "couples"),
        "01",
    ),
    Theme(
        "customer contact",
        ("customer contact", "contact centre", "customer services", "complaints handling"),
        ("47", "52", "46"),
        ("353", "653"),
        (
            "calls", "emails", "webchat", "waiting times", "first contact resolution",
            "complaints", "channel shift", "agents", "knowledge base", "callbacks",
        ),
        ("residents", "callers", "customers", "businesses"),
        "01",
        (LA, CENTRAL, NHS),
    ),
    Theme(
        "flooding",
        ("flood risk", "flooding", "drainage", "gully cleaning"),
        ("18", "109"),
        ("1612", "793"),
        (
            "gullies", "flood warnings", "river levels", "drainage", "sensors", "sandbags",
            "resilience", "incidents", "culverts",
        ),
        ("residents", "businesses", "farmers", "emergency planners"),
        "05",
    ),
    Theme(
        "business rates",
        ("business rates", "business support", "trading standards", "town centres"),
        ("9", "7", "15", "104"),
        ("56", "54", "401", "403"),
        (
            "businesses", "relief", "bills", "valuations", "grants", "high street", "footfall",
            "market stalls", "scams", "advice",
        ),
        ("businesses", "traders", "start-ups", "landlords"),
        "04",
    ),
    Theme(
        "leisure",
        ("leisure centres", "sport and physical activity", "parks", "swimming"),
        ("80", "75", "36"),
        ("1674", "456"),
        (
            "members", "swimming pools", "classes", "parks", "playgrounds", "bookings",
            "physical activity", "energy costs", "volunteers",
        ),
        ("residents", "children", "older people", "clubs"),
        "08",
    ),
    Theme(
        "public transport",
        ("public transport", "bus services", "community transport", "active travel"),
        ("111", "106", "107"),
        ("1599", "637", "273"),
        (
            "buses", "routes", "passengers", "demand-responsive transport", "bus passes",
            "cycle lanes", "journeys", "timetables", "real-time information",
        ),
        ("passengers", "older people", "cyclists", "commuters"),
        "04",
    ),
    Theme(
        "bereavement services",
        ("bereavement services", "cemeteries", "crematoria", "funerals"),
        ("35",),
        ("330", "331"),
        ("burials", "cremations", "families", "bookings", "memorials", "funeral directors"),
        ("bereaved families", "funeral directors", "residents"),
        "08",
    ),
)

APPROACHES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("an online self-service portal", ("digital-service",)),
    ("a chatbot", ("chatbot", "artificial-intelligence")),
    ("a data dashboard", ("data-analytics",)),
    ("a digital form", ("digital-service", "low-code")),
    ("text message reminders", ("digital-service",)),
    ("a predictive model", ("machine-learning", "data-analytics")),
    ("robotic process automation", ("robotic-process-automation",)),
    ("a co-designed service", ("no-technology",)),
    ("a multidisciplinary team", ("no-technology",)),
    ("smart sensors", ("internet-of-things",)),
    ("a low-code case management system", ("low-code",)),
    ("a mobile app", ("digital-service",)),
    ("route optimisation", ("data-analytics",)),
    ("a community hub", ("no-technology",)),
    ("machine learning triage", ("machine-learning", "artificial-intelligence")),
    ("automated document processing", ("artificial-intelligence", "robotic-process-automation")),
    ("an open data platform", ("open-data",)),
    ("a generative AI assistant", ("artificial-intelligence",)),
    ("video appointments", ("digital-service",)),
    ("behavioural insights letters", ("no-technology",)),
    ("a shared service", ("no-technology",)),
    ("telecare", ("internet-of-things",)),
    ("a virtual assistant", ("chatbot",)),
    ("a blockchain ledger", ("blockchain",)),
)

PRODUCTS: tuple[tuple[str, bool], ...] = (
    ("Microsoft Power Apps", False),
    ("GOV.UK Notify", True),
    ("Salesforce", False),
    ("Power BI", False),
    ("GOV.UK Pay", True),
    ("Granicus", False),
    ("Jadu", False),
    ("Netcall Liberty Create", False),
    ("UiPath", False),
    ("Amazon Connect", False),
    ("Tableau", False),
    ("Idox Uniform", False),
    ("Liquidlogic", False),
    ("Mosaic", False),
    ("Blue Prism", False),
    ("ServiceNow", False),
    ("QGIS", True),
    ("Esri ArcGIS", False),
    ("Whitespace", False),
    ("Bartec", False),
    ("Twilio", False),
    ("Drupal", True),
    ("Open Referral UK", True),
    ("Python", True),
    ("PostgreSQL", True),
)

# General words of case write-ups, most common first.
NOUNS = (
    "service", "residents", "staff", "data", "team", "process", "demand", "system", "time",
    "information", "customers", "officers", "support", "workload", "backlog", "budget", "users",
    "visits", "requests", "capacity", "feedback", "quality", "access", "records", "partners",
    "contracts", "suppliers", "evidence", "governance", "training", "culture", "leadership",
    "volunteers", "community", "prototype", "workflow", "handoffs", "duplication", "paperwork",
    "spreadsheets", "postcodes", "wards", "neighbourhoods", "accessibility", "inclusion", "trust",
    "consent", "privacy", "security", "interoperability", "procurement", "licensing", "telephony",
    "integration", "middleware", "APIs", "standards", "ethics", "bias", "audit", "resilience",
    "sustainability", "carbon", "retrofit", "outcomes", "benchmarks", "morale",
)
VERBS_DONE = (
    "built", "tested", "launched", "piloted", "redesigned", "introduced", "automated", "replaced",
    "mapped", "co-designed", "procured", "trialled", "simplified", "rolled out", "prototyped",
    "integrated", "retired", "commissioned", "reorganised", "scaled",
)
ADJECTIVES = (
    "new", "digital", "simple", "existing", "manual", "online", "local", "shared", "slow",
    "complex", "paper-based", "fragmented", "accessible", "proactive", "reactive", "costly",
    "duplicated", "outdated", "bespoke", "standardised", "preventative", "joined-up",
)
PERIODS = (
    "the first six months", "the first year", "twelve weeks", "the pilot", "two years",
    "three months", "the winter", "the first quarter", "eighteen months",
)
RARE_WORDS = (
    "hoarding", "bariatric", "wayleave", "geospatial", "LiDAR", "hydrotherapy", "sharps",
    "asbestos", "knotweed", "subsidence", "dropped kerbs", "gully", "lamp columns", "verges",
    "allotments", "coroners", "pensions", "payroll", "tenancy fraud", "cladding",
    "Welsh language", "Gaelic", "British Sign Language", "interpreters", "Braille", "easy read",
    "QR codes", "kiosks", "smart meters", "heat pumps", "solar panels", "drones", "e-scooters",
    "cargo bikes", "microchips", "beacons", "digital twin", "hackathon", "sprint", "kanban",
)

SUMMARY_TEMPLATES = (
    "{Place} used {approach} to {goal} in {subject}.",
    "{Approach_cap} helps {users} with {term}, so {staff} spend less time on {noun}.",
    "We {verb} {approach} for {subject} after {term} and {term2} grew faster than {capacity}.",
    "A {adj} way of handling {term} in {subject}, {verb} with {users}.",
    "{Subject_cap}: {approach} cut {term} by {pct}% in {period}.",
)
PROBLEM_TEMPLATES = (
    "{Users_cap} told us that {term} was {adj} and hard to follow.",
    "Demand for {subject} rose by {pct}% in {years} years while the budget fell.",
    "{Staff_cap} spent about {hours} hours a week re-keying {noun} between systems.",
    "The {adj} process meant {users} waited {days} days on average for {term}.",
    "Around {pct}% of contacts about {term} were avoidable, chasing progress or asking again.",
    "We had no reliable data on {term}, so {staff} could not plan {noun}.",
    "{Term_cap} and {term2} were handled by {teams} different teams with {adj} {noun}.",
    "Complaints about {term} were the largest single category in {subject}.",
    "The {noun} behind {subject} was {adj}, and {noun2} depended on a few people.",
    "{Users_cap} in {rare} situations were falling through the gaps.",
    "Requests about {other} came through the same {noun} and queued behind {term}.",
)
DONE_TEMPLATES = (
    "We {verb} {approach} with {users} and {staff}, starting with {term}.",
    "A small team {verb} a prototype in {weeks} weeks and tested it with {testers} {users}.",
    "We mapped the {noun} end to end and removed {steps} steps that added no value.",
    "{Product} was used to {goal}, with {noun} handled by the existing team.",
    "We worked with {partner} to {goal} across {subject}.",
    "{Staff_cap} were trained to use {approach} alongside {adj} {noun}.",
    "We {verb} the {noun} for {term} and published the {noun2} for others to reuse.",
    "The pilot ran in {wards} wards before being {verb} across the area.",
    "Data on {term} and {term2} was joined so that {staff} could see {noun} in one place.",
    "We {verb} {rare} handling as part of the same work.",
    "The same approach was later used for {other}.",
)
RESULT_TEMPLATES = (
    "{Term_cap} fell by {pct}% in {period}.",
    "Processing time for {term} dropped from {days} days to {days2}.",
    "The service saves about £{money} a year, mostly in {staff} time.",
    "{Users_cap} rated the new service {score} out of 10, up from {score2}.",
    "{pct}% of {term} are now handled online, against {pct2}% before.",
    "Avoidable contact about {term} halved during {period}.",
    "{Staff_cap} report less {noun} and more time for {term}.",
    "Take-up was slower than expected at first, then grew to {num} {users} a month.",
    "An evaluation found {adj} improvements in {term} but no change in {term2}.",
    "Teams working on {other} asked to use it too.",
)
DID_NOT_WORK_TEMPLATES = (
    "The first version of {approach} did not handle {term} well and was withdrawn.",
    "{Users_cap} without internet access still needed to phone, so {noun} did not fall as hoped.",
    "Integration with the {adj} {noun} took {months} months longer than planned.",
    "We underestimated the training {staff} needed.",
    "Automating {term} before simplifying the process made things worse at first.",
    "Procurement rules slowed down changes to {product}.",
    "Data quality on {term} was poorer than expected.",
)
CONDITIONS_TEMPLATES = (
    "A senior sponsor who protected the team's time for {period}.",
    "Clean data on {term} and a named owner for it.",
    "{Staff_cap} involved from the start, not after launch.",
    "A budget for {noun} after the pilot ended.",
    "Early agreement with {partner} on sharing {noun}.",
)
ADAPT_TEMPLATES = (
    "Councils with a {adj} {noun} should start with {term} rather than {term2}.",
    "The {noun} can be reused as it is; the wording for {users} needs local changes.",
    "Smaller teams could buy {product} instead of building {approach}.",
    "Rural areas will need a different approach to {term}.", "It could work for {other} as well.",
)
LESSON_TEMPLATES = (
    "Start small with one part of {subject} and measure {term} from day one.",
    "Test with {users} every week, including those who find {noun} hard.",
    "Do not automate a {adj} process: fix it first.",
    "Publish what you learn, including what went wrong with {term}.",
    "Plan for {noun} and support after go-live, not just the build.",
)

# Which body section uses which templates, how often it is filled in, and its usual length.
SECTIONS: tuple[tuple[str, tuple[str, ...], float, float], ...] = (
    ("problem", PROBLEM_TEMPLATES, 0.92, 0.45),
    ("what_was_done", DONE_TEMPLATES, 0.88, 0.4),
    ("results", RESULT_TEMPLATES, 0.72, 0.5),
    ("what_did_not_work", DID_NOT_WORK_TEMPLATES, 0.42, 0.65),
    ("conditions_for_success", CONDITIONS_TEMPLATES, 0.35, 0.6),
    ("what_to_adapt", ADAPT_TEMPLATES, 0.3, 0.7),
    ("lessons", LESSON_TEMPLATES, 0.45, 0.6),
)

TITLE_TEMPLATES = (
    "{Approach_cap} for {phrase}", "{Phrase_cap}: {approach_bare}", "Using {approach} to {goal}",
    "Rethinking {term} in {phrase}", "{Approach_bare_cap} in {Place}", "{Phrase_cap} redesign",
    "Improving {phrase} with {approach}", "{Approach_bare_cap} pilot for {term}",
)
GOALS = (
    "cut waiting times", "reduce avoidable contact", "speed up {term}", "prevent {term}",
    "help {users} find {term}", "target {term} better", "free up {staff} time", "improve {term}",
    "join up {term} and {term2}", "predict {term}",
)
STAFF = (
    "staff", "officers", "caseworkers", "frontline workers", "the contact centre", "managers",
    "social workers", "analysts", "inspectors", "volunteers",
)
COST_ITEMS = (
    "Software licences", "Supplier development", "Staff time", "Hardware", "Training",
    "Evaluation", "Project management", "User research",
)
BENEFIT_ITEMS = (
    "Staff time saved", "Avoided calls", "Reduced postage and printing", "Fewer missed visits",
    "Avoided temporary accommodation", "Higher collection rate",
)
# fmt: on


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


def synthetic_cases() -> Any:
    """Every generated case, whatever its seed."""
    return Case.objects.filter(
        Q(provenance__has_key=PROVENANCE_KEY) | Q(slug__startswith=SLUG_PREFIX)
    )


def real_written_cases() -> Any:
    """Cases people wrote on Kitbag (not imported, not generated): what must never be mixed."""
    return Case.objects.filter(source=CaseSource.KITBAG).exclude(provenance__has_key=PROVENANCE_KEY)


def _cases_for_indexing(pks: Iterable[int]) -> Any:
    # The same related rows reindex_case loads, so document_for sees exactly what it sees there.
    return (
        Case.objects.filter(pk__in=list(pks))
        .select_related(
            "lead_organisation",
            "sector",
            "phase",
            "operational_status",
            "evidence_level",
            "outcome",
        )
        .prefetch_related(
            "services", "functions__parent", "technologies", "partners__organisation", "products"
        )
        .order_by("pk")
    )


def index_new_documents(*, doc_type: str, documents: Sequence[tuple[str, CaseDocument]]) -> None:
    """Index objects that have no search document yet, in three statements plus the text index.

    The rows are what `search.services.index_document` writes; the text index is written by the
    backend's own `write`, one document at a time, so its SQL stays in one place (the search app).
    """
    rows = [
        SearchDocument(
            doc_type=doc_type,
            object_id=str(object_id),
            title=document.title,
            body=document.body,
            extra=document.extra,
            facets=clean_facets(document.facets),
            sort_date=document.sort_date,
            is_public=document.is_public,
            terms=terms_of(
                {"title": document.title, "extra": document.extra, "body": document.body}
            ),
        )
        for object_id, document in documents
    ]
    SearchDocument.objects.bulk_create(rows)
    SearchFacet.objects.bulk_create(
        SearchFacet(document=row, name=name, value=value)
        for row in rows
        for name, values in row.facets.items()
        for value in values
    )
    backend = backend_for()
    for row in rows:
        backend.write(row)
    # As index_document does: counts cached from before these documents are forgotten.
    bump_generation()


def index_cases_in_bulk(*, pks: Iterable[int]) -> int:
    """Write the search documents of cases that have none yet; returns how many."""
    documents = [(str(case.pk), document_for(case)) for case in _cases_for_indexing(pks)]
    index_new_documents(doc_type=DOC_TYPE, documents=documents)
    return len(documents)


@transaction.atomic
def _write_batch(specs: list[CaseSpec]) -> list[int]:
    cases = Case.objects.bulk_create(Case(**spec.fields) for spec in specs)
    pks = [case.pk for case in cases]
    through_rows: list[tuple[Any, list[Any]]] = [
        (Case.services.through, []),
        (Case.functions.through, []),
        (Case.technologies.through, []),
    ]
    partners: list[CasePartner] = []
    products: list[Product] = []
    costs: list[CostItem] = []
    benefits: list[BenefitItem] = []
    for case, spec in zip(cases, specs, strict=True):
        for (model, rows), chosen in zip(
            through_rows, (spec.services, spec.functions, spec.technologies), strict=True
        ):
            rows.extend(model(case_id=case.pk, code_id=code.pk) for code in chosen)
        partners.extend(
            CasePartner(case=case, organisation=org, role=role) for org, role in spec.partners
        )
        products.extend(
            Product(case=case, name=name, is_open_source=open_source)
            for name, open_source in spec.products
        )
        costs.extend(
            CostItem(case=case, description=d, amount=a, recurrence=r, price_year=2024)
            for d, a, r in spec.costs
        )
        benefits.extend(
            BenefitItem(case=case, description=d, amount=a, recurrence=r, cashable=True)
            for d, a, r in spec.benefits
        )
    for model, rows in through_rows:
        model.objects.bulk_create(rows)
    CasePartner.objects.bulk_create(partners)
    Product.objects.bulk_create(products)
    CostItem.objects.bulk_create(costs)
    BenefitItem.objects.bulk_create(benefits)
    index_cases_in_bulk(pks=pks)
    return pks


def write_cases(
    specs: Iterable[CaseSpec],
    *,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create the cases, their parts and their search documents; one transaction per batch."""
    written = 0
    iterator = iter(specs)
    while batch := list(itertools.islice(iterator, batch_size)):
        written += len(_write_batch(batch))
        if progress is not None:
            progress(written)
    return written


def remove_synthetic_cases(*, batch_size: int = 5000) -> int:
    """Delete every generated case and its search document; returns how many cases went."""
    removed = 0
    while pks := list(synthetic_cases().order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            # Deleting the rows removes the text index too (a trigger on SQLite, the row's own
            # column on PostgreSQL).
            SearchDocument.objects.filter(
                doc_type=DOC_TYPE, object_id__in=[str(pk) for pk in pks]
            ).delete()
            Case.objects.filter(pk__in=pks).delete()
            bump_generation()
        removed += len(pks)
    return removed
