from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "kitbag.follows"
    verbose_name = "Follows and digests"

    def ready(self) -> None:
        from kitbag.accounts.services.personal_data import register_personal_data_section
        from kitbag.core.happenings import add_happening_receiver, add_key_mover
        from kitbag.core.page_sections import register_section
        from kitbag.follows import permissions  # noqa: F401
        from kitbag.follows.personal_data import collect
        from kitbag.follows.services import move_follows, store_happening
        from kitbag.follows.views import account_section

        add_happening_receiver("follows", store_happening)
        add_key_mover("follows", move_follows)
        register_personal_data_section(name="follows", collect=collect)
        register_section(
            page="account",
            name="follows",
            template="follows/partials/_account_following.html",
            context=account_section,
            order=60,
        )
