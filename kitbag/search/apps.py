from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kitbag.search"
    verbose_name = "Search"
