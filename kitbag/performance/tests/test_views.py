"""The public pages: the indicator list, an indicator compared within a group with a council
chosen, its charts and tables, a fixed number of queries, and the organisation page's section."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kitbag.core.models import ImportRun
from kitbag.performance import services
from kitbag.performance.importers import IMPORTERS
from kitbag.performance.models import Indicator, Observation
from kitbag.performance.tests.factories import council, fixture_councils
from kitbag.performance.tests.test_importers import FIXTURES
from kitbag.registry.models import Organisation, ParentLink, ParentRelation, Succession
from kitbag.registry.queries import COUNCIL_HEXJSON

pytestmark = pytest.mark.django_db


@pytest.fixture
def hex_layout(tmp_path: Path, settings: Any) -> Path:
    """A small council hex map: the fixtures' councils, a county's district and one area with
    no council."""
    settings.KITBAG_DATA_DIR = str(tmp_path)
    path = tmp_path / COUNCIL_HEXJSON
    path.parent.mkdir(parents=True)
    hexes = {
        "E06000001": {"n": "Alphaton", "q": 0, "r": 0},
        "E06000002": {"n": "Betaby", "q": 1, "r": 0},
        "E06000003": {"n": "Epsilon", "q": 2, "r": 0},
        "E07000901": {"n": "Gammadale", "q": 0, "r": 1},
        "E06000999": {"n": "Nowhere", "q": 1, "r": 1},
    }
    path.write_text(json.dumps({"layout": "odd-r", "hexes": hexes}))
    return path


@pytest.fixture
def imported() -> None:
    fixture_councils()
    for importer in IMPORTERS:
        importer(data_dir=FIXTURES).run()


def detail(slug: str, **query: str) -> str:
    url = reverse("performance:indicator_detail", kwargs={"slug": slug})
    response = Client().get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_names_every_indicator_and_says_evaluation_only(imported: None) -> None:
    page = Client().get(reverse("performance:indicator_list")).content.decode()
    assert "Evaluation only" in page
    assert "ASC Carer Quality of Life" in page and "Cost per library visit" in page


def test_choosing_a_council_shows_its_band_in_words_a_chart_and_a_table(imported: None) -> None:
    page = detail("oflog-asc1", organisation="betaby")
    assert "Betaby: 7.9" in page
    assert "Slightly better than the England median (7.6)" in page
    assert page.count('<svg class="kitbag-chart"') == 2  # its series, and the group's values
    assert 'role="img"' in page and "<title" in page
    assert "Betaby by period, with the median of its group" in page  # the series' table
    assert "Every council in England, best first" in page  # the group's table
    assert "Chosen" in page


def test_beyond_seven_and_a_half_mads_the_page_says_a_person_must_write_it(imported: None) -> None:
    # Epsilon's ASC2 is 0.42 against Kitbag's median of 0.415 (the suspect zero left out), with a
    # national MAD of 0.005: one MAD.  Betaby's zero is flagged suspect instead.
    page = detail("oflog-asc2", organisation="betaby")
    assert "flagged suspect" in page
    assert "a person must write this one" in page or "Beyond 7.5 MADs" in page


def test_the_lgbf_family_group_is_a_comparison_group(imported: None) -> None:
    page = detail("lgbf-c-and-l01", organisation="argyll-and-bute", group="family-group")
    assert "Family group 1 (rurality), 2021-22" in page


def test_an_unknown_indicator_is_not_found() -> None:
    assert Client().get("/performance/indicators/nope/").status_code == 404


def add_councils_and_years(indicator: Indicator, *, councils: int, years: int) -> None:
    run = ImportRun.objects.create(source="test", location="test")
    made = [council(name=f"Extra {n}", gss=f"E0800{n:04d}") for n in range(councils)]
    Observation.objects.bulk_create(
        Observation(
            indicator=indicator,
            organisation=body,
            gss=f"E0800{n:04d}",
            period=f"{2010 + y}-04-01/P1Y",
            period_label=f"{2010 + y}-{(11 + y) % 100:02d}",
            period_start=dt.date(2010 + y, 4, 1),
            value=7.0 + n / 100,
            import_run=run,
            source_file="test",
            source_row=n,
        )
        for n, body in enumerate(made)
        for y in range(years)
    )


# The indicator, its figures, the custom groups the reader may choose, the registry's
# successions among its bodies, and the hex map's councils and counties.
INDICATOR_PAGE_QUERIES = 6


def test_the_indicator_page_makes_the_same_number_of_queries_however_many_councils(
    imported: None, hex_layout: Path, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    cache.clear()
    client = Client()
    url = reverse("performance:indicator_detail", kwargs={"slug": "oflog-asc1"})
    client.get(url, {"organisation": "betaby"})  # warm the session and any per-process caches
    cache.clear()  # the page itself is cached: measure drawing it
    with django_assert_num_queries(INDICATOR_PAGE_QUERIES):
        assert client.get(url, {"organisation": "betaby"}).status_code == 200
    add_councils_and_years(Indicator.objects.get(code="ASC1"), councils=30, years=8)
    cache.clear()
    with django_assert_num_queries(INDICATOR_PAGE_QUERIES):
        assert client.get(url, {"organisation": "betaby"}).status_code == 200
    # Within a custom group of many councils: one more query, its councils' ids.
    group = services.create_comparison_group(
        name="Extras",
        owner=Organisation.objects.get(short_name="Betaby"),
        councils=Organisation.objects.filter(short_name__startswith="Extra"),
        created_by=None,
    )
    cache.clear()
    with django_assert_num_queries(INDICATOR_PAGE_QUERIES + 1):
        page = client.get(url, {"organisation": "extra-3", "group": f"custom:{group.slug}"})
        assert "Extras, 2018-19" in page.content.decode()


def test_the_organisation_page_shows_its_latest_figures(imported: None) -> None:
    page = Client().get(reverse("registry:organisation_detail", kwargs={"slug": "betaby"}))
    text = page.content.decode()
    assert "Performance figures" in text
    assert "Slightly better than the England median" in text
    assert "ASC1" in text


def test_an_organisation_without_figures_has_no_performance_section(imported: None) -> None:
    other = council(name="Zetaby", gss="E06000099")
    page = Client().get(reverse("registry:organisation_detail", kwargs={"slug": other.slug}))
    assert "Performance figures" not in page.content.decode()


def test_kitbags_figures_are_shown_beside_the_publishers_and_a_difference_is_said(
    imported: None,
) -> None:
    # Oflog's ASC2 2019-20 median counted Betaby's suspect zero; Kitbag's leaves it out.
    page = detail("oflog-asc2")
    assert "Kitbag&#x27;s figures beside the publisher&#x27;s" in page or "figures-table" in page
    figures = page.split('id="figures-table"', 1)[1].split("</table>", 1)[0]
    assert "0.415" in figures and "0.410" in figures and "Differs" in figures
    assert "oflog_adult_social_care_metrics.csv, line" in figures
    # The LGBF's family-group average and Scotland figure, each with how Kitbag makes it.
    page = detail("lgbf-c-and-l01", organisation="argyll-and-bute", group="family-group")
    figures = page.split('id="figures-table"', 1)[1].split("</table>", 1)[0]
    assert "unweighted mean" in figures and "ratio of sums" in figures


def test_the_series_says_the_change_since_the_previous_figure_by_polarity(imported: None) -> None:
    # Aberdeen City's CHN01 (higher is better, a fraction shown as a percentage): 50.0% -> 0.0%
    # (flagged suspect) -> 60.0%.
    page = detail("lgbf-chn01", organisation="aberdeen-city")
    assert "Worse by 50.0 points" in page
    assert "Better by 60.0 points" in page


def test_a_councils_series_carries_on_as_a_straight_line_trend_said_so(imported: None) -> None:
    add_councils_and_years(Indicator.objects.get(code="ASC1"), councils=1, years=4)
    slug = Observation.objects.get(gss="E08000000", period_label="2010-11").body.slug
    page = detail("oflog-asc1", organisation=slug)
    assert "a straight-line trend, not a prediction." in page
    assert 'stroke-dasharray="2 4"' in page
    table = page.split('id="series-caption"')[1].split("</table>")[0]
    for label in ("2014-15", "2015-16", "2016-17"):
        assert f'<th scope="row" class="govuk-table__header">{label}</th>' in table
    assert table.count(">Forecast<") == 3
    assert "7.0 <strong" in table  # a flat series stays flat


def test_an_evaluation_only_indicator_offers_no_download_and_says_why(imported: None) -> None:
    page = detail("oflog-asc1")
    assert reverse("performance:observations_csv", args=["oflog-asc1"]) not in page
    assert "cannot be downloaded" in page and "Evaluation only" in page


@pytest.mark.parametrize("name", ["observations_csv", "observations_csvw"])
@pytest.mark.parametrize("slug", ["oflog-asc1", "lgbf-c-and-l01"])
def test_an_evaluation_only_sources_files_are_refused_with_a_page_saying_why(
    imported: None, name: str, slug: str
) -> None:
    response = Client().get(reverse(f"performance:{name}", args=[slug]))
    assert response.status_code == 403
    text = response.content.decode()
    assert "cannot be downloaded" in text and "evaluation only" in text
    assert "E06000002" not in text


# The band hex map and succession links.


def _district_of_gammashire() -> Organisation:
    gammashire = Organisation.objects.get(short_name="Gammashire")
    district = council(name="Gammadale", gss="E07000901")
    ParentLink.objects.create(child=district, parent=gammashire, relation=ParentRelation.COUNTY)
    return district


def test_the_hex_map_colours_councils_by_band_with_titles_a_key_and_patterns(
    imported: None, hex_layout: Path
) -> None:
    _district_of_gammashire()
    page = detail("oflog-asc1", period="2018-19")
    svg = page[page.index('<svg class="kitbag-hexmap kitbag-band-map"') :]
    svg = svg[: svg.index("</svg>")]
    assert svg.count("<polygon") == 5
    assert "<title>Betaby: 7.9, slightly better than the England median</title>" in svg
    assert "<title>Alphaton: 7.6, broadly similar to the England median</title>" in svg
    # A district takes its county's figure, and says so.
    assert (
        "<title>Gammadale (the figure of Gammashire): 7.3, slightly worse than the England "
        "median</title>" in svg
    )
    assert "<title>Nowhere: no figure</title>" in svg
    assert "<title>Epsilon: no figure</title>" in svg  # Epsilon has no ASC1 figure
    assert 'role="img"' in svg and "<desc" in svg and "table of every council" in svg
    assert "url(#hexmap-" in svg  # patterns, not colour alone
    key = page[page.index('id="band-map-key"') :]
    assert "Slightly better than the median (lines rising, sparse) (1)" in key
    # Gammadale, by its county Gammashire's figure (a county has no hex of its own).
    assert "Slightly worse than the median (lines falling, sparse) (1)" in key
    assert "Skip the map and go to the table of councils" in page


def test_the_hex_map_greys_councils_outside_the_chosen_group(
    imported: None, hex_layout: Path
) -> None:
    page = detail("oflog-asc1", period="2018-19", group="council-type", organisation="betaby")
    svg = page[page.index('<svg class="kitbag-hexmap kitbag-band-map"') :]
    assert "Unitary Authorities" in page
    assert "<title>Gammashire" not in svg  # not on the map: no hex of its own
    assert "<title>Betaby: 7.9," in svg


def test_without_a_hex_layout_the_page_has_no_map(imported: None, settings: Any) -> None:
    settings.KITBAG_DATA_DIR = ""
    page = detail("oflog-asc1")
    assert "kitbag-band-map" not in page and 'id="group-table"' in page


@pytest.fixture
def succeeded(imported: None) -> Organisation:
    """Gammashire abolished on 2023-04-01, continued by North Gamma, which has a 2023-24 figure."""
    gammashire = Organisation.objects.get(short_name="Gammashire")
    successor = council(name="North Gamma", gss="E06000901")
    Succession.objects.create(predecessor=gammashire, successor=successor, date=dt.date(2023, 4, 1))
    run = ImportRun.objects.create(source="test", location="test")
    Observation.objects.create(
        indicator=Indicator.objects.get(code="ASC1"),
        organisation=successor,
        gss="E06000901",
        period="2023-04-01/P1Y",
        period_label="2023-24",
        period_start=dt.date(2023, 4, 1),
        value=7.5,
        import_run=run,
        source_file="test",
        source_row=1,
    )
    return successor


def test_an_abolished_councils_series_links_to_its_successors_and_back(
    succeeded: Organisation,
) -> None:
    before = detail("oflog-asc1", organisation="gammashire", period="2018-19")
    assert "Continued by North Gamma from 2023-04-01" in before
    assert "organisation=north-gamma" in before and "North Gamma's series" in before
    after = detail("oflog-asc1", organisation="north-gamma", period="2023-24")
    assert "Before 2023, see Gammashire" in after
    assert "organisation=gammashire" in after
    # The group table's rows say it too.
    table = before[before.index('id="group-table"') :]
    assert "Continued by North Gamma from 2023-04-01" in table


def test_the_organisation_page_links_the_series_across_a_succession(
    succeeded: Organisation,
) -> None:
    page = Client().get(reverse("registry:organisation_detail", kwargs={"slug": "gammashire"}))
    text = page.content.decode()
    assert "Continued by North Gamma from 2023-04-01" in text
    assert "organisation=north-gamma" in text
    page = Client().get(reverse("registry:organisation_detail", kwargs={"slug": "north-gamma"}))
    assert "Before 2023, see Gammashire" in page.content.decode()
