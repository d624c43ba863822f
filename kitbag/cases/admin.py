from django.contrib import admin

from kitbag.cases.models import Adoption, Case, CaseIdentifier, CaseRelation, CaseRevision


class CaseIdentifierInline(admin.TabularInline):
    model = CaseIdentifier
    extra = 0


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("title", "lead_organisation", "status", "source", "updated_at")
    list_filter = ("status", "source", "record_type")
    search_fields = ("title", "summary", "lead_organisation_name")
    raw_id_fields = ("lead_organisation", "owner", "created_by", "confirmed_by")
    readonly_fields = ("uuid", "created_at", "updated_at")
    inlines = [CaseIdentifierInline]


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ("case", "adopter", "status", "updated_at")
    raw_id_fields = ("case", "adopter", "recorded_by", "contact")


@admin.register(CaseRelation)
class CaseRelationAdmin(admin.ModelAdmin):
    list_display = ("from_case", "relation", "to_case", "confirmed_by_both")
    raw_id_fields = ("from_case", "to_case", "recorded_by")


@admin.register(CaseRevision)
class CaseRevisionAdmin(admin.ModelAdmin):
    list_display = ("case", "number", "status", "author", "created_at")
    raw_id_fields = ("case", "author")

    def has_change_permission(self, request, obj=None):
        return False
