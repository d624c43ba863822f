from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "kitbag.registry"
    verbose_name = "Registry of public bodies"

    def ready(self) -> None:
        from kitbag.core.page_cache import refresh_public_pages_on_change

        refresh_public_pages_on_change(*self.get_models())
