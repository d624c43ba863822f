from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kitbag.core"
    verbose_name = "Core"
