"""`kitbag generate-cases`: fill the library with realistic synthetic cases for demos and benchmarks."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kitbag.cases import synthetic


class Command(BaseCommand):
    help = (
        "Generate realistic synthetic cases (reproducible from --seed), with real codes and real "
        "lead organisations, indexed for search. They are marked as generated, so --remove takes "
        "them all out again. Needs the registry and code lists imported first. Refuses to run "
        "where people have written cases of their own unless --alongside-real-cases is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1000, help="How many cases (1000).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same cases.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remove every synthetic case first, then generate.",
        )
        parser.add_argument(
            "--remove", action="store_true", help="Only remove every synthetic case."
        )
        parser.add_argument(
            "--alongside-real-cases",
            action="store_true",
            help="Generate even though the database holds cases people wrote on Kitbag.",
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity: int = options["verbosity"]
        if options["remove"]:
            removed = synthetic.remove_synthetic_cases()
            if verbosity:
                self.stdout.write(f"Removed {removed} synthetic cases.")
            return
        count: int = options["count"]
        if count < 1:
            raise CommandError("--count must be at least 1.")
        real = synthetic.real_written_cases().count()
        if real and not options["alongside_real_cases"]:
            raise CommandError(
                f"This database holds {real} cases people wrote on Kitbag; synthetic cases would "
                "be mixed in with them. Use a scratch database, or pass --alongside-real-cases."
            )
        if options["replace"]:
            removed = synthetic.remove_synthetic_cases()
            if verbosity:
                self.stdout.write(f"Removed {removed} synthetic cases.")
        elif synthetic.synthetic_cases().filter(provenance__seed=options["seed"]).exists():
            raise CommandError(
                f"Synthetic cases from seed {options['seed']} are already here: pass --replace "
                "to generate them again, or choose another --seed."
            )
        try:
            pools = synthetic.Pools.load()
        except LookupError as error:
            raise CommandError(str(error)) from error

        started = time.monotonic()

        def progress(done: int) -> None:
            if verbosity > 1 or (verbosity and (done % 10_000 == 0 or done == count)):
                self.stdout.write(f"  {done} cases ({time.monotonic() - started:.0f} s)")

        written = synthetic.write_cases(
            synthetic.generate_specs(pools=pools, count=count, seed=options["seed"]),
            batch_size=options["batch_size"],
            progress=progress,
        )
        if verbosity:
            self.stdout.write(
                f"Generated {written} synthetic cases from seed {options['seed']} "
                f"in {time.monotonic() - started:.1f} s."
            )
