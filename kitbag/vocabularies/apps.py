from django.apps import AppConfig


class VocabulariesConfig(AppConfig):
    name = "kitbag.vocabularies"
    verbose_name = "Vocabularies (controlled code lists)"

    def ready(self) -> None:
        from kitbag.core.page_cache import refresh_public_pages_on_change

        # Code labels show on every page that lists a case or a service.
        refresh_public_pages_on_change(*self.get_models())
