from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "kitbag.conversations"
    verbose_name = "Conversations"

    def ready(self) -> None:
        from kitbag.accounts.services.personal_data import register_personal_data_section
        from kitbag.conversations import permissions  # noqa: F401
        from kitbag.conversations.models import AnalysisRun, Conversation, Statement
        from kitbag.conversations.personal_data import collect
        from kitbag.conversations.queries import conversation_figures
        from kitbag.conversations.search_documents import DOC_TYPE
        from kitbag.conversations.views import consultation_section, organisation_section
        from kitbag.core.page_cache import refresh_public_pages_on_change
        from kitbag.core.page_sections import register_section
        from kitbag.core.parts import Part, register_part
        from kitbag.search.kinds import SearchKind, register_kind

        register_part(
            Part(
                name="conversations",
                label=_("Conversations"),
                url_name="conversations:list",
                purpose=_(
                    "Agree or disagree with short statements; see where a community divides into "
                    "opinion groups and where it quietly agrees."
                ),
                figures=conversation_figures,
                order=55,
            )
        )
        # An organisation's conversations on its registry page, a consultation's on its page
        # (kitbag/core/page_sections.py), so neither app imports this one.
        register_section(
            page="organisation",
            name="conversations",
            template="conversations/partials/_organisation_conversations.html",
            context=organisation_section,
            order=35,
        )
        register_section(
            page="consultation",
            name="conversations",
            template="conversations/partials/_consultation_conversations.html",
            context=consultation_section,
            order=10,
        )
        from kitbag.conversations import happenings

        # Followable, and announcing what happens (kitbag/core/happenings.py).
        happenings.register()
        register_personal_data_section(name="conversations", collect=collect)
        # Every conversation in the site-wide search (kitbag/search/kinds.py); the list page
        # has no search of its own, so "see all" stays on the site-wide page.
        register_kind(
            SearchKind(
                doc_type=DOC_TYPE, label=_("conversation"), plural=_("conversations"), order=55
            )
        )
        # Not Vote or Participant: a vote would otherwise make every cached page stale. What the
        # public pages show of votes comes from analysis runs, debounced (services.py).
        refresh_public_pages_on_change(Conversation, Statement, AnalysisRun)
