from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "kitbag.events"
    verbose_name = "Events"

    def ready(self) -> None:
        # The events' rules join the one table in kitbag.accounts.permissions.
        from kitbag.accounts.services.personal_data import (
            register_erasure_step,
            register_personal_data_section,
        )
        from kitbag.core.page_cache import refresh_public_pages_on_change
        from kitbag.core.page_sections import register_section
        from kitbag.core.parts import Part, register_part
        from kitbag.events import happenings, models, permissions, resource_uses  # noqa: F401
        from kitbag.events.permissions import visible_events
        from kitbag.events.personal_data import collect, erase
        from kitbag.events.queries import event_figures
        from kitbag.events.search_documents import DOC_TYPE, event_links
        from kitbag.events.views import organisation_section
        from kitbag.search.kinds import SearchKind, register_kind

        # Events in the site-wide search (kitbag/search/kinds.py); the list page has no word search.
        register_kind(
            SearchKind(
                doc_type=DOC_TYPE,
                label=_("event"),
                plural=_("events"),
                order=70,
                links=event_links,
                # Drafts, to their organisers.
                viewer_objects=visible_events,
                not_public_label=_("Draft"),
            )
        )
        register_section(
            page="organisation",
            name="events",
            template="events/partials/_organisation_events.html",
            context=organisation_section,
            order=40,
        )
        register_part(
            Part(
                name="events",
                label=_("Events"),
                url_name="events:event_list",
                purpose=_(
                    "Conferences, workshops, meetups and unconferences: where to meet the people "
                    "doing the work, with the session grid of each unconference."
                ),
                figures=event_figures,
                order=58,
            )
        )
        # Events say which of the library's resources they used (resources/used_by.py).
        resource_uses.register()
        # Events and series can be followed; new events reach followers (core/happenings.py).
        happenings.register()
        register_personal_data_section(name="events", collect=collect)
        register_erasure_step(name="events", erase=erase)
        # Who marked interest in a session shows on no public page.
        refresh_public_pages_on_change(
            *(model for model in self.get_models() if model is not models.Interest)
        )
