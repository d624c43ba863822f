from django.apps import AppConfig


class SemanticConfig(AppConfig):
    name = "kitbag.semantic"
    label = "semantic"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Finding by meaning"
