"""Which workflow steps a person may take on a case now, with the words the pages use for them.

A read over services.TRANSITIONS and the permission table, shared by the case form, the case page
(templatetags/case_workflow.py) and the step's confirmation page, so a button is shown exactly when
the step would be allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kitbag.accounts.permissions import Viewer, can
from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.services import TRANSITIONS


@dataclass(frozen=True)
class Step:
    action: str  # a key of TRANSITIONS, or "confirm"
    label: Promise
    # Steps that ask for a reason go through a page of their own (case_move's GET).
    reason_label: Promise | None = None
    reason_required: bool = False
    reason_hint: Promise | None = None
    warning: bool = False
    done_message: Promise = _("The case has been updated.")

    @property
    def needs_page(self) -> bool:
        return self.reason_label is not None


STEPS: dict[str, Step] = {
    "submit_for_review": Step(
        "submit_for_review",
        _("Submit for review"),
        done_message=_("The case has been submitted for review."),
    ),
    "publish": Step("publish", _("Publish"), done_message=_("The case has been published.")),
    "return_to_draft": Step(
        "return_to_draft",
        _("Return to draft"),
        reason_label=_("What should change before it is published? (optional)"),
        reason_hint=_("The owner of the case gets this in an email."),
        done_message=_("The case has been returned to draft."),
    ),
    "flag_needs_update": Step(
        "flag_needs_update",
        _("Flag as needing an update"),
        reason_label=_("What needs updating? (optional)"),
        reason_hint=_("The case stays public, marked as needing an update."),
        done_message=_("The case has been flagged as needing an update."),
    ),
    "archive": Step(
        "archive",
        _("Archive"),
        reason_label=_("Why is the case being archived?"),
        reason_required=True,
        reason_hint=_("Shown on the case page, so readers know why it is no longer current."),
        warning=True,
        done_message=_("The case has been archived."),
    ),
    "confirm": Step(
        "confirm",
        _("Confirm it is still up to date"),
        done_message=_("Thank you: the case is confirmed as up to date."),
    ),
}


def step_is_open(*, case: Case, action: str, viewer: Viewer) -> bool:
    if action == "confirm":
        live = (RecordStatus.PUBLISHED, RecordStatus.NEEDS_UPDATE)
        return case.status in live and can(viewer, "confirm", case)
    if action not in TRANSITIONS:
        return False
    from_statuses, _to, permission = TRANSITIONS[action]
    return case.status in from_statuses and can(viewer, permission, case)


def open_steps(*, case: Case, viewer: Viewer) -> list[Step]:
    """The steps the viewer may take on the case in its current status, in a sensible order."""
    return [
        step
        for step in STEPS.values()
        if step_is_open(case=case, action=step.action, viewer=viewer)
    ]
