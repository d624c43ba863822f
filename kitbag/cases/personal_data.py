"""What the innovation library holds about a person, for their personal data download."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kitbag.accounts.models import User
from kitbag.cases.models import Adoption, Case, CaseRelation, CaseRevision, Contact


def _when(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def collect(user: User) -> dict[str, Any]:
    return {
        "cases_you_own_or_wrote": [
            {
                "title": case.title,
                "slug": case.slug,
                "status": case.status,
                "you_are": "owner" if case.owner_id == user.pk else "author",
                "created_at": _when(case.created_at),
            }
            for case in Case.objects.filter(Q(owner=user) | Q(created_by=user)).order_by("pk")
        ],
        "your_revisions": [
            {"case": rev.case.slug, "number": rev.number, "at": _when(rev.created_at)}
            for rev in CaseRevision.objects.filter(author=user).select_related("case")
        ],
        "adoptions_you_recorded": [
            {
                "case": adoption.case.slug,
                "adopter": adoption.adopter.name,
                "status": adoption.status.code,
                "notes": adoption.notes,
                "updated_at": _when(adoption.updated_at),
            }
            for adoption in Adoption.objects.filter(
                Q(recorded_by=user) | Q(contact=user)
            ).select_related("case", "adopter", "status")
        ],
        "relations_you_recorded": [
            {
                "from_case": relation.from_case.slug,
                "to_case": relation.to_case.slug,
                "relation": relation.relation.code,
                "changes_made": relation.changes_made,
            }
            for relation in CaseRelation.objects.filter(recorded_by=user).select_related(
                "from_case", "to_case", "relation"
            )
        ],
        "you_as_a_case_contact": [
            {
                "case": contact.case.slug,
                "name": contact.name,
                "job_title": contact.job_title,
                "email": contact.email,
                "offers": contact.offers,
                "is_public": contact.is_public,
            }
            for contact in Contact.objects.filter(user=user).select_related("case")
        ],
    }
