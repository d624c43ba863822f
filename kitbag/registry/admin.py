from django.contrib import admin

from kitbag.registry.models import (
    Identifier,
    Organisation,
    OrganisationName,
    ParentLink,
    Succession,
)


class IdentifierInline(admin.TabularInline):
    model = Identifier
    extra = 0


class OrganisationNameInline(admin.TabularInline):
    model = OrganisationName
    extra = 0


class ParentLinkInline(admin.TabularInline):
    model = ParentLink
    fk_name = "child"
    extra = 0
    autocomplete_fields = ["parent"]
    verbose_name = "parent"
    verbose_name_plural = "parents"


class SuccessionInline(admin.TabularInline):
    model = Succession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]
    verbose_name = "successor"
    verbose_name_plural = "successors"


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "classification_code", "code", "nation", "region", "end_date"]
    list_filter = ["kind", "nation", "classification_code"]
    # search_text holds every name and alias, lower-cased, so one field finds any of them.
    search_fields = ["name", "code", "search_text", "identifiers__value"]
    search_help_text = "Any name, alias or code."
    list_per_page = 50
    show_full_result_count = False
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["search_text", "created_at", "updated_at"]
    inlines = [IdentifierInline, OrganisationNameInline, ParentLinkInline, SuccessionInline]
