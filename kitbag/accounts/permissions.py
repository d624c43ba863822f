"""Who may do what to which object: the one place every page, API endpoint, download, feed and
service asks.

Ask ``can(user, action, obj)`` for one object (``can_for_some_organisation`` for "may they do it
for any organisation of theirs?"), and use the ``visible_*`` helpers for lists, exports and feeds,
so that a row a person may not see never reaches them on any channel. Each helper returns exactly
the rows for which ``can(viewer, "view", row)`` is true (the tests check this).

Roles. *Anonymous*: not signed in, or a deactivated account. *Signed in*: an active account
(allauth lets nobody sign in before they confirm their email address). *Member*, *editor*, *admin*
of an organisation: an active Membership (``ended_at`` is null) with that role. *Moderator*:
``User.is_moderator``. *Staff*: ``User.is_staff``. Roles do not nest: a rule names every role it
allows, so the table below reads without knowing a hierarchy.

=======================  ======================  ==============================================
object                   action                  allowed
=======================  ======================  ==============================================
Organisation             view                    anyone
Organisation             manage_members          its admins, staff
Organisation             manage_domains          its admins, staff
Organisation             publish_on_behalf       its editors and admins
Organisation             grant_membership        staff (adding someone without a domain or
                                                 invitation)
Profile                  view                    anyone if public; otherwise its owner, staff
Profile                  edit                    its owner
Membership               view                    the member, the organisation's admins, staff
Membership               end                     the member (leaving), the organisation's
                                                 admins and staff (removal)
Membership               ask_to_become_editor    the member, while the membership is active and
                                                 its role is member (the request goes to the
                                                 organisation's admins)
Invitation               manage                  the organisation's admins, staff
ModerationLogEntry       view                    anyone if public; moderators-only entries to
                                                 moderators, staff
ModerationLogEntry       change, delete          nobody: the log is append-only
AuditEvent               view                    staff
AuditEvent               change, delete          nobody: the log is append-only
ApiToken                 manage                  its owner
User (their data)        export_personal_data    that person
User (their data)        erase_personal_data     that person
User                     set_platform_role       staff (making someone a moderator or staff)
(no object)              create_api_token        signed in
(no object)              moderate                moderators, staff (the moderation queues)
(no object)              view_audit_log          staff
(no object)              override_org_rules      staff (the last-admin rule; adding a domain
                                                 without an address there)
=======================  ======================  ==============================================

To add a rule, add a row to the table given to ``register_rules`` (and to this table) and a row
to the expectation table in ``tests/test_permission_matrix.py``. Asking about an action that has no row is a programming
error and raises ``UnknownPermission``, so a typo fails loudly in tests instead of quietly denying.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kitbag.accounts.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    MembershipRole,
    ModerationLogEntry,
    Profile,
    User,
)
from kitbag.core.refusals import NotPermitted
from kitbag.registry.models import Organisation

Viewer = AbstractBaseUser | AnonymousUser | None


class UnknownPermission(LookupError):
    """No rule answers this question: add a row to the rules."""


class DuplicatePermission(ValueError):
    """Two rows claim the same (type, action): one app would silently replace another's rule."""


@dataclass
class Actor:
    """The person asking, with their roles looked up once per question."""

    user: User | None
    _roles: dict[int, str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, viewer: Viewer) -> Actor:
        # A deactivated account can do no more than someone who is not signed in.
        if isinstance(viewer, User) and viewer.is_authenticated and viewer.is_active:
            return cls(user=viewer)
        return cls(user=None)

    @property
    def is_signed_in(self) -> bool:
        return self.user is not None

    @property
    def is_staff(self) -> bool:
        return self.user is not None and self.user.is_staff

    @property
    def is_moderator(self) -> bool:
        return self.user is not None and self.user.is_moderator

    def is_user(self, user_id: int | None) -> bool:
        return self.user is not None and user_id is not None and self.user.pk == user_id

    def role_in(self, organisation_id: int | None) -> str | None:
        if self.user is None or organisation_id is None:
            return None
        if organisation_id not in self._roles:
            self._roles[organisation_id] = (
                Membership.objects.active()
                .filter(user=self.user, organisation_id=organisation_id)
                .values_list("role", flat=True)
                .first()
            )
        return self._roles[organisation_id]

    def load_roles(self) -> dict[int, str | None]:
        """Every active role of the person, in one query; role_in() then asks nothing more."""
        if self.user is not None:
            self._roles.update(
                Membership.objects.active()
                .filter(user=self.user)
                .values_list("organisation_id", "role")
            )
        return {pk: role for pk, role in self._roles.items() if role is not None}


Rule = Callable[[Actor, Any], bool]


# Building blocks for the rules. Each takes the actor and the object and answers yes or no.


def anyone(actor: Actor, obj: Any) -> bool:
    return True


def nobody(actor: Actor, obj: Any) -> bool:
    return False


def signed_in(actor: Actor, obj: Any) -> bool:
    return actor.is_signed_in


def staff(actor: Actor, obj: Any) -> bool:
    return actor.is_staff


def moderators(actor: Actor, obj: Any) -> bool:
    return actor.is_moderator


def role_of(*roles: MembershipRole, organisation_id: Callable[[Any], int | None]) -> Rule:
    """People with one of `roles` in the organisation the object belongs to."""
    allowed = {str(role) for role in roles}

    def rule(actor: Actor, obj: Any) -> bool:
        return actor.role_in(organisation_id(obj)) in allowed

    return rule


def owner(user_id: Callable[[Any], int | None]) -> Rule:
    def rule(actor: Actor, obj: Any) -> bool:
        return actor.is_user(user_id(obj))

    return rule


def when(condition: Callable[[Any], bool], rule: Rule) -> Rule:
    """`rule` applies only to objects meeting `condition`; for others it allows nothing."""
    return lambda actor, obj: condition(obj) and rule(actor, obj)


def any_of(*rules: Rule) -> Rule:
    return lambda actor, obj: any(rule(actor, obj) for rule in rules)


ADMIN = MembershipRole.ADMIN
EDITOR = MembershipRole.EDITOR


def _itself(obj: Organisation) -> int | None:
    return obj.pk


def _its_organisation(obj: Membership | Invitation) -> int | None:
    return obj.organisation_id


def _its_user(obj: Profile | Membership | ApiToken) -> int | None:
    return obj.user_id


def _is_public_profile(obj: Profile) -> bool:
    return obj.is_public and obj.user.is_active


def _is_active_plain_membership(obj: Membership) -> bool:
    return obj.is_active and obj.role == MembershipRole.MEMBER


def _is_public_entry(obj: ModerationLogEntry) -> bool:
    return obj.visibility == ModerationLogEntry.Visibility.PUBLIC


RuleKey = tuple[type[Any] | None, str]
# The one table. Keys are (type of object, action); None as the type means an action on no object.
# Filled only through register_rules: this module's rows below, each app's from its permissions.py.
RULES: dict[RuleKey, Rule] = {}


def register_rules(rules: Mapping[RuleKey, Rule]) -> None:
    """Add rows to the table; a row whose key is already there is refused, whoever added it."""
    clashes = sorted(
        f"{'no object' if type_ is None else type_.__name__}: {action}"
        for type_, action in rules
        if (type_, action) in RULES
    )
    if clashes:
        raise DuplicatePermission(f"Permission rules defined twice: {', '.join(clashes)}")
    RULES.update(rules)


register_rules(
    {
        (Organisation, "view"): anyone,
        (Organisation, "manage_members"): any_of(role_of(ADMIN, organisation_id=_itself), staff),
        (Organisation, "manage_domains"): any_of(role_of(ADMIN, organisation_id=_itself), staff),
        (Organisation, "publish_on_behalf"): role_of(EDITOR, ADMIN, organisation_id=_itself),
        (Organisation, "grant_membership"): staff,
        (Profile, "view"): any_of(when(_is_public_profile, anyone), owner(_its_user), staff),
        (Profile, "edit"): owner(_its_user),
        (Membership, "view"): any_of(
            owner(_its_user), role_of(ADMIN, organisation_id=_its_organisation), staff
        ),
        (Membership, "end"): any_of(
            owner(_its_user), role_of(ADMIN, organisation_id=_its_organisation), staff
        ),
        (Membership, "ask_to_become_editor"): when(_is_active_plain_membership, owner(_its_user)),
        (Invitation, "manage"): any_of(role_of(ADMIN, organisation_id=_its_organisation), staff),
        (ModerationLogEntry, "view"): any_of(when(_is_public_entry, anyone), moderators, staff),
        (ModerationLogEntry, "change"): nobody,
        (ModerationLogEntry, "delete"): nobody,
        (AuditEvent, "view"): staff,
        (AuditEvent, "change"): nobody,
        (AuditEvent, "delete"): nobody,
        (ApiToken, "manage"): owner(_its_user),
        (User, "export_personal_data"): owner(lambda person: person.pk),
        (User, "erase_personal_data"): owner(lambda person: person.pk),
        (User, "set_platform_role"): staff,
        (None, "create_api_token"): signed_in,
        (None, "moderate"): any_of(moderators, staff),
        (None, "view_audit_log"): staff,
        (None, "override_org_rules"): staff,
    }
)


def can(user: Viewer, action: str, obj: object | None = None) -> bool:
    """May `user` do `action` to `obj` (or, with no object, do `action` at all)?"""
    return _rule(action, obj)(Actor.of(user), obj)


def require(user: Viewer, action: str, obj: object | None = None, *, message: str = "") -> None:
    """Raise `NotPermitted` unless `can(user, action, obj)`: the check each service makes before
    a write, with the message the person is shown."""
    if not can(user, action, obj):
        raise NotPermitted(message or _("You are not allowed to do this."))


def can_for_some_organisation(
    user: Viewer, action: str, object_of: Callable[[int], object]
) -> bool:
    """May `user` do `action` to the object `object_of(organisation id)` would make for at least
    one organisation they hold a role in (a case they would lead, say)? The rules are asked as
    `can` asks them, with the person's roles looked up once, in one query."""
    actor = Actor.of(user)
    return any(
        _rule(action, obj)(actor, obj)
        for obj in (object_of(organisation_id) for organisation_id in actor.load_roles())
    )


def _rule(action: str, obj: object | None) -> Rule:
    if obj is None:
        types: list[type[Any] | None] = [None]
    else:
        # __class__, not type(): request.user is a lazy proxy that reports the class it wraps.
        # The ancestry is walked so that a subclass (or a proxy model) inherits the rules.
        types = list(obj.__class__.__mro__)
    for type_ in types:
        rule = RULES.get((type_, action))
        if rule is not None:
            return rule
    kind = "no object" if obj is None else obj.__class__.__name__
    raise UnknownPermission(f"No permission rule for {action!r} on {kind}.")


# Lists, exports and feeds: the same rules as querysets, so nothing invisible is ever fetched.


def visible_profiles(viewer: Viewer) -> QuerySet[Profile]:
    actor = Actor.of(viewer)
    profiles = Profile.objects.select_related("user")
    if actor.is_staff:
        return profiles.all()
    public = Q(is_public=True, user__is_active=True)
    if actor.user is not None:
        return profiles.filter(public | Q(user=actor.user))
    return profiles.filter(public)


def visible_moderation_entries(viewer: Viewer) -> QuerySet[ModerationLogEntry]:
    actor = Actor.of(viewer)
    entries = ModerationLogEntry.objects.all()
    if actor.is_moderator or actor.is_staff:
        return entries
    return entries.filter(visibility=ModerationLogEntry.Visibility.PUBLIC)


def visible_memberships(viewer: Viewer) -> QuerySet[Membership]:
    """Memberships, active or ended, that the viewer may see: their own and, for an organisation
    they are an admin of, everyone's."""
    actor = Actor.of(viewer)
    memberships = Membership.objects.select_related("organisation", "user")
    if actor.is_staff:
        return memberships.all()
    if actor.user is None:
        return memberships.none()
    administered = (
        Membership.objects.active()
        .filter(user=actor.user, role=MembershipRole.ADMIN)
        .organisation_ids()
    )
    return memberships.filter(Q(user=actor.user) | Q(organisation_id__in=administered))


def visible_audit_events(viewer: Viewer) -> QuerySet[AuditEvent]:
    actor = Actor.of(viewer)
    return AuditEvent.objects.all() if actor.is_staff else AuditEvent.objects.none()


def manageable_tokens(viewer: Viewer) -> QuerySet[ApiToken]:
    actor = Actor.of(viewer)
    return ApiToken.objects.filter(user=actor.user) if actor.user else ApiToken.objects.none()
