from django.apps import AppConfig


class SemanticConfig(AppConfig):
    name = "kitbag.semantic"
    label = "semantic"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Finding by meaning"

    def ready(self) -> None:
        from kitbag.search.services import on_documents_written
        from kitbag.semantic.services import embed_written_documents

        # Every kind's documents (consultations, resources, people, events...) get their vector
        # on each write, not only the kinds that ask for it.
        on_documents_written("semantic", embed_written_documents)
