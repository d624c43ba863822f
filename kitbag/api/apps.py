from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kitbag.api"
    verbose_name = "JSON API"

    def ready(self) -> None:
        # drf-spectacular learns of the token scheme when the extension's class is defined.
        from kitbag.api import schema  # noqa: F401
