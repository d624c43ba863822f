from django.contrib import admin

from kitbag.events.models import Event, EventLink, Room, Series, Session, SignUp, Slot


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "organisation"]
    list_filter = ["kind", "attendance", "nation"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["organisation", "organiser", "series"]


admin.site.register(Series)
admin.site.register(SignUp)
admin.site.register(EventLink)
admin.site.register(Room)
admin.site.register(Slot)
admin.site.register(Session)
