from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "kitbag.conversations"
    verbose_name = "Conversations"

    def ready(self) -> None:
        from kitbag.core.page_cache import refresh_public_pages_on_change

        refresh_public_pages_on_change(*self.get_models())
