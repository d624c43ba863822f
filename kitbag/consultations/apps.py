from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "kitbag.consultations"
    verbose_name = "Consultations"

    def ready(self) -> None:
        # The consultations' rules join the one table in kitbag.accounts.permissions.
        from kitbag.accounts.services.personal_data import (
            register_erasure_step,
            register_personal_data_section,
        )
        from kitbag.consultations import models, permissions  # noqa: F401
        from kitbag.consultations.permissions import visible_consultations
        from kitbag.consultations.personal_data import collect, erase
        from kitbag.consultations.queries import consultation_figures
        from kitbag.consultations.search_documents import DOC_TYPE, consultation_links
        from kitbag.consultations.views import account_section, organisation_section
        from kitbag.core.page_cache import refresh_public_pages_on_change
        from kitbag.core.page_sections import register_section
        from kitbag.core.parts import Part, register_part
        from kitbag.search.kinds import SearchKind, register_kind

        register_section(
            page="organisation",
            name="consultations",
            template="consultations/partials/_organisation_consultations.html",
            context=organisation_section,
            order=30,
        )
        # "Your account" shows official responses to the person's comments.
        register_section(
            page="account",
            name="consultations",
            template="consultations/partials/_account_consultations.html",
            context=account_section,
            order=30,
        )
        from kitbag.consultations import happenings

        # Followable, and announcing what happens (kitbag/core/happenings.py).
        happenings.register()
        register_part(
            Part(
                name="consultations",
                label=_("Consultations"),
                url_name="consultations:consultation_list",
                purpose=_(
                    "Proposals from public bodies, discussed paragraph by paragraph, with every "
                    "comment's official answer and how often and how fast they answer."
                ),
                figures=consultation_figures,
                order=50,
            )
        )
        register_personal_data_section(name="consultations", collect=collect)
        # Consultations other than drafts in the site-wide search (kitbag/search/kinds.py).
        register_kind(
            SearchKind(
                doc_type=DOC_TYPE,
                label=_("consultation"),
                plural=_("consultations"),
                order=50,
                search_url_name="consultations:consultation_list",
                links=consultation_links,
                # Drafts, to their organisation's members.
                viewer_objects=visible_consultations,
                not_public_label=_("Draft"),
            )
        )
        register_erasure_step(name="consultations", erase=erase)
        # Flags and participants' choices show on no public page.
        refresh_public_pages_on_change(
            *(
                model
                for model in self.get_models()
                if model not in {models.CommentFlag, models.Participant}
            )
        )
