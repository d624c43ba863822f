"""The small code lists Kitbag defines itself, as data; `kitbag import-vocabularies` loads them.

Labels and descriptions are written here in our own words; the list each follows is named in its
publisher and url. Order matters: it becomes the sort order shown in forms and filters.
"""

from __future__ import annotations

from kitbag.vocabularies.records import WantedCode, WantedCodeList, WantedList

GOVUK_PHASE = WantedCodeList(
    list=WantedList(
        slug="govuk-phase",
        name="GOV.UK service phase",
        publisher="Government Digital Service",
        url="https://www.gov.uk/service-manual/agile-delivery",
    ),
    codes=(
        # Not a GOV.UK phase: public-sector innovation pipelines record ideas before discovery.
        WantedCode("idea", "Idea", "An idea or concept not yet being explored."),
        WantedCode("discovery", "Discovery", "Understanding the problem and the users' needs."),
        WantedCode("alpha", "Alpha", "Trying different solutions to the problem with prototypes."),
        WantedCode("beta", "Beta", "Building the service and running it with real users."),
        WantedCode("live", "Live", "Running as a full service and being improved."),
        WantedCode("retired", "Retired", "No longer running."),
    ),
)

OPERATIONAL_STATUS = WantedCodeList(
    list=WantedList(slug="operational-status", name="Operational status", publisher="Kitbag"),
    codes=(
        WantedCode("planned", "Planned", "Agreed but not started."),
        WantedCode("pilot", "Pilot", "Running at a small scale or for a limited time."),
        WantedCode("implemented", "Implemented", "Running as part of normal business."),
        WantedCode("discontinued", "Discontinued", "Stopped."),
    ),
)

OUTCOME_LABEL = WantedCodeList(
    list=WantedList(
        slug="outcome-label",
        name="Outcome",
        publisher="Kitbag, after the College of Policing Practice Bank",
    ),
    codes=(
        WantedCode("worked", "Worked", "Achieved what it set out to, on the evidence available."),
        WantedCode("promising", "Promising", "Early results are positive but not yet conclusive."),
        WantedCode("untested", "Untested", "New, or not yet evaluated."),
        # A failure is recorded as plainly as a success: others learn most from it.
        WantedCode("did-not-work", "Did not work", "Did not achieve what it set out to."),
    ),
)

NESTA_EVIDENCE = WantedCodeList(
    list=WantedList(
        slug="nesta-evidence",
        name="Nesta Standards of Evidence",
        publisher="Nesta",
        url="https://www.nesta.org.uk/toolkit/standards-of-evidence/",
    ),
    codes=(
        WantedCode(
            "1", "Level 1", "Can say clearly what it does and why it should make a difference."
        ),
        WantedCode("2", "Level 2", "Has data showing change, but cannot yet show it caused it."),
        WantedCode("3", "Level 3", "Has shown it caused the change, against a comparison group."),
        WantedCode(
            "4", "Level 4", "Independent evaluations have repeated and confirmed the impact."
        ),
        WantedCode(
            "5", "Level 5", "Has been run by others, elsewhere and at scale, with impact kept."
        ),
    ),
)

EVIDENCE_ASSESSED_BY = WantedCodeList(
    list=WantedList(slug="evidence-assessed-by", name="Evidence assessed by", publisher="Kitbag"),
    codes=(
        WantedCode("self", "Self-assessed", "Judged by the team that did the work."),
        WantedCode("peer", "Peer", "Judged by people from another public body."),
        WantedCode("independent", "Independent", "Judged by an independent evaluator."),
        WantedCode("what-works-centre", "What Works Centre", "Judged by a What Works Centre."),
    ),
)

SPREAD_RELATION = WantedCodeList(
    list=WantedList(slug="spread-relation", name="Spread relation", publisher="Kitbag"),
    codes=(
        WantedCode("adopted-as-is", "Adopted as is", "Took the innovation on without changing it."),
        WantedCode("adapted", "Adapted", "Took the innovation on and changed it to fit."),
        WantedCode("inspired-by", "Inspired by", "Did something new prompted by the innovation."),
        WantedCode(
            "forked", "Forked", "Copied the innovation's code or designs and went its own way."
        ),
        WantedCode("joint-procurement", "Joint procurement", "Bought it together with others."),
        WantedCode("scaled-nationally", "Scaled nationally", "Taken on across the country."),
        WantedCode("superseded-by", "Superseded by", "Replaced by the other case."),
    ),
)

ADOPTION_STATUS = WantedCodeList(
    list=WantedList(slug="adoption-status", name="Adoption status", publisher="Kitbag"),
    codes=(
        WantedCode("considering", "Considering", "Looking into taking it on."),
        WantedCode("piloting", "Piloting", "Trying it at a small scale."),
        WantedCode("live", "Live", "Running it as part of normal business."),
        WantedCode("stopped", "Stopped", "Tried it and stopped."),
    ),
)

# The ten divisions only: groups (three digits) are finer than cases are described.
COFOG = WantedCodeList(
    list=WantedList(
        slug="cofog",
        name="Classification of the Functions of Government (COFOG)",
        publisher="United Nations Statistics Division",
        url="https://unstats.un.org/unsd/classifications/Econ/cofog",
        version="1999",
    ),
    codes=(
        WantedCode("01", "General public services"),
        WantedCode("02", "Defence"),
        WantedCode("03", "Public order and safety"),
        WantedCode("04", "Economic affairs"),
        WantedCode("05", "Environmental protection"),
        WantedCode("06", "Housing and community amenities"),
        WantedCode("07", "Health"),
        WantedCode("08", "Recreation, culture and religion"),
        WantedCode("09", "Education"),
        WantedCode("10", "Social protection"),
    ),
)

# IPS-X's two technologies plus those UK cases most often name; extensible as data.
TECHNOLOGY = WantedCodeList(
    list=WantedList(slug="technology", name="Technology", publisher="Kitbag, after IPS-X"),
    codes=(
        WantedCode("artificial-intelligence", "Artificial intelligence"),
        WantedCode("machine-learning", "Machine learning"),
        WantedCode("chatbot", "Chatbot or virtual assistant"),
        WantedCode("blockchain", "Blockchain"),
        WantedCode("robotic-process-automation", "Robotic process automation"),
        WantedCode("low-code", "Low-code platform"),
        WantedCode("data-analytics", "Data analytics"),
        WantedCode("internet-of-things", "Internet of things and sensors"),
        WantedCode("open-data", "Open data"),
        WantedCode("digital-service", "Digital service"),
        WantedCode("no-technology", "No particular technology"),
    ),
)

BUILTIN_LISTS: tuple[WantedCodeList, ...] = (
    GOVUK_PHASE,
    OPERATIONAL_STATUS,
    OUTCOME_LABEL,
    NESTA_EVIDENCE,
    EVIDENCE_ASSESSED_BY,
    SPREAD_RELATION,
    ADOPTION_STATUS,
    COFOG,
    TECHNOLOGY,
)
