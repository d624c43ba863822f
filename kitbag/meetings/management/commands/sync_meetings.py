"""`kitbag sync-meetings`: sync councils' meetings calendars from their ModernGov web service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kitbag.meetings.calendar import moderngov, sync
from kitbag.meetings.models import DemocracySystem, SyncRun
from kitbag.registry.models import Organisation, OrganisationKind


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date in the form YYYY-MM-DD: {value!r}") from error


class Command(BaseCommand):
    help = (
        "Sync meetings from councils' ModernGov web services: every ModernGov council in the "
        "registry, or one council. Only the registry's URL or --base-url is ever requested."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--council", metavar="CODE", help="The council's local authority code, e.g. MAN."
        )
        parser.add_argument(
            "--base-url",
            metavar="URL",
            help="Use this base URL instead of the registry's (operators only; keep any path).",
        )
        parser.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        default_from, default_to = sync.default_window()
        date_from = _date(options["date_from"]) if options["date_from"] else default_from
        date_to = _date(options["date_to"]) if options["date_to"] else default_to
        if date_to < date_from:
            raise CommandError("--to is before --from.")
        systems = self._systems(options["council"], options["base_url"])
        if not systems:
            self.stdout.write("No ModernGov council has a democracy system URL in the registry.")
            return
        failed = 0
        for system in systems:
            run = sync.sync_system(
                system=system, date_from=date_from, date_to=date_to, triggered_by="command"
            )
            failed += run.outcome == "failed"
            self.stdout.write(self._describe(run))
        if failed and len(systems) == 1:
            raise CommandError("The sync failed; what earlier syncs stored is unchanged.")

    def _systems(self, code: str | None, base_url: str | None) -> list[DemocracySystem]:
        if code:
            council = (
                Organisation.objects.filter(
                    kind=OrganisationKind.LOCAL_AUTHORITY, code=code.upper()
                )
                .order_by("end_date")
                .first()
            )
            if council is None:
                raise CommandError(f"No council has the local authority code {code!r}.")
            try:
                return [sync.system_for(council=council, base_url=base_url)]
            except sync.SyncError as error:
                raise CommandError(str(error)) from error
        if base_url:
            normalised = moderngov.normalise_base_url(base_url)
            system = DemocracySystem.objects.filter(base_url=normalised).first()
            if normalised is None or system is None:
                raise CommandError(
                    "No council is known to use this base URL; give --council CODE with it."
                )
            return [system]
        return sync.systems_from_registry()

    def _describe(self, run: SyncRun) -> str:
        text = (
            f"{run.system.base_url}: {run.outcome}; {run.committees_seen} committees, "
            f"{run.meetings_created} meetings new, {run.meetings_updated} changed, "
            f"{run.meetings_unchanged} unchanged; {run.requests} requests "
            f"({run.not_modified} not modified)"
        )
        for error in run.errors[:5]:
            text += f"\n  {error}"
        if len(run.errors) > 5:
            text += f"\n  … and {len(run.errors) - 5} more"
        return text
