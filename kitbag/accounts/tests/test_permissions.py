"""The permissions module itself: unknown questions fail loudly, inactive accounts count for
nothing, ended memberships give no rights, and each list helper agrees with can()."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from kitbag.accounts import permissions
from kitbag.accounts.audit import log_moderation, record_audit_event
from kitbag.accounts.models import (
    AuditEvent,
    Membership,
    MembershipRole,
    ModerationLogEntry,
    Profile,
    User,
)
from kitbag.accounts.permissions import UnknownPermission, can
from kitbag.accounts.services.tokens import create_token
from kitbag.accounts.tests.factories import MembershipFactory
from kitbag.accounts.tests.permission_world import ROLES, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def test_asking_about_an_action_with_no_rule_is_an_error(world: World) -> None:
    with pytest.raises(UnknownPermission, match="'publish' on Organisation"):
        can(world.person("staff"), "publish", world.organisation)
    with pytest.raises(UnknownPermission, match="no object"):
        can(world.person("staff"), "view")


def test_a_deactivated_admin_can_do_no_more_than_the_anonymous(world: World) -> None:
    admin = world.person("admin")
    assert admin is not None and can(admin, "manage_members", world.organisation)
    admin.is_active = False
    admin.save()
    assert not can(admin, "manage_members", world.organisation)
    assert not can(admin, "create_api_token")


def test_an_ended_membership_gives_no_rights(world: World) -> None:
    admin = world.person("admin")
    Membership.objects.filter(user=admin).update(ended_at=timezone.now(), end_reason="left")
    assert not can(admin, "manage_members", world.organisation)
    assert not can(admin, "publish_on_behalf", world.organisation)


def test_being_admin_of_one_organisation_gives_nothing_in_another(world: World) -> None:
    other_admin = world.person("other_admin")
    assert can(other_admin, "manage_members", world.other_organisation)
    assert not can(other_admin, "manage_members", world.organisation)


def test_anonymous_may_be_passed_as_none_or_anonymous_user(world: World) -> None:
    for anonymous in (None, AnonymousUser()):
        assert can(anonymous, "view", world.organisation)
        assert not can(anonymous, "create_api_token")


def test_nobody_may_change_or_delete_a_log_entry_not_even_staff(world: World) -> None:
    superuser = User.objects.create_superuser("root@example.org")
    entry = log_moderation(
        actor=None,
        actor_label="a moderator",
        action="hid",
        object_type="x",
        object_id=1,
        object_label="x",
    )
    event = record_audit_event(AuditEvent.Kind.SIGNED_IN, subject=superuser)
    for obj in (entry, event):
        assert not can(superuser, "change", obj)
        assert not can(superuser, "delete", obj)


def test_a_public_profile_of_a_deactivated_account_is_not_shown(world: World) -> None:
    profile = Profile.objects.create(user=world.member, display_name="Pat", is_public=True)
    world.member.is_active = False
    world.member.save()
    assert not can(None, "view", profile)
    assert profile not in permissions.visible_profiles(None)
    assert can(world.person("staff"), "view", profile)


@pytest.mark.parametrize("role", ROLES)
def test_each_list_helper_returns_exactly_what_can_view_allows(world: World, role: str) -> None:
    viewer = world.person(role)
    editor = world.person("editor")
    assert editor is not None
    Profile.objects.create(user=world.member, display_name="Public", is_public=True)
    Profile.objects.create(user=editor, display_name="Private", is_public=False)
    for visibility in ModerationLogEntry.Visibility:
        log_moderation(
            actor=None,
            actor_label="a moderator",
            action="hid",
            object_type="comment",
            object_id=1,
            object_label="c",
            visibility=visibility,
        )
    record_audit_event(AuditEvent.Kind.SIGNED_IN, subject=world.member)
    create_token(user=world.member, name="script")
    MembershipFactory.create(
        user=editor,
        organisation=world.other_organisation,
        role=MembershipRole.MEMBER,
    )
    pairs = [
        (permissions.visible_profiles, Profile.objects.all(), "view"),
        (permissions.visible_moderation_entries, ModerationLogEntry.objects.all(), "view"),
        (permissions.visible_memberships, Membership.objects.all(), "view"),
        (permissions.visible_audit_events, AuditEvent.objects.all(), "view"),
        (permissions.manageable_tokens, world.member.api_tokens.all(), "manage"),
    ]
    for helper, everything, action in pairs:
        expected = {obj.pk for obj in everything if can(viewer, action, obj)}
        assert set(helper(viewer).values_list("pk", flat=True)) == expected, helper.__name__


def test_the_module_docstring_table_names_every_rule() -> None:
    import importlib

    from django.apps import apps

    # Apps add their rows from their own permissions module, whose docstring holds their table.
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("kitbag."):
            try:
                modules.append(importlib.import_module(f"{config.name}.permissions"))
            except ModuleNotFoundError as missing:
                if missing.name != f"{config.name}.permissions":
                    raise
                continue
    doc = "\n".join(module.__doc__ or "" for module in modules)
    for type_, action in permissions.RULES:
        row = [line for line in doc.splitlines() if action in line]
        assert row, f"{action} is not in the table in the docstring"
        if type_ is not None:
            assert any(type_.__name__ in line for line in row), (type_.__name__, action)


def test_a_rule_defined_twice_is_refused_and_the_table_is_unchanged() -> None:
    before = dict(permissions.RULES)
    with pytest.raises(permissions.DuplicatePermission, match="Profile: view"):
        permissions.register_rules(
            {(Profile, "view"): permissions.nobody, (Profile, "a-new-action"): permissions.anyone}
        )
    assert before == permissions.RULES
