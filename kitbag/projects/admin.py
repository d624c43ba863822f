"""Projects in the admin, for staff to look at. Councillors are named here (and by the
coordinator through services.name_councillor); suggestions are decided on the site, where the
permission rule and the reason are asked for."""

from django.contrib import admin

from kitbag.projects.models import Councillor, DuplicateSuggestion, Milestone, Project


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ("title", "due_on", "done_on")
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "owner_organisation", "status", "visibility", "is_priority")
    list_filter = ("status", "visibility", "is_priority")
    search_fields = ("title", "slug")
    raw_id_fields = ("owner_organisation", "partnership", "created_by", "rag_override_by")
    filter_horizontal = ("partner_organisations", "outcomes", "services")
    inlines = [MilestoneInline]


@admin.register(Councillor)
class CouncillorAdmin(admin.ModelAdmin):
    list_display = ("user", "partnership", "council", "added_at", "ended_at")
    raw_id_fields = ("user", "partnership", "council", "added_by")


@admin.register(DuplicateSuggestion)
class DuplicateSuggestionAdmin(admin.ModelAdmin):
    list_display = ("first", "second", "score", "state", "found_by", "decided_at")
    list_filter = ("state", "found_by")
    readonly_fields = (
        "first",
        "second",
        "score",
        "reasons",
        "found_by",
        "state",
        "decision_reason",
        "decided_by",
        "decided_at",
    )
