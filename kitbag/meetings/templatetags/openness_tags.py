"""Template filters of meeting openness: the GOV.UK tag colour of a policy status."""

from __future__ import annotations

from django import template

register = template.Library()

_TAG_CLASSES = {
    "allowed": "govuk-tag--green",
    "allowed-with-conditions": "govuk-tag--turquoise",
    "permission-required": "govuk-tag--orange",
    "prohibited": "govuk-tag--red",
    "unknown": "govuk-tag--grey",
    "submitted": "govuk-tag--blue",
    "triaged": "govuk-tag--light-blue",
    "needs-info": "govuk-tag--yellow",
    "accepted": "govuk-tag--green",
    "rejected": "govuk-tag--red",
    "duplicate": "govuk-tag--grey",
}


@register.filter
def status_tag(value: object) -> str:
    """The modifier class for a status or report state: `govuk-tag {{ status|status_tag }}`."""
    return _TAG_CLASSES.get(str(value), "govuk-tag--grey")
