from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kitbag.accounts"
    verbose_name = "Accounts, memberships and moderation"
