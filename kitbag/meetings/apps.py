from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "kitbag.meetings"
    verbose_name = "Open council meetings"

    def ready(self) -> None:
        # The openness rules join the one table in kitbag.accounts.permissions.
        from kitbag.accounts.services.personal_data import register_personal_data_section
        from kitbag.core.page_cache import refresh_public_pages_on_change
        from kitbag.core.page_sections import register_section
        from kitbag.meetings import models, permissions  # noqa: F401
        from kitbag.meetings.calendar.views import organisation_section
        from kitbag.meetings.openness.views import organisation_section as openness_section
        from kitbag.meetings.personal_data import collect

        # A council's registry page links to its calendar without the registry importing meetings.
        register_section(
            page="organisation",
            name="meetings",
            template="meetings/partials/_organisation_meetings.html",
            context=organisation_section,
            order=20,
        )
        register_section(
            page="organisation",
            name="meeting-openness",
            template="meetings/partials/_organisation_openness.html",
            context=openness_section,
            order=21,
        )
        register_personal_data_section(name="meetings", collect=collect)
        # Everything but the sync's own bookkeeping of each request to a council's server.
        refresh_public_pages_on_change(
            *(
                model
                for model in self.get_models()
                if model not in {models.EndpointHealth, models.FetchValidator}
            )
        )
