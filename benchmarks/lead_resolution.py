"""How many case leads resolve to a registry body, before and after the newer registry sources.

Imports the registry's sources from the real data into a fresh SQLite database in a temporary
directory: first the six that were there before GOV.UK's organisations API, Local Links and
digital-land (the 2017 government register among them), then those three. After each step it reads
the ATRS and IPS-X case files through their importers (nothing is written) and resolves every lead
the case import would resolve, exactly as it does, and prints resolved and unresolved for each,
with the names that still do not resolve (-v).

    .venv/bin/python benchmarks/lead_resolution.py [--data-dir DIR] [-v]

Reads KITBAG_DATA_DIR unless --data-dir is given. Does not touch the database in DATABASE_URL.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWER_SOURCES = ("govuk-organisations", "govuk-local-links", "digital-land-local-authorities")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=os.environ.get("KITBAG_DATA_DIR", ""))
    parser.add_argument("-v", "--verbose", action="store_true", help="list unresolved names")
    args = parser.parse_args()
    if not args.data_dir:
        sys.exit("Give the real data directory with --data-dir or KITBAG_DATA_DIR.")
    data_dir = Path(args.data_dir)

    with tempfile.TemporaryDirectory(prefix="kitbag-leads-") as workdir:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/leads.sqlite3"
        os.environ["DJANGO_SETTINGS_MODULE"] = "kitbag.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        logging.disable(logging.INFO)
        from django.core.management import call_command

        from kitbag.registry.importers import IMPORTERS

        call_command("migrate", verbosity=0)
        before = [i for i in IMPORTERS if i.source not in NEWER_SOURCES]
        after = [i for i in IMPORTERS if i.source in NEWER_SOURCES]
        for label, importers in (("before", before), ("after", after)):
            started = time.perf_counter()
            for importer in importers:
                importer(data_dir=data_dir).run()
            took = time.perf_counter() - started
            names = ", ".join(i.source for i in importers)
            print(f"{label}: imported {names} ({took:.1f} s)")
            for source, resolved, unresolved in count_leads(data_dir):
                total = resolved + sum(unresolved.values())
                print(
                    f"  {source}: {resolved} of {total} UK leads resolve, "
                    f"{sum(unresolved.values())} do not"
                )
                if args.verbose:
                    for name, cases in sorted(unresolved.items(), key=lambda i: i[0].lower()):
                        print(f"    {name or '(no lead given)'}: {cases}")


def count_leads(data_dir: Path) -> list[tuple[str, int, Counter[str]]]:
    """(source, resolved, unresolved names with their cases) for each case source."""
    # The case import's own lookup (the name as given, then without a bracketed abbreviation,
    # then the abbreviation), so the figures are what `import-cases` reports.
    from kitbag.cases.importers import IMPORTERS as CASE_IMPORTERS
    from kitbag.cases.importers.base import _resolve

    counts = []
    for importer in CASE_IMPORTERS:
        resolved = 0
        unresolved: Counter[str] = Counter()
        for record in importer(data_dir=data_dir).read():
            if not record.resolve_lead:
                continue
            match = _resolve(record.lead_name)[0] if record.lead_name else None
            if match is None:
                unresolved[record.lead_name] += 1
            else:
                resolved += 1
        counts.append((importer.source, resolved, unresolved))
    return counts


if __name__ == "__main__":
    main()
