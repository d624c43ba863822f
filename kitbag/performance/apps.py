from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "kitbag.performance"
    verbose_name = "Partnership performance"

    def ready(self) -> None:
        from kitbag.core.page_cache import refresh_public_pages_on_change
        from kitbag.core.page_sections import register_section
        from kitbag.core.parts import Part, register_part
        from kitbag.performance import happenings, permissions, resource_uses  # noqa: F401
        from kitbag.performance.partnership_views import (
            organisation_partnerships_section,
            person_partnerships_section,
        )
        from kitbag.performance.permissions import visible_partnerships
        from kitbag.performance.queries import performance_figures
        from kitbag.performance.search_documents import DOC_TYPE, partnership_links
        from kitbag.performance.views import organisation_section
        from kitbag.search.kinds import SearchKind, register_kind

        # Public partnerships in the site-wide search (kitbag/search/kinds.py).
        register_kind(
            SearchKind(
                doc_type=DOC_TYPE,
                label=_("partnership"),
                plural=_("partnerships"),
                order=60,
                links=partnership_links,
                # Partners-only and one organisation's partnerships, to those who may see them.
                viewer_objects=visible_partnerships,
                not_public_label=_("Not public"),
            )
        )

        # The registry's organisation pages show the body's latest figures without the
        # registry importing this app.
        register_section(
            page="organisation",
            name="performance",
            template="performance/partials/_organisation_performance.html",
            context=organisation_section,
            order=40,
        )
        register_section(
            page="organisation",
            name="partnerships",
            template="performance/partials/_organisation_partnerships.html",
            context=organisation_partnerships_section,
            order=41,
        )
        # Partnerships can say which of the library's resources they used (resources/used_by.py).
        resource_uses.register()
        # A person's page (kitbag/network) lists their partnerships without network importing us.
        register_section(
            page="person",
            name="partnerships",
            template="performance/partials/_person_partnerships.html",
            context=person_partnerships_section,
            order=30,
        )
        register_part(
            Part(
                name="performance",
                label=_("Performance"),
                url_name="performance:indicator_list",
                purpose=_(
                    "Published council performance figures compared the way their publishers "
                    "compare them, with where every number came from (evaluation only)."
                ),
                figures=performance_figures,
                order=45,
            )
        )
        # Partnerships can be followed; published figures reach followers (core/happenings.py).
        happenings.register()
        refresh_public_pages_on_change(*self.get_models())
