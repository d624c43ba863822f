from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "kitbag.network"
    verbose_name = "Network: people who can help"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kitbag.accounts.models import Membership, Profile, User
        from kitbag.accounts.services.personal_data import (
            register_erasure_step,
            register_personal_data_section,
        )
        from kitbag.core.page_cache import refresh_public_pages_on_change
        from kitbag.core.page_sections import register_section
        from kitbag.core.parts import Part, register_part
        from kitbag.network import permissions  # noqa: F401
        from kitbag.network.models import FreeTag, HelpOffer
        from kitbag.network.personal_data import collect, erase
        from kitbag.network.queries import people_figures
        from kitbag.network.search_documents import DOC_TYPE, person_links
        from kitbag.network.views import account_section
        from kitbag.search.kinds import SearchKind, register_kind

        # People with public profiles in the site-wide search (kitbag/search/kinds.py).
        register_kind(
            SearchKind(
                doc_type=DOC_TYPE,
                label=_("person"),
                plural=_("people"),
                order=65,
                search_url_name="network:people",
                links=person_links,
            )
        )

        register_part(
            Part(
                name="people",
                label=_("People"),
                url_name="network:people",
                purpose=_(
                    "Find someone in another public body who has done what you are about to do, "
                    "and ask them for help without either of you giving out an address."
                ),
                figures=people_figures,
                order=60,
            )
        )
        register_section(
            page="account",
            name="network",
            template="network/partials/_account_people.html",
            context=account_section,
            order=40,
        )
        register_personal_data_section(name="network", collect=collect)
        register_erasure_step(name="network", erase=erase)
        refresh_public_pages_on_change(HelpOffer, FreeTag)
        # The accounts app must not know of the network (dependencies point inward), so the
        # network listens for the changes that decide whether, and as what, a person is findable:
        # their profile, their account being deactivated, a membership starting or ending. The
        # handlers only call the service that rewrites or removes the search document
        # (decision 0041).
        post_save.connect(_profile_saved, sender=Profile, dispatch_uid="network.profile-saved")
        post_delete.connect(
            _profile_deleted, sender=Profile, dispatch_uid="network.profile-deleted"
        )
        post_save.connect(_user_saved, sender=User, dispatch_uid="network.user-saved")
        post_save.connect(
            _membership_saved, sender=Membership, dispatch_uid="network.membership-saved"
        )


def _profile_saved(instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: the rows are written as they are, and the index with them if at all
        return
    from kitbag.network.services import reindex_profile

    reindex_profile(profile_id=instance.pk)


def _profile_deleted(instance: Any, **kwargs: Any) -> None:
    from kitbag.network.search_documents import DOC_TYPE
    from kitbag.search.services import remove_document

    remove_document(doc_type=DOC_TYPE, object_id=str(instance.pk))


def _user_saved(instance: Any, update_fields: Any = None, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    # A sign-in saves last_login only; only a change that may hide or show the person counts.
    if update_fields is not None and "is_active" not in update_fields:
        return
    from kitbag.network.services import reindex_person

    reindex_person(user_id=instance.pk)


def _membership_saved(instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.user_id is None:
        return
    from kitbag.network.services import reindex_person

    reindex_person(user_id=instance.user_id)
