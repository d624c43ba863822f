from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "kitbag.performance"
    verbose_name = "Partnership performance"
