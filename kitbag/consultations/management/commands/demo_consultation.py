"""kitbag demo-consultation: one open consultation, so a newcomer sees the part working.

The document (consultations/demo/library_opening_hours.md) is invented for the demonstration
and says so in its first paragraph; it is owned by a real council of the registry, City of York
Council (local authority code YOR). Run by `make import` with --unless-present.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from kitbag.consultations import services
from kitbag.consultations.models import Consultation
from kitbag.registry.models import Organisation

SLUG = "york-library-opening-hours-demo"
COUNCIL_CODE = "YOR"
DOCUMENT = Path(__file__).resolve().parents[2] / "demo" / "library_opening_hours.md"


class Command(BaseCommand):
    help = "Create the demonstration consultation (an open one, owned by City of York Council)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unless-present", action="store_true", help="Do nothing when it is already there."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Consultation.objects.filter(slug=SLUG).exists():
            self.stdout.write("The demonstration consultation is already there.")
            return
        council = Organisation.objects.filter(code=COUNCIL_CODE).order_by("pk").first()
        if council is None:
            self.stdout.write(
                f"No organisation with code {COUNCIL_CODE} (import the registry first): "
                "no demonstration consultation."
            )
            return
        now = timezone.now()
        with transaction.atomic():
            consultation = services.create_consultation(
                organisation=council,
                slug=SLUG,
                details=services.Details(
                    title="Library opening hours: our proposal (demonstration)",
                    summary=(
                        "New opening hours for the city's eight libraries, keeping every library "
                        "open within a smaller budget. Invented for Kitbag's demonstration."
                    ),
                    consulted="Residents, library users, schools and community groups",
                    opens_at=now,
                    closes_at=now + dt.timedelta(weeks=8),
                    questions=(
                        "Which opening hours matter most to you?\n"
                        "Would self-service access work for you?\n"
                        "What have we missed?"
                    ),
                    contact="libraries@example.org",
                    keywords="library, libraries, opening hours",
                ),
                document=DOCUMENT.read_text(encoding="utf-8"),
                by=None,
                check_permission=False,
            )
            services.publish_consultation(
                consultation=consultation, by=None, check_permission=False
            )
        self.stdout.write(
            f"Created the demonstration consultation {consultation.get_absolute_url()}"
        )
