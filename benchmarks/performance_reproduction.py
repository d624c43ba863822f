"""Does Kitbag reproduce the publishers' comparisons, and how fast does it import and recompute?

Imports the registry, then Oflog's adult social care metrics and the Scottish LGBF from the data
directory into a scratch database (rows per second, and again to show a second run writes
nothing), then recomputes from the stored council values, with the `kitbag.performance.statistics`
functions the pages use:

- Oflog: the England median of each code-year and each council's MADs from the median, against the
  published MEDIAN and MADs_from_median;
- LGBF: each family group's unweighted average against FG_Avg_Indicator_Real, and the Scotland
  figure (ratio of sums) against Scotland_Indicator_Real where the councils have numerators and
  denominators (the others are source-supplied figures, which cannot be recomputed);

and lists every case where they differ: the source's own inconsistencies. These use every value
as the publisher did, suspect zeros included; Kitbag's own pages leave the suspect ones out, and
the last section lists where that changes the median.

    .venv/bin/python benchmarks/performance_reproduction.py [--data-dir DIR] [--misses]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

# A recomputed figure equals a published one when they agree to this relative precision (the
# published files carry up to 16 significant digits; the LGBF's averages are rounded to 4 or 5
# decimal places, so an absolute half-unit in the 5th place is allowed as well).
RELATIVE = 1e-6
ABSOLUTE = 5e-5


def equal(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=RELATIVE, abs_tol=ABSOLUTE)


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kitbag.settings")
    import django

    django.setup()


def scratch_database() -> Callable[[], None]:
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return lambda: connection.creation.destroy_test_db(old_name, verbosity=0)


def timed_import(data_dir: str | None) -> None:
    from kitbag.performance.importers import IMPORTERS
    from kitbag.registry.importers import IMPORTERS as REGISTRY_IMPORTERS

    directory = Path(data_dir) if data_dir else None
    if directory is None:
        from django.conf import settings

        directory = Path(settings.KITBAG_DATA_DIR)
    started = time.perf_counter()
    for importer in REGISTRY_IMPORTERS:
        importer(data_dir=directory).run()
    print(f"  registry import: {time.perf_counter() - started:.1f} s")
    print("\nImport (read and check every file, then write in one transaction)")
    print("  source   run     rows  created  unchanged  rejected  seconds  rows/s")
    for run in ("first", "second"):
        for importer in IMPORTERS:
            started = time.perf_counter()
            report = importer(data_dir=directory).run()
            seconds = time.perf_counter() - started
            print(
                f"  {report.source:<7}  {run:<6} {report.rows_read:>6}  {report.created:>7}  "
                f"{report.unchanged:>9}  {report.rejected:>8}  {seconds:>7.1f}  "
                f"{report.rows_read / seconds:>6.0f}"
            )


def recompute_everything() -> None:
    from kitbag.performance.exports import export_rows

    print("\nRecomputing every comparison (the export's path: one query, then pure Python)")
    for source in ("oflog", "lgbf"):
        started = time.perf_counter()
        rows = sum(1 for _ in export_rows(source=source))
        seconds = time.perf_counter() - started
        print(f"  {source}: {rows} observations in {seconds:.2f} s ({rows / seconds:.0f} a second)")


def time_pages(repeats: int = 7) -> None:
    """The largest indicator page (Oflog ASC5: 150-odd councils by 8 years, a council chosen)
    beside the registry's page for the same council, drawn afresh each time (page cache cleared),
    with the queries each makes."""
    import statistics as stats

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kitbag.performance import services
    from kitbag.performance.models import Observation
    from kitbag.registry.models import Organisation

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    kent = Organisation.objects.get(identifiers__scheme="gss", identifiers__value="E10000016")
    # A custom comparison group of the 16 county councils with ASC5 figures, Kent among them.
    counties = Organisation.objects.filter(
        pk__in=Observation.objects.filter(
            indicator__slug="oflog-asc5", gss__startswith="E10"
        ).values("organisation_id")
    ).order_by("name")[:16]
    group = services.create_comparison_group(
        name="Benchmark counties", owner=kent, councils=[kent, *counties], created_by=None
    )
    pages = {
        "indicator page (ASC5, Kent chosen)": (
            f"/performance/indicators/oflog-asc5/?organisation={kent.slug}"
        ),
        "indicator page (ASC5, Kent chosen, within a custom group of counties)": (
            f"/performance/indicators/oflog-asc5/?organisation={kent.slug}"
            f"&group=custom:{group.slug}"
        ),
        "registry page (Kent)": kent.get_absolute_url(),
    }
    client = Client()
    print("\nPages (drawn afresh each time: median of 7, and the queries of one)")
    for label, url in pages.items():
        times = []
        for _ in range(repeats):
            cache.clear()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        print(f"  {label}: {1000 * stats.median(times):.0f} ms, {len(queries)} queries")


def rows_by(source: str) -> dict[tuple[str, str], list[Any]]:
    from kitbag.performance.models import Observation

    grouped: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for observation in Observation.objects.filter(indicator__source=source).select_related(
        "indicator"
    ):
        grouped[(observation.indicator.code, observation.period_label)].append(observation)
    return grouped


def share(label: str, right: int, total: int) -> None:
    print(
        f"  {label}: {right} of {total} ({100 * right / total:.1f}%)"
        if total
        else f"  {label}: none"
    )


def oflog(misses: bool) -> None:
    from kitbag.performance import statistics

    grouped = rows_by("oflog")
    medians = distances = distance_total = 0
    differing: list[str] = []
    published_several: list[str] = []
    own_differs: list[str] = []
    for (code, year), observations in sorted(grouped.items()):
        values = [o.value for o in observations]
        median = statistics.median(values)
        mad = statistics.mad(values)
        published = {o.published_median for o in observations}
        if len(published) > 1:
            published_several.append(f"{code} {year}: {sorted(published)}")
        if equal(median, next(iter(published))):
            medians += 1
        else:
            differing.append(f"{code} {year}: median {median} published {published}")
        for o in observations:
            if o.published_mads is None:
                continue
            distance_total += 1
            d = statistics.mads_from_median(o.value, median=median, mad=mad)
            if equal(d, o.published_mads):
                distances += 1
            else:
                differing.append(f"{code} {year} {o.gss}: D {d} published {o.published_mads}")
        counted = [o.value for o in observations if o.status != "suspect"]
        if statistics.median(counted) != median:
            own_differs.append(
                f"{code} {year}: Kitbag's median {statistics.median(counted)} without the "
                f"suspect values, published {median}"
            )
    print("\nOflog (England median and MADs from the median)")
    share("published medians reproduced (code-years)", medians, len(grouped))
    share("published MADs-from-median reproduced (rows)", distances, distance_total)
    for line in differing if misses else differing[:10]:
        print(f"    differs: {line}")
    for line in published_several:
        print(f"    more than one published median: {line}")
    print("  where leaving out the suspect zeros changes Kitbag's own median:")
    for line in own_differs:
        print(f"    {line}")


def lgbf(misses: bool) -> None:
    from kitbag.performance import statistics
    from kitbag.performance.models import Indicator

    indicators = {i.code: i for i in Indicator.objects.filter(source="lgbf")}
    grouped = rows_by("lgbf")
    groups = groups_right = groups_none = 0
    group_misses: list[str] = []
    ratio_total = ratio_right = supplied = supplied_mean = own_ratio = 0
    within = dict.fromkeys((0.001, 0.005, 0.01), 0)
    ratio_misses: list[str] = []
    inconstant: list[str] = []
    for (code, year), observations in sorted(grouped.items()):
        indicator = indicators[code]
        families: dict[str, list[Any]] = defaultdict(list)
        for o in observations:
            families[o.family_group].append(o)
        for family, members in sorted(families.items()):
            published = {o.published_group_average for o in members}
            if published == {None}:
                groups_none += 1
                continue
            groups += 1
            average = statistics.mean(o.value for o in members)
            if len(published) == 1 and equal(average, next(iter(published))):
                groups_right += 1
            else:
                group_misses.append(
                    f"{code} {year} {family}: mean {average:.6g}, published {sorted(p for p in published if p is not None)}"
                )
        nationals = {o.published_national for o in observations}
        if len(nationals) > 1:
            inconstant.append(f"{code} {year}: {len(nationals)} different Scotland values")
        published_national = max(
            nationals, key=lambda v: sum(o.published_national == v for o in observations)
        )
        pairs = [(o.numerator, o.denominator) for o in observations]
        if any(n is not None and d is not None for n, d in pairs):
            ratio_total += 1
            ratio = statistics.ratio_of_sums(
                pairs,
                numerator_multiplier=indicator.numerator_multiplier,
                denominator_multiplier=indicator.denominator_multiplier,
            )
            if equal(ratio, published_national):
                ratio_right += 1
            if ratio is not None and published_national is not None:
                for tolerance in within:
                    if abs(ratio - published_national) <= tolerance * abs(published_national):
                        within[tolerance] += 1
            # Does the publisher's Scotland figure equal its own Scotland numerator/denominator?
            first = observations[0]
            if (
                first.published_national_numerator is not None
                and first.published_national_denominator
            ):
                own = (first.published_national_numerator * indicator.numerator_multiplier) / (
                    first.published_national_denominator * indicator.denominator_multiplier
                )
                if equal(own, published_national):
                    own_ratio += 1
            else:
                ratio_misses.append(
                    f"{code} {year}: ratio of sums {ratio:.6g}, published {published_national}"
                )
        else:
            supplied += 1
            if equal(statistics.mean(o.value for o in observations), published_national):
                supplied_mean += 1
    print("\nLGBF (family-group averages and the Scotland figure)")
    share("published family-group averages reproduced", groups_right, groups)
    print(f"  groups with no published average: {groups_none}")
    for line in group_misses:
        print(f"    differs: {line}")
    share(
        "Scotland figures reproduced as a ratio of sums (code-years with num/den)",
        ratio_right,
        ratio_total,
    )
    for tolerance, count in within.items():
        share(f"  within {tolerance:.1%} of the published figure", count, ratio_total)
    share(
        "  the publisher's own Scotland numerator/denominator equal its Scotland figure",
        own_ratio,
        ratio_total,
    )
    for line in ratio_misses if misses else ratio_misses[:10]:
        print(f"    differs: {line}")
    if not misses and len(ratio_misses) > 10:
        print(f"    ... and {len(ratio_misses) - 10} more (--misses lists them)")
    print(
        f"  code-years without num/den (source-supplied Scotland figure, kept as published): "
        f"{supplied}; equal to the councils' mean in {supplied_mean}"
    )
    print(f"  code-years whose Scotland value is not constant across councils: {len(inconstant)}")
    for line in inconstant if misses else inconstant[:10]:
        print(f"    {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="the shared data directory (default: KITBAG_DATA_DIR)")
    parser.add_argument("--misses", action="store_true", help="list every difference")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} (scratch copy)")
    drop = scratch_database()
    try:
        timed_import(args.data_dir)
        recompute_everything()
        time_pages()
        oflog(args.misses)
        lgbf(args.misses)
    finally:
        drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
