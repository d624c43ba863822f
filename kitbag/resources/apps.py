from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "kitbag.resources"
    verbose_name = "Resources"

    def ready(self) -> None:
        from kitbag.accounts.services.personal_data import (
            register_erasure_step,
            register_personal_data_section,
        )
        from kitbag.core.page_cache import refresh_public_pages_on_change
        from kitbag.core.parts import Part, register_part
        from kitbag.resources import happenings, permissions  # noqa: F401
        from kitbag.resources.models import Recommendation, Resource, Use
        from kitbag.resources.personal_data import collect, erase
        from kitbag.resources.queries import resource_figures
        from kitbag.resources.search_documents import DOC_TYPE, resource_links
        from kitbag.resources.used_by import (
            editable_cases,
            editable_consultations,
            register_use_kind,
            show_cases,
            show_consultations,
        )

        register_part(
            Part(
                name="resources",
                label=_("Resources"),
                url_name="resources:list",
                purpose=_(
                    "A shared library of links: what people recommend and why, by tag, with "
                    "the cases and consultations that used them. Import your bookmarks."
                ),
                figures=resource_figures,
                order=58,
            )
        )
        from kitbag.search.kinds import SearchKind, register_kind

        # Public resources in the site-wide search (kitbag/search/kinds.py).
        register_kind(
            SearchKind(
                doc_type=DOC_TYPE,
                label=_("resource"),
                plural=_("resources"),
                order=80,
                search_url_name="resources:list",
                links=resource_links,
            )
        )
        register_personal_data_section(name="resources", collect=collect)
        register_erasure_step(name="resources", erase=erase)
        # Tags (shared with events) and resources can be followed (core/happenings.py).
        happenings.register()
        register_use_kind(
            "case",
            show_cases,
            label=_("Case"),
            editable=editable_cases,
            page="case",
            identify=lambda case: str(case.uuid),
        )
        register_use_kind(
            "consultation",
            show_consultations,
            label=_("Consultation"),
            editable=editable_consultations,
            page="consultation",
            identify=lambda consultation: consultation.slug,
        )
        refresh_public_pages_on_change(Resource, Recommendation, Use)
