"""Who may see and change meeting openness: rows added to the one permission table.

=======================  ======================  ==============================================
object                   action                  allowed
=======================  ======================  ==============================================
Organisation             set_openness_policy     editors and admins of the council (its
                                                 verified members who speak for it),
                                                 moderators, staff
PolicyVersion            view                    anyone
LegalRule                view                    anyone
OpennessReport           view                    anyone when accepted; otherwise its reporter,
                                                 members of the council (any role),
                                                 moderators, staff
OpennessReport           view_private            its reporter, moderators, staff (who sent it,
                                                 and the moderators-only notes)
OpennessReport           moderate                moderators, staff
OpennessReport           add_information         its reporter (answering "needs more
                                                 information")
OpennessReport           reply                   editors and admins of the council, staff
(no object)              report_openness         signed in
=======================  ======================  ==============================================

What is public: the law, every policy version (current and past) with its evidence, accepted
reports with their replies and the reasons given for each step. Nothing else about a report
leaves the people listed above on any channel: pages, the API and downloads all read through
`visible_reports(viewer)`, which returns exactly the reports `can(viewer, "view", report)`
allows. The reporter is never named in public, on any report.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kitbag.accounts.models import Membership, MembershipRole
from kitbag.accounts.permissions import (
    Actor,
    Viewer,
    any_of,
    anyone,
    moderators,
    owner,
    register_rules,
    role_of,
    signed_in,
    staff,
    when,
)
from kitbag.meetings.models import LegalRule, OpennessReport, PolicyVersion, ReportState
from kitbag.registry.models import Organisation

MEMBER = MembershipRole.MEMBER
EDITOR = MembershipRole.EDITOR
ADMIN = MembershipRole.ADMIN


def _itself(organisation: Organisation) -> int | None:
    return organisation.pk


def _council(report: OpennessReport) -> int | None:
    return report.council_id


def _reporter(report: OpennessReport) -> int | None:
    return report.reporter_id


def _is_accepted(report: OpennessReport) -> bool:
    return report.state == ReportState.ACCEPTED


OPENNESS_RULES: dict[tuple[type[Any] | None, str], Any] = {
    (Organisation, "set_openness_policy"): any_of(
        role_of(EDITOR, ADMIN, organisation_id=_itself), moderators, staff
    ),
    (PolicyVersion, "view"): anyone,
    (LegalRule, "view"): anyone,
    (OpennessReport, "view"): any_of(
        when(_is_accepted, anyone),
        owner(_reporter),
        role_of(MEMBER, EDITOR, ADMIN, organisation_id=_council),
        moderators,
        staff,
    ),
    (OpennessReport, "view_private"): any_of(owner(_reporter), moderators, staff),
    (OpennessReport, "moderate"): any_of(moderators, staff),
    # Only the person who reported answers "needs more information": it is their account.
    (OpennessReport, "add_information"): owner(_reporter),
    (OpennessReport, "reply"): any_of(role_of(EDITOR, ADMIN, organisation_id=_council), staff),
    (None, "report_openness"): signed_in,
}
register_rules(OPENNESS_RULES)


def visible_reports(viewer: Viewer) -> QuerySet[OpennessReport]:
    """Every report the viewer may see: accepted ones, and others they sent or may act on."""
    actor = Actor.of(viewer)
    reports = OpennessReport.objects.all()
    if actor.is_staff or actor.is_moderator:
        return reports
    accepted = Q(state=ReportState.ACCEPTED)
    if actor.user is None:
        return reports.filter(accepted)
    their_councils = Membership.objects.active().filter(user=actor.user).organisation_ids()
    return reports.filter(accepted | Q(reporter=actor.user) | Q(council_id__in=their_councils))
