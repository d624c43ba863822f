from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CoreConfig(AppConfig):
    name = "kitbag.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from kitbag.core.models import ImportRun
        from kitbag.core.page_cache import refresh_public_pages_on_change
        from kitbag.core.rate_limits import check_overrides

        # Every import writes its ImportRun in its own transaction, bulk writes or not.
        refresh_public_pages_on_change(ImportRun)

        try:
            check_overrides(settings.KITBAG_RATE_LIMITS)
        except ValueError as error:
            raise ImproperlyConfigured(str(error)) from error
