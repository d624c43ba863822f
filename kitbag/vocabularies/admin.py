from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kitbag.vocabularies.builtin import BUILTIN_LISTS
from kitbag.vocabularies.importers.lgsl import FUNCTIONS_LIST, SERVICES_LIST
from kitbag.vocabularies.models import Code, CodeList

# `kitbag import-vocabularies` rewrites these lists, so an edit here would be silently undone.
MANAGED_SLUGS = frozenset(
    {SERVICES_LIST.slug, FUNCTIONS_LIST.slug, *(builtin.list.slug for builtin in BUILTIN_LISTS)}
)


def _is_managed(obj: Any) -> bool:
    if isinstance(obj, CodeList):
        return obj.slug in MANAGED_SLUGS
    if isinstance(obj, Code):
        return obj.code_list.slug in MANAGED_SLUGS
    return False


@admin.register(CodeList)
class CodeListAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "publisher", "version"]
    search_fields = ["name", "slug"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_managed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_managed(obj) and super().has_delete_permission(request, obj)


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "code_list", "parent", "is_deprecated"]
    list_filter = ["code_list", "is_deprecated"]
    list_select_related = ["code_list", "parent"]
    search_fields = ["code", "label"]
    autocomplete_fields = ["parent"]
    list_per_page = 50

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_managed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_managed(obj) and super().has_delete_permission(request, obj)
