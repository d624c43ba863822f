from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "kitbag.registry"
    verbose_name = "Registry of public bodies"
