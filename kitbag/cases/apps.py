from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "kitbag.cases"
    verbose_name = "Innovation library"

    def ready(self) -> None:
        # The cases' permission rules join the one table in kitbag.accounts.permissions.
        from kitbag.cases import permissions  # noqa: F401
