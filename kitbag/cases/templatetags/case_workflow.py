"""`{% case_workflow case %}`: the workflow buttons a person may use on a case, for the case page.

Each step is a POST with CSRF to case_move or case_confirm; a step that asks for a reason is a link
to its confirmation page instead. Editing, history and ownership links come with them.
"""

from __future__ import annotations

from typing import Any

from django import template

from kitbag.accounts.permissions import can
from kitbag.cases.models import Case
from kitbag.cases.workflow import open_steps

register = template.Library()


@register.inclusion_tag("cases/partials/_workflow_actions.html", takes_context=True)
def case_workflow(context: dict[str, Any], case: Case) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "case": case,
        "steps": open_steps(case=case, viewer=user),
        "may_edit": can(user, "edit", case),
        "may_transfer": can(user, "transfer_ownership", case),
        "csrf_token": context.get("csrf_token"),
    }
