"""What an imported case's own words say plainly: its LGSL services, and for ATRS records their
sector and phase. Pure: no Django, so the tables can be read, tested and measured on their own.

Each table is a list of (code, pattern). A pattern names the thing itself ("pothole", "council
tax", "telecare"), never a word that only hints at it, since a wrong service misleads everyone
who filters by it and an absent one only leaves the case to the text search. The tables were
measured on the real sources (docs/decisions/0036-uk-cases-and-what-officers-type.md: how many
cases gain a service, and a sample read case by case); add a row only with a case that needs it.
"""

from __future__ import annotations

import re
from typing import Final

_I = re.IGNORECASE


def _p(pattern: str, flags: int = _I) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# LGSL service code -> what names it plainly. Checked against the title and summary.
SERVICE_PATTERNS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("557", _p(r"\bpot ?holes?\b|\broad (?:maintenance|repairs?|defects?|surface damage)\b")),
    ("474", _p(r"\bparking permits?\b")),
    ("471", _p(r"\bparking (?:control|enforcement|fines?|tickets?)\b|\bpenalty charge notices?\b")),
    (
        "524",
        _p(
            r"\b(?:household |residential |municipal )?(?:waste|refuse|rubbish|garbage)"
            r" collections?\b|\bbin collections?\b|\bcollection of (?:household )?waste\b"
        ),
    ),
    ("526", _p(r"\bhousehold waste containers?\b|\brubbish bins? for (?:homes|households)\b")),
    ("1130", _p(r"\brecycling collections?\b")),
    ("1423", _p(r"\bfood waste\b")),
    ("587", _p(r"\bfly[- ]?tipping\b|\billegal(?:ly)? (?:dumping|dumped)\b")),
    ("584", _p(r"\bgraffiti\b")),
    ("580", _p(r"\blitter(?:ing)?\b")),
    ("581", _p(r"\blitter bins?\b|\bsmart (?:waste )?bins?\b|\bpublic (?:waste )?bins?\b")),
    ("582", _p(r"\bstreet clean(?:ing|sing)\b")),
    ("564", _p(r"\bstreet ?light(?:s|ing)?\b|\bpublic lighting\b")),
    ("567", _p(r"\btraffic (?:lights?|signals?)\b|\bsignali[sz]ed (?:pedestrian )?crossings?\b")),
    ("784", _p(r"\bspeed cameras?\b|\broad safety cameras?\b")),
    ("1599", _p(r"\bbus (?:routes?|lanes?|services?|network)\b")),
    ("637", _p(r"\bbus stops?\b")),
    ("901", _p(r"\bdemand[- ]responsive (?:transport|bus(?:es)?)\b|\bon[- ]demand bus(?:es)?\b")),
    ("1112", _p(r"\bpark and ride\b")),
    ("1566", _p(r"\b(?:bike|bicycle|cycle)[- ]?(?:shar(?:ing|e)|hire)\b|\bcycl(?:e|ing) lanes?\b")),
    ("902", _p(r"\bjourney planner\b|\broute planner\b")),
    ("58", _p(r"\bcouncil tax (?:questions|enquiries|queries|accounts?|bills?|payments?)\b")),
    ("56", _p(r"\bbusiness rates\b")),
    ("726", _p(r"\b(?:benefits?|welfare|social security) fraud\b")),
    ("923", _p(r"\bchild maintenance\b")),
    ("1534", _p(r"\bemployment and support allowance\b")),
    ("651", _p(r"\bdebt (?:advice|counselling)\b|\bproblem debt\b")),
    ("116", _p(r"\brent arrears\b|\barrears of rent\b")),
    ("141", _p(r"\bhousing repairs?\b|\brepairs? to (?:council|social) (?:homes|housing)\b")),
    ("89", _p(r"\bhousing allocations?\b|\ballocation of (?:social|council) hous")),
    ("112", _p(r"\bhomeless(?:ness)?\b|\brough sleep(?:ing|ers?)\b")),
    ("487", _p(r"\bplanning applications?\b|\bbuilding permits?\b|\bdevelopment management\b")),
    ("499", _p(r"\bbuilding control\b")),
    ("364", _p(r"\belectoral (?:register|registration|roll)\b|\bvoter registration\b")),
    ("999", _p(r"\bpolling stations?\b")),
    ("1306", _p(r"\be-?petitions?\b")),
    ("319", _p(r"\bbirth registration\b|\bregist(?:er|ering|ration of) (?:a |the )?births?\b")),
    ("321", _p(r"\bdeath registration\b|\bregist(?:er|ering|ration of) (?:a |the )?deaths?\b")),
    (
        "1577",
        _p(
            r"\bopen (?:government )?data (?:portals?|platforms?|publication|sets?)\b|\bpublish\w* (?:as )?open data\b"
        ),
    ),
    ("722", _p(r"\bfreedom of information\b")),
    ("169", _p(r"\btranslation and interpret|\b(?:sign language|community) interpret")),
    ("353", _p(r"\bcomplaints? (?:handling|procedure|management)\b")),
    ("1629", _p(r"\bpublic procurement\b|\be-?procurement\b")),
    ("35", _p(r"\bschool attendance\b|\btruancy\b|\bearly school leav(?:ers?|ing)\b")),
    ("9", _p(r"\bspecial educational needs\b")),
    ("4", _p(r"\bfree school meals?\b")),
    ("27", _p(r"\badult (?:education|learning)\b|\blifelong learning\b")),
    ("266", _p(r"\bchild protection\b|\bsafeguarding children\b|\bchild abuse\b")),
    (
        "159",
        _p(
            r"\bfoster (?:care|carers?|famil(?:y|ies)|children)\b|\bfostering (?:services?|placements?)\b"
        ),
    ),
    ("313", _p(r"\btelecare\b|\btechnology[- ]enabled care\b|\b(?:community|personal) alarms?\b")),
    ("292", _p(r"\b(?:care|nursing) homes?\b|\badult residential care\b")),
    ("225", _p(r"\b(?:informal|unpaid|family) carers?\b")),
    ("287", _p(r"\bpersonal budgets?\b|\bdirect payments?\b")),
    ("209", _p(r"\bcare needs assessments?\b|\bneeds assessments? for care\b")),
    ("833", _p(r"\bhospital discharges?\b|\bdischarged? from hospital\b")),
    ("1284", _p(r"\bmental health\b")),
    ("730", _p(r"\bdrug (?:addiction|abuse|misuse|users?)\b")),
    ("727", _p(r"\balcohol (?:abuse|misuse|addiction)\b")),
    ("436", _p(r"\bvaccinations?\b|\bvaccines?\b|\bimmuni[sz]ations?\b")),
    ("1746", _p(r"\bstop(?:ping)? smoking\b|\bsmoking cessation\b")),
    ("412", _p(r"\bnoise (?:pollution|complaints?|nuisance|levels?|monitoring)\b")),
    ("413", _p(r"\bair (?:quality|pollution)\b")),
    ("880", _p(r"\benergy efficien(?:cy|t)\b|\benergy[- ]saving\b")),
    ("1612", _p(r"\bflood(?:ing)? (?:prevention|risk|protection|defences?|warnings?)\b")),
    ("431", _p(r"\bpest control\b")),
    ("406", _p(r"\bfood (?:hygiene|safety) (?:inspections?|ratings?|rating scheme)\b")),
    ("1133", _p(r"\bhate crimes?\b")),
    ("947", _p(r"\bcrime prevention\b|\bpreventing crime\b|\bpredictive policing\b")),
    ("620", _p(r"\bmuseums?\b")),
    ("437", _p(r"\bpublic librar(?:y|ies)\b|\blibrary (?:users|members|services?|loans?)\b")),
    ("343", _p(r"\bjob ?seekers?\b|\bunemployed (?:people|persons|citizens)\b|\bjob matching\b")),
    (
        "1645",
        _p(r"\bstaff recruitment\b|\brecruitment (?:of staff|process(?:es)?)\b|\bjob adverts?\b"),
    ),
    ("13", _p(r"\bprimary school places?\b|\bschool places?\b|\bschool admissions?\b")),
)


# How much of a summary says what a case is about: its first sentences. Further on, long
# descriptions name services in passing ("the unit also runs adult education"), which misled.
LEDE_SENTENCES: Final = 2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def lede(title: str, summary: str) -> str:
    """The title and the summary's first sentences: where a case says what it is about."""
    sentences = _SENTENCE_END.split(summary.strip(), maxsplit=LEDE_SENTENCES)
    return "\n".join([title, *sentences[:LEDE_SENTENCES]])


def services_named(text: str) -> tuple[str, ...]:
    """The LGSL services the text names plainly, in the table's order, each once."""
    return tuple(dict.fromkeys(code for code, pattern in SERVICE_PATTERNS if pattern.search(text)))


def _sector(acronyms: str, words: str) -> re.Pattern[str]:
    # Acronyms as written ("NICE", not "nice"); words in any case.
    return re.compile(rf"\b(?:{acronyms})\b|\b(?i:{words})\b")


# COFOG division -> what names it, for ATRS records (whose source gives no sector): the
# publishing body's name or the record's words. First match wins: the table runs from the most
# specific to the most general.
ATRS_SECTOR_PATTERNS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("02", _sector(r"MOD", r"ministry of defence|armed forces")),  # Defence
    (
        "03",  # Public order and safety
        _sector(
            r"HMPPS|MoJ|CPS",
            r"police|probation|prisons?|prosecution|courts?|ministry of justice|offenders?",
        ),
    ),
    (
        "07",  # Health
        _sector(
            r"NHS|NICE|CQC|UKHSA",
            r"health|heath security|clinical|patients?|prescriptions?|organs?|coronavirus|care quality",
        ),
    ),
    (
        "09",  # Education
        _sector(
            r"DfE|Ofsted",
            r"schools?|teachers?|pupils?|students?|apprentices?(?:hip)?|higher education"
            r"|education providers|office for students|standards and testing agency"
            r"|oak national academy|qualifications?|lessons?",
        ),
    ),
    (
        "10",  # Social protection
        _sector(
            r"DWP|NEET|Cafcass",
            r"universal credit|social care|pensions?|child maintenance|redundan(?:cy|t)"
            r"|benefits? entitlement|safeguarding|children's homes?|money and pensions"
            r"|telecare|technology[- ]enabled care",
        ),
    ),
    (
        "05",  # Environmental protection
        _sector(
            r"DEFRA",
            r"environment agency|natural england|waste|peat|habitats?|woodland|net zero",
        ),
    ),
    (
        "06",  # Housing and community amenities
        _sector(
            r"MHCLG",
            r"housing|homes|buildings?|rent|greater london authority|planning",
        ),
    ),
    (
        "04",  # Economic affairs
        _sector(
            r"DVLA|DVSA|BDUK|DESNZ|DBT|IPO|UKHO",
            r"national highways|network rail|maritime|gigabit|export(?:ers?|s)?"
            r"|business(?:es)?|energy|heat pumps?|trade marks?|met office|tidal|pedestrian"
            r"|gambling|food hygiene|food standards|mortgages?|driving|drivers?|vehicles?",
        ),
    ),
    (
        "01",  # General public services
        _sector(
            r"HMRC|VAT|HMT|ICO|FCDO|ONS|DSIT|GOV\.UK",
            r"tax|cabinet office|civil serv(?:ice|ants?)|statistics|parliament(?:ary)?"
            r"|consultations?|correspondence|fraud|valuation|council|information commissioner"
            r"|consular|government",
        ),
    ),
)


def atrs_sector(*, body: str, text: str) -> str:
    """The COFOG division an ATRS record's body or words name, else ""."""
    for code, pattern in ATRS_SECTOR_PATTERNS:
        if pattern.search(body) or pattern.search(text):
            return code
    return ""


# What an ATRS record says of its own stage -> (operational status, GOV.UK phase). Only words
# that state it: most records describe a tool in use without saying so, and stay blank.
ATRS_STAGE_PATTERNS: Final[tuple[tuple[tuple[str, str], re.Pattern[str]], ...]] = (
    (("planned", "alpha"), _p(r"\bprototypes?\b|\bproof of concept\b")),
    (
        ("pilot", "beta"),
        _p(r"\bpilot(?:s|ed|ing)?\b|(?<!controlled )\btrial(?:led|ling)?\b|\bin beta\b"),
    ),
    (
        ("discontinued", "retired"),
        _p(r"\bno longer (?:in use|used)\b|\bdecommissioned\b|\bretired\b"),
    ),
)


def atrs_stage(text: str) -> tuple[str, str]:
    """(operational status, phase) when the record says which, else ("", "")."""
    for stage, pattern in ATRS_STAGE_PATTERNS:
        if pattern.search(text):
            return stage
    return "", ""
