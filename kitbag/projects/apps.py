from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "kitbag.projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        # The projects' rules join the one table in kitbag.accounts.permissions.
        from kitbag.accounts.services.personal_data import (
            register_erasure_step,
            register_personal_data_section,
        )
        from kitbag.core.page_cache import refresh_public_pages_on_change
        from kitbag.core.page_sections import register_section
        from kitbag.core.parts import Figure, Part, register_part
        from kitbag.projects import happenings, models, permissions, queries  # noqa: F401
        from kitbag.projects.permissions import visible_projects
        from kitbag.projects.personal_data import collect, erase
        from kitbag.projects.search_documents import DOC_TYPE, project_links
        from kitbag.projects.views import organisation_section
        from kitbag.search.kinds import SearchKind, register_kind

        # Public projects in the site-wide search (kitbag/search/kinds.py).
        register_kind(
            SearchKind(
                doc_type=DOC_TYPE,
                label=_("project"),
                plural=_("projects"),
                order=62,
                links=project_links,
                # Partners-only projects, to their owner and partners (permissions.py).
                viewer_objects=visible_projects,
                not_public_label=_("Not public"),
            )
        )

        register_section(
            page="organisation",
            name="projects",
            template="projects/partials/_organisation_projects.html",
            context=organisation_section,
            order=45,
        )
        register_part(
            Part(
                name="projects",
                label=_("Projects"),
                url_name="projects:project_list",
                purpose=_(
                    "Partners' projects toward shared outcomes, rated red, amber or green, with "
                    "councillors' questions and overlapping work across agencies found."
                ),
                figures=lambda: [
                    Figure(label=label, value=value) for label, value in queries.project_figures()
                ],
                order=46,
            )
        )
        happenings.register()
        register_personal_data_section(name="projects", collect=collect)
        register_erasure_step(name="projects", erase=erase)
        # The organisation page shows public projects to the public; suggestions and councillors
        # show on no public page.
        refresh_public_pages_on_change(models.Project, models.Milestone, models.Question)
