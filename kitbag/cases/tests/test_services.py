from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kitbag.accounts.tests.permission_world import build_world
from kitbag.cases import services
from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.tests.factories import code
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.search.queries import search

pytestmark = pytest.mark.django_db


def _draft(world, by) -> Case:
    case = Case(
        title="Text reminders cut missed bin collections",
        summary="Residents get a text the night before collection.",
        lead_organisation=world.organisation,
        phase=code("govuk-phase", "beta"),
    )
    return services.save_case(case=case, by=by)


def test_a_new_case_is_a_draft_owned_by_its_writer_and_never_public(builtin_codes: None) -> None:
    world = build_world()
    case = _draft(world, world.member)
    assert case.status == RecordStatus.DRAFT
    assert case.owner == world.member
    assert case.revisions.count() == 1
    assert search(query="bin", doc_type="case").total == 0
    assert search(query="bin", doc_type="case", public_only=False).total == 1


def test_only_members_of_the_lead_may_write_a_case_for_it(builtin_codes: None) -> None:
    world = build_world()
    with pytest.raises(PermissionDenied):
        _draft(world, world.person("other_admin"))


def test_members_submit_and_editors_publish(builtin_codes: None) -> None:
    world = build_world()
    case = _draft(world, world.member)
    with pytest.raises(PermissionDenied):
        services.move_case(case=case, action="publish", by=world.member)
    case = services.move_case(case=case, action="submit_for_review", by=world.member)
    case = services.move_case(case=case, action="publish", by=world.person("editor"))
    assert case.status == RecordStatus.PUBLISHED
    assert case.last_confirmed_at is not None
    assert search(query="bin", doc_type="case").total == 1
    assert [r.status for r in case.revisions.order_by("number")] == [
        "draft",
        "in-review",
        "published",
    ]


def test_a_step_not_open_from_the_current_status_is_refused(builtin_codes: None) -> None:
    world = build_world()
    case = _draft(world, world.member)
    with pytest.raises(ValidationError):
        services.move_case(case=case, action="flag_needs_update", by=world.member)


def test_a_verified_member_elsewhere_records_an_adoption_once(builtin_codes: None) -> None:
    world = build_world()
    case = _draft(world, world.member)
    case = services.move_case(case=case, action="publish", by=world.person("editor"))
    adopter = world.person("other_admin")
    assert adopter is not None
    for status in ("piloting", "live"):
        services.record_adoption(
            case=case,
            adopter=world.other_organisation,
            status=code("adoption-status", status),
            by=adopter,
        )
    assert case.adoptions.get().status.code == "live"


def test_the_lead_is_refused_whoever_asks_and_a_stranger_is_told_for_which_body(
    builtin_codes: None,
) -> None:
    world = build_world()
    case = services.move_case(
        case=_draft(world, world.member), action="publish", by=world.person("editor")
    )
    adopter = world.person("other_admin")
    assert adopter is not None
    live = code("adoption-status", "live")
    # Before who may adopt for it is asked: other_admin is no member of the lead either.
    with pytest.raises(ValidationError) as refused:
        services.record_adoption(case=case, adopter=world.organisation, status=live, by=adopter)
    assert refused.value.message_dict == {
        "adopter": ["The lead organisation cannot adopt its own case."]
    }
    faraway = OrganisationFactory.create(name="Faraway Council")
    with pytest.raises(PermissionDenied, match="not a verified member of Faraway Council"):
        services.record_adoption(case=case, adopter=faraway, status=live, by=adopter)
    assert not case.adoptions.exists()


def test_removing_an_adoption_or_a_relation_leaves_an_audit_record(builtin_codes: None) -> None:
    from kitbag.accounts.models import AuditEvent

    world = build_world()
    case = services.move_case(
        case=_draft(world, world.member), action="publish", by=world.person("editor")
    )
    other = services.move_case(
        case=_draft(world, world.member), action="publish", by=world.person("editor")
    )
    adopter = world.person("other_admin")
    assert adopter is not None
    adoption = services.record_adoption(
        case=case,
        adopter=world.other_organisation,
        status=code("adoption-status", "live"),
        by=adopter,
    )
    relation = services.relate_cases(
        from_case=case, to_case=other, relation=code("spread-relation", "adapted"), by=world.member
    )
    adoption_id = adoption.pk
    services.remove_adoption(adoption=adoption, by=adopter)
    services.remove_relation(relation=relation, by=world.member)

    removed_adoption = AuditEvent.objects.get(kind=AuditEvent.Kind.ADOPTION_REMOVED)
    assert removed_adoption.actor == adopter
    assert removed_adoption.organisation == world.other_organisation
    assert removed_adoption.detail == {
        "case": str(case.uuid),
        "adoption": adoption_id,
        "status": "live",
    }
    removed_relation = AuditEvent.objects.get(kind=AuditEvent.Kind.RELATION_REMOVED)
    assert removed_relation.actor == world.member
    assert removed_relation.detail["relation_kind"] == "adapted"
    assert removed_relation.detail["to_case"] == str(other.uuid)


def test_search_finds_a_published_case_through_the_shared_query(builtin_codes: None) -> None:
    from kitbag.cases.queries import CaseSearch, search_cases

    world = build_world()
    case = _draft(world, world.member)
    services.move_case(case=case, action="publish", by=world.person("editor"))
    found = search_cases(search_for=CaseSearch.from_params({"q": "bins"}), viewer=None)
    assert [hit.case.pk for hit in found.hits] == [case.pk]
    assert dict(found.facet_counts["phase"]) == {"beta": 1}
