"""`kitbag derive-domains`: give organisations the email domains their registry web addresses
are on, so that staff who confirm an address there become verified members."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kitbag.accounts.services.memberships import derive_registry_domains

SHOWN = 10


class Command(BaseCommand):
    help = (
        "Derive email domains (democracy.camden.gov.uk → camden.gov.uk) from current "
        "organisations' democracy sites and websites. Idempotent; never moves a domain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list", action="store_true", help="List every domain added, conflict and skip."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = derive_registry_domains()
        if not options["verbosity"]:
            return
        self.stdout.write(report.summary())
        limit = None if options["list"] or options["verbosity"] > 1 else SHOWN
        sections: list[tuple[str, list[str]]] = [
            ("added", [f"{domain} → {slug}" for domain, slug in report.added]),
            (
                "conflict",
                [
                    f"{domain}: wanted by {wanted}, already held by {held}"
                    for domain, wanted, held in report.conflicts
                ],
            ),
            ("shared", [f"{domain}: {', '.join(slugs)}" for domain, slugs in report.shared]),
            (
                "previously removed",
                [f"{domain} (for {slug})" for domain, slug in report.withdrawn],
            ),
            ("third-party host", [f"{host} ({slug})" for host, slug in report.third_party_hosts]),
        ]
        for label, lines in sections:
            shown = lines if limit is None else lines[:limit]
            for line in shown:
                self.stdout.write(f"  {label}: {line}")
            if len(lines) > len(shown):
                self.stdout.write(f"  ... and {len(lines) - len(shown)} more {label} (--list)")
