from django.apps import AppConfig


class VocabulariesConfig(AppConfig):
    name = "kitbag.vocabularies"
    verbose_name = "Vocabularies (controlled code lists)"
