from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kitbag.api"
    verbose_name = "JSON API"
