from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "kitbag.meetings"
    verbose_name = "Open council meetings"

    def ready(self) -> None:
        # The openness rules join the one table in kitbag.accounts.permissions.
        from kitbag.accounts.services.personal_data import register_personal_data_section
        from kitbag.core.page_cache import refresh_public_pages_on_change
        from kitbag.core.page_sections import register_section
        from kitbag.core.parts import Part, register_part
        from kitbag.meetings import models, permissions  # noqa: F401
        from kitbag.meetings.calendar.queries import calendar_figures
        from kitbag.meetings.calendar.views import organisation_section
        from kitbag.meetings.openness.queries import openness_figures
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
        # Two parts in the service navigation and on the home page (kitbag/core/parts.py).
        register_part(
            Part(
                name="council-meetings",
                label=_("Council meetings"),
                url_name="meetings:index",
                purpose=_(
                    "Upcoming and past meetings of councils and their committees, with their papers "
                    "and calendar feeds you can subscribe to."
                ),
                figures=calendar_figures,
                order=30,
            )
        )
        register_part(
            Part(
                name="meeting-openness",
                label=_("Meeting openness"),
                url_name="meetings:openness_national",
                purpose=_(
                    "Whether you may film, record or report each council's meetings, the law in each "
                    "nation, and where to say when you were stopped."
                ),
                figures=openness_figures,
                covers=("meetings:openness_",),
                order=40,
            )
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
