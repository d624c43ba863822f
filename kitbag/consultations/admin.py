from django.contrib import admin

from kitbag.consultations.models import Comment, CommentFlag, Consultation, Paragraph, Version


class VersionInline(admin.TabularInline):
    model = Version
    fields = ("number", "published_at")
    readonly_fields = ("number", "published_at")
    extra = 0
    show_change_link = True


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "status", "opens_at", "closes_at")
    list_filter = ("status", "moderation")
    search_fields = ("title", "slug")
    raw_id_fields = ("organisation", "created_by")
    filter_horizontal = ("services",)
    inlines = [VersionInline]


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    fields = ("position", "key", "kind", "text")
    readonly_fields = ("position", "key", "kind", "text")
    extra = 0


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    list_display = ("consultation", "number", "published_at")
    inlines = [ParagraphInline]


# Moderation goes through the moderators' queue, so that every step is in the log: the admin
# shows comments but changes nothing about them.
@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("key", "consultation", "display_name", "is_official", "state", "created_at")
    list_filter = ("state", "is_official")
    search_fields = ("key", "display_name")

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(CommentFlag)
class CommentFlagAdmin(admin.ModelAdmin):
    list_display = ("comment", "created_at", "resolved_at")
