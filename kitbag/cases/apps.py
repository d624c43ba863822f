from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "kitbag.cases"
    verbose_name = "Innovation library"

    def ready(self) -> None:
        # The cases' permission rules join the one table in kitbag.accounts.permissions.
        from kitbag.accounts.services.personal_data import register_personal_data_section
        from kitbag.cases import happenings, permissions  # noqa: F401
        from kitbag.cases.permissions import visible_cases
        from kitbag.cases.personal_data import collect
        from kitbag.cases.queries import library_figures
        from kitbag.cases.search_documents import DOC_TYPE, case_links
        from kitbag.cases.views import account_section, organisation_section
        from kitbag.core.page_cache import refresh_public_pages_on_change
        from kitbag.core.page_sections import register_section
        from kitbag.core.parts import Part, register_part
        from kitbag.search.kinds import SearchKind, register_kind

        # The registry's organisation pages list cases without the registry importing cases.
        register_section(
            page="organisation",
            name="cases",
            template="cases/partials/_organisation_cases.html",
            context=organisation_section,
            order=10,
        )
        # "Your account" links to the cases waiting for the person's review.
        register_section(
            page="account",
            name="cases",
            template="cases/partials/_account_cases.html",
            context=account_section,
            order=10,
        )
        register_part(
            Part(
                name="innovation-library",
                label=_("Innovation library"),
                url_name="cases:case_list",
                purpose=_(
                    "What public services have tried, where, at what cost and with what evidence "
                    "(failures too), and who took it further."
                ),
                figures=library_figures,
                order=20,
            )
        )
        register_personal_data_section(name="innovation_library", collect=collect)
        # Cases can be followed; what happens to them reaches followers (kitbag/core/happenings.py).
        happenings.register()
        # Public cases in the site-wide search (kitbag/search/kinds.py).
        register_kind(
            SearchKind(
                doc_type=DOC_TYPE,
                label=_("case"),
                plural=_("cases"),
                order=20,
                search_url_name="cases:case_list",
                links=case_links,
                # Drafts (and cases in review), to their owner and their lead's members.
                viewer_objects=visible_cases,
                not_public_label=_("Draft"),
            )
        )
        # Cases, their parts, adoptions and relations show on cached public pages.
        refresh_public_pages_on_change(*self.get_models())
