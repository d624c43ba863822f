"""Every role against every object type on every channel, from one expectation table.

Each row of EXPECTED names an object, a check and the roles that must get through; every other
role must be refused. A check is either the rule itself (``can <action>``) or a channel: a page,
an API call, a download or a feed, where "got through" means a 200 that shows the object (or, for
a form, the change was made) and "refused" means a redirect to sign in, a 403 or a 404, or a
list without the object. Later parts add objects, checks and rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kitbag.accounts.audit import log_moderation, record_audit_event
from kitbag.accounts.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    ModerationLogEntry,
    Profile,
    User,
)
from kitbag.accounts.permissions import can
from kitbag.accounts.services.tokens import create_token
from kitbag.accounts.tests.permission_world import EVERYONE, ROLES, World, build_world

pytestmark = pytest.mark.django_db

# The test client's response type exists only in django-stubs, so it is named loosely here.
Response = Any

NOBODY: frozenset[str] = frozenset()
ORGANISATION_ADMINS = frozenset({"admin", "staff"})
MODERATORS = frozenset({"moderator", "staff"})
OWNER = frozenset({"member"})


def _roles(*roles: str) -> frozenset[str]:
    assert set(roles) <= EVERYONE, roles
    return frozenset(roles)


# object, check, the roles that get through. Everyone else is refused.
EXPECTED: list[tuple[str, str, frozenset[str]]] = [
    ("organisation", "can view", EVERYONE),
    ("organisation", "can manage_members", ORGANISATION_ADMINS),
    ("organisation", "can manage_domains", ORGANISATION_ADMINS),
    ("organisation", "can publish_on_behalf", _roles("editor", "admin")),
    ("organisation", "can grant_membership", _roles("staff")),
    ("organisation", "page: the organisation", EVERYONE),
    ("organisation", "page: members admin", ORGANISATION_ADMINS),
    ("organisation", "api: detail", EVERYONE),
    ("organisation", "download: CSV", EVERYONE),
    ("organisation", "download: JSON", EVERYONE),
    ("public profile", "can view", EVERYONE),
    ("public profile", "can edit", OWNER),
    ("public profile", "page: profile", EVERYONE),
    ("public profile", "api: detail", EVERYONE),
    ("public profile", "api: list", EVERYONE),
    ("private profile", "can view", _roles("member", "staff")),
    ("private profile", "can edit", OWNER),
    # The public profile page shows public profiles only; the owner sees theirs on their account.
    ("private profile", "page: profile", NOBODY),
    ("private profile", "page: own account", OWNER),
    ("private profile", "api: detail", _roles("member", "staff")),
    ("private profile", "api: list", _roles("member", "staff")),
    ("membership", "can view", _roles("member", "admin", "staff")),
    ("membership", "can end", _roles("member", "admin", "staff")),
    ("membership", "page: members admin", ORGANISATION_ADMINS),
    ("membership", "page: leave (POST)", OWNER),
    ("membership", "page: remove (POST)", ORGANISATION_ADMINS),
    # A member (not yet an editor) asks their organisation's admins to make them one.
    ("membership", "can ask_to_become_editor", OWNER),
    ("membership", "page: ask to become an editor (POST)", OWNER),
    ("membership", "api: me", OWNER),
    ("invitation", "can manage", ORGANISATION_ADMINS),
    ("invitation", "page: members admin", ORGANISATION_ADMINS),
    ("invitation", "page: withdraw (POST)", ORGANISATION_ADMINS),
    ("public log entry", "can view", EVERYONE),
    ("public log entry", "can change", NOBODY),
    ("public log entry", "can delete", NOBODY),
    ("public log entry", "page: log", EVERYONE),
    ("public log entry", "page: entry", EVERYONE),
    ("public log entry", "api: list", EVERYONE),
    ("public log entry", "download: CSV", EVERYONE),
    ("public log entry", "feed: Atom", EVERYONE),
    ("moderators log entry", "can view", MODERATORS),
    ("moderators log entry", "can change", NOBODY),
    ("moderators log entry", "can delete", NOBODY),
    ("moderators log entry", "page: log", MODERATORS),
    ("moderators log entry", "page: entry", MODERATORS),
    ("moderators log entry", "api: list", MODERATORS),
    ("moderators log entry", "download: CSV", MODERATORS),
    # The feed is the public log whoever asks: feed URLs are shared and read without a session.
    ("moderators log entry", "feed: Atom", NOBODY),
    ("audit event", "can view", _roles("staff")),
    ("audit event", "can change", NOBODY),
    ("audit event", "can delete", NOBODY),
    ("api token", "can manage", OWNER),
    ("api token", "page: token list", OWNER),
    ("api token", "page: revoke (POST)", OWNER),
    ("personal data", "can export_personal_data", OWNER),
    ("personal data", "can erase_personal_data", OWNER),
    ("personal data", "download: JSON", OWNER),
    ("(no object)", "can create_api_token", EVERYONE - {"anonymous"}),
    ("(no object)", "can moderate", MODERATORS),
    ("(no object)", "can view_audit_log", _roles("staff")),
    ("(no object)", "can override_org_rules", _roles("staff")),
]


# How each object is made, in a world where the member owns everything personal.


def _profile(world: World, *, public: bool) -> Profile:
    name = "Pat Public" if public else "Pat Private"
    return Profile.objects.create(user=world.member, display_name=name, is_public=public)


def _entry(world: World, visibility: ModerationLogEntry.Visibility) -> ModerationLogEntry:
    label = f"Comment {visibility.value} 4471"
    return log_moderation(
        actor=world.person("moderator"),
        actor_label="a moderator",
        action="hid",
        object_type="comment",
        object_id=4471,
        object_label=label,
        reason="Off topic",
        visibility=visibility,
    )


def _invitation(world: World) -> Invitation:
    return Invitation.objects.create(
        organisation=world.organisation,
        email="invitee-5512@example.net",
        token_hash="0" * 64,
        invited_by=world.person("admin"),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )


OBJECTS: dict[str, Callable[[World], Any]] = {
    "organisation": lambda world: world.organisation,
    "public profile": lambda world: _profile(world, public=True),
    "private profile": lambda world: _profile(world, public=False),
    "membership": lambda world: Membership.objects.get(user=world.member),
    "invitation": _invitation,
    "public log entry": lambda world: _entry(world, ModerationLogEntry.Visibility.PUBLIC),
    "moderators log entry": lambda world: _entry(world, ModerationLogEntry.Visibility.MODERATORS),
    "audit event": lambda world: record_audit_event(
        AuditEvent.Kind.SIGNED_IN, subject=world.member, actor=world.member
    ),
    "api token": lambda world: create_token(user=world.member, name="Member's script")[0],
    "personal data": lambda world: world.member,
    "(no object)": lambda world: None,
}


# How each channel is asked. A check answers True for "got through", False for "refused", and
# fails the test on any other answer (a 500, or a 403 where sign-in was expected).


def _refused(response: Response) -> bool:
    if response.status_code == 302:
        assert response["Location"].startswith("/account/login/"), response["Location"]
    else:
        assert response.status_code in {401, 403, 404}, response.status_code
    return False


def _shows(response: Response, text: str) -> bool:
    if response.status_code != 200:
        return _refused(response)
    if response.streaming:
        return text in b"".join(response.streaming_content).decode()
    return text in response.content.decode()


def _in_results(response: Response, key: str, value: object) -> bool:
    if response.status_code != 200:
        return _refused(response)
    return any(row[key] == value for row in response.json()["results"])


def _changed(response: Response, happened: bool) -> bool:
    if not happened:
        return _refused(response)
    assert response.status_code == 302, response.status_code
    return True


Check = Callable[[Client, World, Any], bool]

CHECKS: dict[tuple[str, str], Check] = {
    ("organisation", "page: the organisation"): lambda client, world, org: _shows(
        client.get(f"/organisations/{org.slug}/"), org.name
    ),
    ("organisation", "page: members admin"): lambda client, world, org: _shows(
        client.get(f"/account/organisations/{org.slug}/members/"), "member@example.org"
    ),
    ("organisation", "api: detail"): lambda client, world, org: _shows(
        client.get(f"/api/v1/organisations/{org.slug}"), org.name
    ),
    ("organisation", "download: CSV"): lambda client, world, org: _shows(
        client.get("/organisations/download.csv"), org.name
    ),
    ("organisation", "download: JSON"): lambda client, world, org: _shows(
        client.get("/organisations/download.json"), org.name
    ),
    ("public profile", "page: profile"): lambda client, world, profile: _shows(
        client.get(f"/account/people/{profile.pk}/"), profile.display_name
    ),
    ("public profile", "api: detail"): lambda client, world, profile: _shows(
        client.get(f"/api/v1/profiles/{profile.pk}"), profile.display_name
    ),
    ("public profile", "api: list"): lambda client, world, profile: _in_results(
        client.get("/api/v1/profiles"), "id", profile.pk
    ),
    ("private profile", "page: own account"): lambda client, world, profile: _shows(
        client.get("/account/profile/edit/"), profile.display_name
    ),
    ("membership", "page: members admin"): lambda client, world, membership: _shows(
        client.get(f"/account/organisations/{world.organisation.slug}/members/"),
        "member@example.org",
    ),
    ("membership", "page: leave (POST)"): lambda client, world, membership: _changed(
        client.post(f"/account/memberships/{membership.pk}/leave/"),
        Membership.objects.filter(pk=membership.pk, ended_at__isnull=False).exists(),
    ),
    ("membership", "page: remove (POST)"): lambda client, world, membership: _changed(
        client.post(
            f"/account/organisations/{world.organisation.slug}/members/{membership.pk}/remove/"
        ),
        Membership.objects.filter(pk=membership.pk, ended_at__isnull=False).exists(),
    ),
    ("membership", "page: ask to become an editor (POST)"): lambda client, world, membership: (
        _changed(
            client.post(f"/account/memberships/{membership.pk}/ask-to-become-editor/"),
            AuditEvent.objects.filter(kind=AuditEvent.Kind.EDITOR_ROLE_REQUESTED).exists(),
        )
    ),
    ("membership", "api: me"): lambda client, world, membership: _shows_membership(
        client.get("/api/v1/me"), membership
    ),
    ("invitation", "page: members admin"): lambda client, world, invitation: _shows(
        client.get(f"/account/organisations/{world.organisation.slug}/members/"),
        invitation.email,
    ),
    ("invitation", "page: withdraw (POST)"): lambda client, world, invitation: _changed(
        client.post(
            f"/account/organisations/{world.organisation.slug}/invitations/{invitation.pk}/revoke/"
        ),
        Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=False).exists(),
    ),
    ("api token", "page: token list"): lambda client, world, token: _shows(
        client.get("/account/tokens/"), token.prefix
    ),
    ("api token", "page: revoke (POST)"): lambda client, world, token: _changed(
        client.post(f"/account/tokens/{token.pk}/revoke/"),
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=False).exists(),
    ),
    ("personal data", "download: JSON"): lambda client, world, person: _shows(
        client.post("/account/data/download/"), person.email
    ),
}
for _kind in ("public profile", "private profile"):
    CHECKS[(_kind, "page: profile")] = CHECKS[("public profile", "page: profile")]
    CHECKS[(_kind, "api: detail")] = CHECKS[("public profile", "api: detail")]
    CHECKS[(_kind, "api: list")] = CHECKS[("public profile", "api: list")]
for _kind in ("public log entry", "moderators log entry"):
    CHECKS[(_kind, "page: log")] = lambda client, world, entry: _shows(
        client.get("/account/moderation-log/"), entry.object_label
    )
    CHECKS[(_kind, "page: entry")] = lambda client, world, entry: _shows(
        client.get(f"/account/moderation-log/{entry.pk}/"), entry.object_label
    )
    CHECKS[(_kind, "api: list")] = lambda client, world, entry: _in_results(
        client.get("/api/v1/moderation-log"), "id", entry.pk
    )
    CHECKS[(_kind, "download: CSV")] = lambda client, world, entry: _shows(
        client.get("/account/moderation-log/download.csv"), entry.object_label
    )
    CHECKS[(_kind, "feed: Atom")] = lambda client, world, entry: _shows(
        client.get("/account/moderation-log/feed.atom"), entry.object_label
    )


def _shows_membership(response: Response, membership: Membership) -> bool:
    if response.status_code != 200:
        return _refused(response)
    return any(
        row["organisation"]["slug"] == membership.organisation.slug
        and row["role"] == membership.role
        for row in response.json()["memberships"]
    )


def _check(kind: str, name: str) -> Check:
    if name.startswith("can "):
        action = name.removeprefix("can ")

        def rule(client: Client, world: World, obj: Any) -> bool:
            user = client.user  # type: ignore[attr-defined]  # set by _client_for
            return can(user, action, obj)

        return rule
    return CHECKS[(kind, name)]


def _client_for(world: World, role: str) -> Client:
    client = Client()
    user: User | None = world.person(role)
    if user is not None:
        client.force_login(user)
    client.user = user  # type: ignore[attr-defined]  # lets "can" checks use the same person
    return client


CASES = [
    pytest.param(kind, check, role, role in allowed, id=f"{kind} | {check} | {role}")
    for kind, check, allowed in EXPECTED
    for role in ROLES
]


@pytest.mark.parametrize(("kind", "check", "role", "allowed"), CASES)
def test_each_role_gets_exactly_what_the_table_allows(
    kind: str, check: str, role: str, allowed: bool
) -> None:
    world = build_world()
    obj = OBJECTS[kind](world)
    got_through = _check(kind, check)(_client_for(world, role), world, obj)
    assert got_through is allowed, (
        f"{role} {'should' if allowed else 'should not'} get through {check} on {kind}"
    )


def test_every_channel_check_has_a_row_in_the_table() -> None:
    tabled = {(kind, check) for kind, check, _ in EXPECTED}
    assert set(CHECKS) <= tabled, set(CHECKS) - tabled
