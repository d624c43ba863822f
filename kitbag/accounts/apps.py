from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kitbag.accounts"
    verbose_name = "Accounts, memberships and moderation"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

        # allauth has no adapter hook that sees every confirmation (a sign-in code confirms the
        # address too), so its signal is the one place to hear of them all.
        email_confirmed.connect(_email_confirmed, dispatch_uid="kitbag.accounts.email_confirmed")


def _email_confirmed(sender: Any, email_address: Any, **kwargs: Any) -> None:
    from kitbag.accounts.adapter import email_address_confirmed

    email_address_confirmed(user=email_address.user, email=email_address.email)
