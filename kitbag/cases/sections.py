"""The sections a case is written in, for its task list (docs/decisions/0029-case-task-list.md).

Each section is a short form of its own over the one Case model: the fields and itemised parts it
asks for, by name. Every field of the case form is in exactly one section (the tests check it).
The form (forms.py), the pages (views_editing.py) and the task list's statuses (queries.py) all
read this table, so a field moves between sections by moving it here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    slug: str
    title: Promise
    fields: tuple[str, ...]
    parts: tuple[str, ...] = ()
    # Shown under the section's name on the task list.
    hint: Promise | None = None
    # Whether a case can be submitted for review without anything in this section.
    optional: bool = True


SECTIONS: tuple[Section, ...] = (
    Section(
        "about",
        _("About the case"),
        ("title", "summary", "problem", "lead_organisation", "record_type"),
        hint=_("A title, a short summary, the problem and who led it."),
        optional=False,
    ),
    Section(
        "what-happened",
        _("What was done and results"),
        (
            "what_was_done",
            "results",
            "what_did_not_work",
            "conditions_for_success",
            "what_to_adapt",
            "lessons",
            "start_year",
            "end_year",
            "duration_weeks",
        ),
    ),
    Section(
        "services",
        _("Services and codes"),
        (
            "services",
            "functions",
            "sector",
            "phase",
            "operational_status",
            "technologies",
            "novelty",
            "geographic_extent",
            "area_codes",
            "area_description",
        ),
        hint=_("The services it was for, its phase and status, and where it ran."),
        optional=False,
    ),
    Section(
        "people",
        _("People and organisations"),
        ("team_size_fte", "team_mix"),
        parts=("partners", "products", "contacts"),
    ),
    Section("costs", _("Costs and benefits"), (), parts=("costs", "benefits")),
    Section(
        "evidence",
        _("Evidence"),
        (
            "outcome",
            "evidence_level",
            "evidence_assessed_by",
            "evidence_assessor_name",
            "evidence_url",
            "algorithmic_transparency_record_url",
            "licence",
        ),
        parts=("assets",),
    ),
)
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}
FIRST_SECTION = SECTIONS[0]


def section_of(name: str) -> Section:
    """The section that asks for a field or an itemised part."""
    for section in SECTIONS:
        if name in section.fields or name in section.parts:
            return section
    raise KeyError(name)
