"""`kitbag createsuperuser` (and `make superuser`): Django's command, and then the new staff
account's address is confirmed, because allauth lets nobody sign in before their address is."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management.commands import createsuperuser

from kitbag.accounts.models import User
from kitbag.accounts.services.staff import confirm_staff_address


class Command(createsuperuser.Command):
    help = (
        "Create a staff account (a superuser) whose email address is confirmed, so that it can "
        "sign in straight away."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        database = options.get("database") or "default"
        before = set(User.objects.using(database).values_list("pk", flat=True))
        super().handle(*args, **options)
        for user in User.objects.using(database).filter(is_superuser=True).exclude(pk__in=before):
            confirm_staff_address(user=user)
