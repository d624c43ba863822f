"""How django-allauth fits Kitbag: its hooks call our services, so the rules live in one place."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    pass
