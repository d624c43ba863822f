from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "kitbag.registry"
    verbose_name = "Registry of public bodies"

    def ready(self) -> None:
        from kitbag.core.page_cache import refresh_public_pages_on_change
        from kitbag.core.parts import Part, register_part
        from kitbag.registry import happenings
        from kitbag.registry.queries import register_figures
        from kitbag.registry.search_documents import DOC_TYPE
        from kitbag.search.kinds import SearchKind, register_kind

        # Followable, and announcing what happens (kitbag/core/happenings.py).
        happenings.register()
        refresh_public_pages_on_change(*self.get_models())
        # In the service navigation and on the home page (kitbag/core/parts.py).
        register_part(
            Part(
                name="organisations",
                label=_("Organisations"),
                url_name="registry:organisation_list",
                purpose=_(
                    "Every council, police force, NHS trust and central government body, with its "
                    "official codes, history and links, and all Kitbag knows about it."
                ),
                figures=register_figures,
                links=((_("See every council on a map"), "registry:council_map"),),
                order=10,
            )
        )
        # Every body in the site-wide search (kitbag/search/kinds.py); its documents are made
        # after each import (search_documents.py). No search page of its own takes the same
        # words the same way (the list's is a name search), so "see all" stays on the site-wide
        # page.
        register_kind(
            SearchKind(
                doc_type=DOC_TYPE, label=_("organisation"), plural=_("organisations"), order=10
            )
        )
