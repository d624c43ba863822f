"""kitbag demo-resources: a small resource library, so a newcomer sees the part working.

The entries (resources/demo/library.json) are written for the demonstration and link to public
GOV.UK and Local Digital pages; they are recommended by a demonstration account that nobody
signs in as ("Kitbag demonstration", credited to no real person). Run by `make import` with
--unless-present; without it, loading again changes nothing either.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from kitbag.accounts.models import Profile, User
from kitbag.resources import services
from kitbag.resources.models import Recommendation, Resource

DEMO_EMAIL = "resources-demo@kitbag.invalid"
DEMO_NAME = "Kitbag demonstration"
LIBRARY = Path(__file__).resolve().parents[2] / "demo" / "library.json"


class Command(BaseCommand):
    help = "Create the demonstration resource library (a few recommended public pages)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unless-present", action="store_true", help="Do nothing when it is already there."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if (
            options["unless_present"]
            and Recommendation.objects.filter(person__email=DEMO_EMAIL).exists()
        ):
            self.stdout.write("The demonstration resource library is already there.")
            return
        entries = json.loads(LIBRARY.read_text(encoding="utf-8"))
        with transaction.atomic():
            person = _demo_person()
            for entry in entries:
                resource = services.recommend(
                    person=person,
                    url=entry["url"],
                    title=entry["title"],
                    why=entry["why"],
                    tags=entry["tags"],
                )
                for key in entry.get("used_by", []):
                    services.record_use(resource=resource, key=key, by=None)
        count = Resource.objects.filter(recommendations__person=person).count()
        self.stdout.write(f"The demonstration resource library has {count} resources.")


def _demo_person() -> User:
    person, created = User.objects.get_or_create(email=DEMO_EMAIL)
    if created:
        # Nobody signs in as it: it only holds the demonstration's recommendations.
        person.set_unusable_password()
        person.save(update_fields=["password"])
    Profile.objects.update_or_create(
        user=person, defaults={"display_name": DEMO_NAME, "is_public": True}
    )
    return person
