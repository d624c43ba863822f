"""The words and codes synthetic cases are made of: themes of public service, and general words.

Data only, most common first wherever order matters: generation.py draws from each list with
Zipf-like weights.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kitbag.cases.models import RecordStatus
from kitbag.registry.models import OrganisationKind

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
