"""Writing a case on its pages: drafts, validation that keeps what was typed, the workflow buttons
for every role, "Your cases", the similar-cases panel and passing a case on."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kitbag.accounts.models import Membership
from kitbag.accounts.tests.permission_world import ROLES, build_world, client_for, text_of
from kitbag.cases import services
from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.tests.writing import (  # noqa: F401 - lgsl is a fixture
    complete,
    draft_for,
    lgsl,
    management,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lgsl")]

CREATE = reverse("cases:case_create")


def page(response: Any) -> str:
    return text_of(response)


def with_status(case: Case, status: str) -> Case:
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case


# Writing: the first section, which makes the draft


def section_url(case: Case, slug: str) -> str:
    return reverse("cases:case_edit_section", args=[case.slug, slug])


def test_the_first_section_preselects_the_only_organisation_the_writer_may_lead_for() -> None:
    world = build_world()
    response = client_for(world.member).get(CREATE)
    assert response.status_code == 200
    html = page(response)
    assert html.count("<h1") == 1
    assert f'<option value="{world.organisation.pk}" selected>Rightshire Council' in html
    assert "Othershire Council" not in html
    assert 'data-maxwords="60"' in html
    assert 'name="phase"' not in html  # another section's question


def test_someone_with_no_organisation_is_told_how_to_become_a_member() -> None:
    world = build_world()
    response = client_for(world.person("signed_in")).get(CREATE)
    assert response.status_code == 403
    assert "member of an organisation" in page(response)


def test_writing_a_case_needs_signing_in() -> None:
    response = Client().get(CREATE)
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_a_draft_saves_with_only_a_title_and_goes_to_its_task_list() -> None:
    world = build_world()
    data = {"title": "An idea about potholes", "lead_organisation": ""}
    response = client_for(world.member).post(CREATE, {**data, "action": "save"})
    case = Case.objects.get(title="An idea about potholes")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_edit", kwargs={"slug": case.slug})
    assert case.status == RecordStatus.DRAFT
    assert case.owner == world.member
    assert case.record_type == "case-study"  # unanswered: the model's default, not a radio's
    assert case.revisions.count() == 1


def test_a_draft_without_a_title_is_refused_with_an_error_that_leads_to_the_field() -> None:
    world = build_world()
    data = {"title": "", "problem": "Potholes everywhere"}
    html = page(client_for(world.member).post(CREATE, {**data, "action": "save"}))
    assert '<a href="#id_title">Enter a title</a>' in html
    assert "Potholes everywhere" in html
    assert not Case.objects.exists()


def test_each_section_checks_what_can_be_stored_and_keeps_everything_typed() -> None:
    world = build_world()
    case = draft_for(world)
    client = client_for(world.member)
    typed: dict[str, dict[str, Any]] = {
        "what-happened": {
            "what_did_not_work": "Residents disliked the robot voice.",
            "start_year": "twenty",
        },
        "services": {"services": ["524"], "area_codes": "E09000007, nonsense"},
        "costs": {
            "costs-0-description": "Licence",
            "costs-0-amount": "twelve pounds",
            **management(costs=1),
        },
    }
    expected = {
        "what-happened": [("Enter a year as 4 digits, like 2023", "id_start_year")],
        "services": [("NONSENSE is not a GSS code: they look like E09000007", "id_area_codes")],
        "costs": [("Enter an amount in pounds, like 12500 or £12,500.50", "id_costs-0-amount")],
    }
    for slug, data in typed.items():
        response = client.post(section_url(case, slug), {**data, "action": "save"})
        assert response.status_code == 200, slug
        html = page(response)
        for message, target in expected[slug]:
            assert f'<a href="#{target}">{message}</a>' in html, message
            assert f'id="{target}"' in html, target
        for value in data.values():
            if isinstance(value, str) and not value.isdigit():
                assert value in html, value
    case.refresh_from_db()
    assert case.what_did_not_work == "" and case.area_codes == [] and not case.costs.exists()


def test_the_check_page_lists_every_answer_review_needs_each_leading_to_its_section() -> None:
    world = build_world()
    case = services.save_case(
        case=Case(title="Chatbot for council tax", summary=" ".join(["word"] * 61)),
        by=world.member,
    )
    client = client_for(world.member)
    url = reverse("cases:case_check", args=[case.slug])
    html = page(client.get(url))
    for message, slug, anchor in [
        ("Summary must be 60 words or fewer", "about", "id_summary"),
        ("Select the lead organisation", "about", "id_lead_organisation"),
        ("Select the phase", "services", "id_phase"),
        ("Select the operational status", "services", "id_operational_status"),
        (
            "Select at least one service or service area, or a sector for other cases",
            "services",
            "id_services",
        ),
    ]:
        assert f'href="{section_url(case, slug)}#{anchor}">{message}</a>' in html, message
    assert 'value="submit"' not in html  # nothing to press until review has what it needs
    response = client.post(url, {"action": "submit"})
    assert response.status_code == 400
    assert '<a href="#answer-phase">Select the phase</a>' in page(response)
    case.refresh_from_db()
    assert case.status == RecordStatus.DRAFT


@pytest.mark.parametrize(
    ("section", "typed", "message", "target"),
    [
        (
            "about",
            {"title": "Text\x00 reminders"},
            "Title must not contain control characters: remove the U+0000 at character 5",
            "id_title",
        ),
        (
            "about",
            {"title": "Text reminders\nfor bins"},
            "Title must be on one line",
            "id_title",
        ),
        (
            "what-happened",
            {"what_did_not_work": "The robot \x1b[1mvoice"},
            "What did not work must not contain control characters: remove the U+001B at "
            "character 11",
            "id_what_did_not_work",
        ),
        (
            "about",
            {"summary": "word " * 5_000},
            "Summary must be 20,000 characters or fewer (it is 24,999)",
            "id_summary",
        ),
        (
            "costs",
            {"costs-0-description": "Licence\x07", "costs-0-amount": "100"},
            "What the cost was for must not contain control characters: remove the U+0007 at "
            "character 8",
            "id_costs-0-description",
        ),
    ],
    ids=["nul-in-title", "line-break-in-title", "control-character", "too-long", "in-a-part"],
)
def test_text_no_field_can_store_is_refused_naming_the_field_and_keeping_what_was_typed(
    section: str, typed: dict[str, str], message: str, target: str
) -> None:
    world = build_world()
    if section == "about":
        url, data = CREATE, {"title": "Text reminders", "problem": "Potholes everywhere"}
    else:
        url, data = section_url(draft_for(world), section), management(costs=1)
    before = Case.objects.count()
    response = client_for(world.member).post(url, {**data, **typed, "action": "save"})
    assert response.status_code == 200
    html = page(response)
    assert f'<a href="#{target}">{message}</a>' in html
    if section == "about":
        assert "Potholes everywhere" in html
    if "summary" in typed:
        assert typed["summary"].strip() in html  # all of it, not cut at the limit
    assert Case.objects.count() == before
    assert not Case.objects.filter(what_did_not_work__contains="robot").exists()


def test_a_case_of_ten_megabytes_is_refused_before_any_field_is_read() -> None:
    # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) with its own 400 page
    # before the form sees it; below that, the form names the field (the test above).
    world = build_world()
    client = client_for(world.member)
    client.raise_request_exception = False
    data = {"title": "Text reminders", "summary": "x" * 10 * 1024 * 1024}
    response = client.post(CREATE, {**data, "action": "save"})
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_case_written_section_by_section_is_submitted_from_the_check_page() -> None:
    world = build_world()
    client = client_for(world.member)
    about = {
        key: value
        for key, value in complete(world.organisation.pk).items()
        if key in {"title", "summary", "problem", "lead_organisation", "record_type"}
    }
    response = client.post(CREATE, {**about, "action": "save"})
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:case_edit", args=[case.slug])
    steps: dict[str, dict[str, Any]] = {
        "services": {
            "services": ["1139"],
            "functions": ["48"],
            "phase": "live",
            "operational_status": "implemented",
            "technologies": ["digital-service"],
        },
        "costs": {
            **management(costs=1, benefits=0),
            "costs-0-description": "Text message credits",
            "costs-0-amount": "£1,200.50",
            "costs-0-recurrence": "per-year",
        },
        "people": {
            **management(partners=1),
            "partners-0-name": "Othershire Council",
            "partners-0-role": "funder",
        },
    }
    for slug, data in steps.items():
        response = client.post(section_url(case, slug), {**data, "action": "save"})
        assert response.status_code == 302, (slug, page(response))
        assert response["Location"] == reverse("cases:case_edit", args=[case.slug])
    case.refresh_from_db()
    assert case.status == RecordStatus.DRAFT
    cost = case.costs.get()
    assert (cost.description, str(cost.amount), cost.recurrence) == (
        "Text message credits",
        "1200.50",
        "per-year",
    )
    assert case.partners.get().organisation == world.other_organisation
    assert [c.code for c in case.services.all()] == ["1139"]
    assert [c.code for c in case.functions.all()] == ["48"]
    # Each section saved is one revision, with its parts in it.
    revisions = list(case.revisions.order_by("number"))
    assert len(revisions) == 4
    assert revisions[2].snapshot["costs"] == ["Text message credits: £1200.50 per-year"]

    check = page(client.get(reverse("cases:case_check", args=[case.slug])))
    assert "Text message credits: £1200.50 per-year" in check
    assert "Still needed before review" not in check
    assert 'value="submit"' in check and 'value="publish"' not in check
    response = client.post(reverse("cases:case_check", args=[case.slug]), {"action": "submit"})
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.status == RecordStatus.IN_REVIEW
    assert case.revisions.order_by("-number")[0].status == RecordStatus.IN_REVIEW


def test_a_member_may_not_publish_from_the_check_page() -> None:
    world = build_world()
    case = draft_for(world)
    url = reverse("cases:case_check", args=[case.slug])
    response = client_for(world.member).post(url, {"action": "publish"})
    assert response.status_code == 400
    assert "submit it for review instead" in page(response)
    case.refresh_from_db()
    assert case.status == RecordStatus.DRAFT


def test_an_editor_publishes_straight_from_the_check_page() -> None:
    world = build_world()
    case = draft_for(world)
    client = client_for(world.person("editor"))
    url = reverse("cases:case_check", args=[case.slug])
    assert 'value="publish"' in page(client.get(url))
    response = client.post(url, {"action": "publish"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == RecordStatus.PUBLISHED
    assert case.last_confirmed_at is not None


def test_add_another_row_keeps_everything_typed_and_saves_nothing() -> None:
    world = build_world()
    case = draft_for(world)
    data = {
        "costs-0-description": "Licence",
        **management(costs=1),
        "action": "add-costs",
    }
    html = page(client_for(world.member).post(section_url(case, "costs"), data))
    assert 'name="costs-1-description"' in html
    assert 'value="Licence"' in html
    assert 'name="costs-TOTAL_FORMS" value="2"' in html
    assert "There is a problem" not in html
    assert not case.costs.exists()


def test_finding_services_lists_matches_to_tick_beside_those_chosen() -> None:
    world = build_world()
    case = draft_for(world)
    data = {"services": ["59"], "service_query": "bin", "action": "find_services"}
    html = page(client_for(world.member).post(section_url(case, "services"), data))
    assert 'value="59" checked' in html
    assert 'value="524">' in html and 'value="1139">' in html
    assert "There is a problem" not in html
    assert [c.code for c in case.services.all()] == ["524"]


def test_the_services_section_shows_the_saved_codes_as_chosen() -> None:
    world = build_world()
    case = draft_for(world)
    html = page(client_for(world.member).get(section_url(case, "services")))
    assert 'value="beta" checked' in html
    assert 'value="524" checked' in html
    assert 'name="area_codes" type="text" value=""' in html


def test_a_member_of_another_organisation_cannot_edit_or_see_a_draft() -> None:
    world = build_world()
    case = draft_for(world)
    outsider = client_for(world.person("other_admin"))
    for url in (
        reverse("cases:case_edit", args=[case.slug]),
        section_url(case, "about"),
        reverse("cases:case_check", args=[case.slug]),
    ):
        assert outsider.get(url).status_code == 404, url
    published = with_status(draft_for(world, title="Another one"), RecordStatus.PUBLISHED)
    for url in (
        reverse("cases:case_edit", args=[published.slug]),
        section_url(published, "about"),
        reverse("cases:case_check", args=[published.slug]),
    ):
        assert outsider.get(url).status_code == 403, url


def test_changing_the_lead_to_an_organisation_one_does_not_belong_to_is_refused() -> None:
    world = build_world()
    case = draft_for(world)
    data = {"title": case.title, "lead_organisation": str(world.other_organisation.pk)}
    response = client_for(world.member).post(section_url(case, "about"), {**data, "action": "save"})
    assert response.status_code == 200
    assert "Select a valid choice" in page(response)
    case.refresh_from_db()
    assert case.lead_organisation == world.organisation


# The workflow on the page channel: every step, every role.

LEAD_PEOPLE = {"member", "editor", "admin", "moderator", "staff"}
PUBLISHERS = {"editor", "admin", "moderator", "staff"}
STEP_CASES = [
    # (step, status before, status after, roles that may, reason)
    ("submit_for_review", "draft", "in-review", LEAD_PEOPLE, ""),
    ("publish", "in-review", "published", PUBLISHERS, ""),
    ("publish", "needs-update", "published", PUBLISHERS, ""),
    ("return_to_draft", "in-review", "draft", PUBLISHERS, "Needs costs"),
    ("flag_needs_update", "published", "needs-update", LEAD_PEOPLE, ""),
    ("archive", "published", "archived", PUBLISHERS, "Superseded by the county service"),
    ("confirm", "needs-update", "published", LEAD_PEOPLE, ""),
]


@pytest.mark.parametrize(("step", "before", "after", "allowed", "reason"), STEP_CASES)
def test_each_workflow_step_is_open_to_exactly_the_roles_the_table_allows(
    step: str, before: str, after: str, allowed: set[str], reason: str
) -> None:
    world = build_world()
    for role in ROLES:
        case = with_status(draft_for(world, title=f"{step} {role}"), before)
        url = (
            reverse("cases:case_confirm", args=[case.slug])
            if step == "confirm"
            else reverse("cases:case_move", args=[case.slug, step])
        )
        response = client_for(world.person(role)).post(url, {"reason": reason})
        case.refresh_from_db()
        if role in allowed:
            assert response.status_code == 302, (role, page(response))
            assert case.status == after, role
        else:
            # Anonymous people are sent to sign in; others get 404 for what they cannot see
            # and 403 for what they see but may not change.
            assert response.status_code in {302, 403, 404}, role
            if response.status_code == 302:
                assert "/account/login/" in response["Location"], role
            assert case.status == before, role


def test_archiving_asks_for_a_reason_on_its_own_page() -> None:
    world = build_world()
    case = with_status(draft_for(world), RecordStatus.PUBLISHED)
    editor = client_for(world.person("editor"))
    url = reverse("cases:case_move", args=[case.slug, "archive"])
    form = page(editor.get(url))
    assert 'name="reason"' in form and "csrfmiddlewaretoken" in form
    html = page(editor.post(url, {"reason": " "}))
    assert '<a href="#id_reason">Enter a reason</a>' in html
    case.refresh_from_db()
    assert case.status == RecordStatus.PUBLISHED
    editor.post(url, {"reason": "Replaced by a county-wide service"})
    case.refresh_from_db()
    assert case.status == RecordStatus.ARCHIVED
    assert case.archive_reason == "Replaced by a county-wide service"


def test_a_step_posted_without_its_reason_field_asks_for_the_reason_first() -> None:
    world = build_world()
    case = with_status(draft_for(world), RecordStatus.PUBLISHED)
    url = reverse("cases:case_move", args=[case.slug, "archive"])
    html = page(client_for(world.person("editor")).post(url))
    assert "Why is the case being archived?" in html
    assert "There is a problem" not in html
    case.refresh_from_db()
    assert case.status == RecordStatus.PUBLISHED


def test_a_step_not_open_from_the_status_is_explained_not_taken() -> None:
    world = build_world()
    case = draft_for(world)
    url = reverse("cases:case_move", args=[case.slug, "flag_needs_update"])
    response = client_for(world.member).post(url)
    assert response.status_code == 409
    assert "cannot be moved that way" in page(response)


def test_an_unknown_step_is_not_found() -> None:
    world = build_world()
    case = draft_for(world)
    url = reverse("cases:case_move", args=[case.slug, "delete"])
    assert client_for(world.person("staff")).post(url).status_code == 404


def test_the_workflow_buttons_show_only_the_steps_a_person_may_take() -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template
    from django.test import RequestFactory

    world = build_world()
    case = with_status(draft_for(world), RecordStatus.PUBLISHED)
    template = Template("{% load case_workflow %}{% case_workflow case %}")

    def buttons(role: str) -> str:
        request = RequestFactory().get("/")
        request.user = world.person(role) or AnonymousUser()
        return template.render(Context({"case": case, "request": request, "csrf_token": "t"}))

    member, editor, outsider = buttons("member"), buttons("editor"), buttons("other_admin")
    assert "Flag as needing an update" in member and "Archive" not in member
    assert "Confirm it is still up to date" in member
    assert "Archive" in editor and "Edit this case" in editor
    assert outsider.strip() == ""


# Your cases


def test_your_cases_lists_drafts_reviews_owned_cases_and_reviews_awaiting_colleagues() -> None:
    world = build_world()
    draft_for(world, title="My draft")
    with_status(draft_for(world, title="My case in review"), RecordStatus.IN_REVIEW)
    with_status(draft_for(world, title="My published case"), RecordStatus.PUBLISHED)
    editor = world.person("editor")
    assert editor is not None
    colleague_case = services.save_case(
        case=Case(title="The editor's case", lead_organisation=world.organisation), by=editor
    )
    with_status(colleague_case, RecordStatus.IN_REVIEW)

    html = page(client_for(world.member).get(reverse("cases:my_cases")))
    for caption, title in [
        ("Your drafts", "My draft"),
        ("Your cases in review", "My case in review"),
        ("Cases you own", "My published case"),
        ("Awaiting review in your organisations", "The editor&#x27;s case"),
    ]:
        assert caption in html and title in html, caption
    assert "Not yet" in html or "20" in html  # last confirmed column

    other = page(client_for(world.person("other_admin")).get(reverse("cases:my_cases")))
    assert "My draft" not in other and "The editor" not in other


# The similar-cases panel


def test_the_similar_cases_panel_answers_with_a_fragment_for_what_is_typed() -> None:
    world = build_world()
    url = reverse("cases:similar_prompt")
    empty = client_for(world.member).get(url)
    assert empty.status_code == 200
    assert "<html" not in page(empty)
    assert "When you have typed a title" in page(empty)
    asked = client_for(world.member).get(url, {"title": "Bin reminders", "services": "524,1139"})
    assert asked.status_code == 200
    assert "cases like yours" in page(asked) or "No similar cases found yet" in page(asked)


def test_the_similar_cases_panel_is_rate_limited() -> None:
    from django.core.cache import cache

    cache.clear()
    client = Client()
    url = reverse("cases:similar_prompt")
    statuses = [client.get(url, {"title": f"bins {n}"}).status_code for n in range(62)]
    assert statuses[:60] == [200] * 60
    assert statuses[-1] == 429


def test_checking_for_similar_cases_without_javascript_keeps_the_form_as_typed() -> None:
    world = build_world()
    data = {"title": "Bin reminders by text", "problem": "Missed bins"}
    html = page(client_for(world.member).post(CREATE, {**data, "action": "check_similar"}))
    assert "Bin reminders by text" in html and "Missed bins" in html
    assert "No similar cases found yet" in html or "cases like yours" in html
    assert "There is a problem" not in html
    assert not Case.objects.exists()


# Passing a case on


def test_the_owner_passes_a_case_to_a_colleague_who_gets_an_email(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = build_world()
    case = with_status(draft_for(world), RecordStatus.PUBLISHED)
    editor = world.person("editor")
    assert editor is not None
    url = reverse("cases:case_transfer", args=[case.slug])
    client = client_for(world.member)
    form = page(client.get(url))
    assert editor.email in form
    assert world.person("other_admin").email not in form  # type: ignore[union-attr]
    assert world.member.email not in form.split('name="to"')[1]  # not to oneself
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"to": editor.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.owner == editor
    assert [m.to for m in mail.outbox] == [[editor.email]]
    latest = case.revisions.order_by("-number").first()
    assert latest is not None
    assert latest.change_summary == "Ownership passed to a colleague"
    assert editor.email not in str(latest.snapshot)


def test_a_case_cannot_pass_to_someone_outside_the_lead() -> None:
    world = build_world()
    case = draft_for(world)
    outsider = world.person("other_admin")
    assert outsider is not None
    response = client_for(world.member).post(
        reverse("cases:case_transfer", args=[case.slug]), {"to": outsider.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in page(response)
    case.refresh_from_db()
    assert case.owner == world.member


def test_only_the_owner_editors_admins_and_staff_may_pass_a_case_on() -> None:
    world = build_world()
    case = with_status(draft_for(world), RecordStatus.PUBLISHED)
    url = reverse("cases:case_transfer", args=[case.slug])
    allowed = {role for role in ROLES if client_for(world.person(role)).get(url).status_code == 200}
    assert allowed == {"member", "editor", "admin", "staff"}


def test_an_ended_membership_is_not_a_colleague() -> None:
    world = build_world()
    case = draft_for(world)
    admin = world.person("admin")
    Membership.objects.filter(user=admin).update(ended_at="2024-01-01T00:00Z")
    html = page(client_for(world.member).get(reverse("cases:case_transfer", args=[case.slug])))
    assert admin is not None and admin.email not in html
    assert "editor@example.org" in html
