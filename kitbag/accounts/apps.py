from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kitbag.accounts"
    verbose_name = "Accounts, memberships and moderation"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

        from kitbag.accounts import happenings
        from kitbag.accounts.models import Membership, Profile
        from kitbag.core.page_cache import refresh_public_pages_on_change

        # allauth has no adapter hook that sees every confirmation (a sign-in code confirms the
        # address too), so its signal is the one place to hear of them all.
        email_confirmed.connect(_email_confirmed, dispatch_uid="kitbag.accounts.email_confirmed")
        # Public profiles and verified members show on cached organisation pages.
        refresh_public_pages_on_change(Profile, Membership)
        # People with a profile the follower may see can be followed (kitbag/core/happenings.py).
        happenings.register()


def _email_confirmed(sender: Any, email_address: Any, **kwargs: Any) -> None:
    from kitbag.accounts.adapter import email_address_confirmed

    email_address_confirmed(user=email_address.user, email=email_address.email)
