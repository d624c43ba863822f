from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "kitbag.meetings"
    verbose_name = "Open council meetings"

    def ready(self) -> None:
        from kitbag.core.page_sections import register_section
        from kitbag.meetings.views import organisation_section

        # A council's registry page links to its calendar without the registry importing meetings.
        register_section(
            page="organisation",
            name="meetings",
            template="meetings/partials/_organisation_meetings.html",
            context=organisation_section,
            order=20,
        )
