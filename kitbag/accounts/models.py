"""People, the organisations they may speak for, their API tokens, and the logs of what was done.

A person signs in by email. They become a verified member of an organisation by confirming an email
address at one of its domains, by invitation, or by an admin. Memberships are never deleted: leaving
or removal ends them, so the history of who could speak for whom is kept.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kitbag.registry.models import Organisation


class EmailUserManager(UserManager["User"]):
    """Users are identified by email address; there is no username."""

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> User:  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    # Platform roles. Staff (is_staff) run the service; moderators act on moderation queues.
    is_moderator = models.BooleanField(_("moderator"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = EmailUserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class Profile(models.Model):
    """What a person chooses to show others. Private unless they make it public."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("name"), max_length=120, blank=True)
    job_title = models.CharField(_("role"), max_length=120, blank=True)
    help_with = models.TextField(_("what I can help with"), blank=True, max_length=2000)
    # Which of their organisations the person shows; only shown while that membership is active.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation"),
    )
    is_public = models.BooleanField(_("show my profile publicly"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.display_name or f"Profile {self.pk}"


class OrganisationDomain(models.Model):
    """An email domain whose confirmed addresses make a person a verified member."""

    class Source(models.TextChoices):
        REGISTRY = "registry", _("From the registry")
        ADMIN = "admin", _("Added by an admin")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="email_domains"
    )
    domain = models.CharField(max_length=253, unique=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    EDITOR = "editor", _("Editor")  # publishes on the organisation's behalf
    ADMIN = "admin", _("Admin")  # manages members and domains


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        """Memberships that have not ended: the only ones that grant anything."""
        return self.filter(ended_at__isnull=True)

    def organisation_ids(self) -> models.QuerySet[Any]:
        """The organisations of these memberships, as a subquery (`pk__in=...`)."""
        return self.values("organisation_id")


class Membership(models.Model):
    class Method(models.TextChoices):
        EMAIL_DOMAIN = "email-domain", _("Confirmed an email address at the organisation's domain")
        INVITATION = "invitation", _("Invited by an organisation admin")
        STAFF = "staff", _("Added by Kitbag staff")

    class EndReason(models.TextChoices):
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed")
        ACCOUNT_DELETED = "account-deleted", _("Account deleted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    method = models.CharField(max_length=16, choices=Method.choices)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(ended_at__isnull=True),
                name="one_active_membership_per_person_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    # Only a hash is kept: the token itself is in the email and nowhere else.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.organisation} for {self.email}"


class ApiToken(models.Model):
    """A personal API token for writes. Only its hash is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    prefix = models.CharField(
        max_length=12, help_text=_("The first characters, to tell tokens apart.")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("This log is append-only: entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("This log is append-only: entries cannot be deleted.")


class AppendOnlyModel(models.Model):
    """Rows are written once and never changed or deleted through the application."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("This log is append-only: entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("This log is append-only: entries cannot be deleted.")


class ModerationLogEntry(AppendOnlyModel):
    """Who did what to which object, why and when. Later parts (reports, comments) write here."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MODERATORS = "moderators", _("Moderators and staff only")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the public log shows for the actor: their role ("a moderator"), never their email.
    actor_label = models.CharField(max_length=120)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=255)
    reason = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "moderation log entries"

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_label}"


class AuditEvent(AppendOnlyModel):
    """Security-relevant events (sign-in, roles, memberships), for staff. Not public."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed-in", _("Signed in")
        SIGN_IN_FAILED = "sign-in-failed", _("Sign-in failed")
        SIGNED_OUT = "signed-out", _("Signed out")
        SIGNED_UP = "signed-up", _("Signed up")
        EMAIL_CONFIRMED = "email-confirmed", _("Email address confirmed")
        PASSWORD_CHANGED = "password-changed", _("Password changed")
        MEMBERSHIP_STARTED = "membership-started", _("Membership started")
        MEMBERSHIP_ROLE_CHANGED = "membership-role-changed", _("Membership role changed")
        MEMBERSHIP_ENDED = "membership-ended", _("Membership ended")
        DOMAIN_ADDED = "domain-added", _("Organisation domain added")
        DOMAIN_REMOVED = "domain-removed", _("Organisation domain removed")
        INVITATION_SENT = "invitation-sent", _("Invitation sent")
        INVITATION_REVOKED = "invitation-revoked", _("Invitation withdrawn or replaced")
        INVITATION_ACCEPTED = "invitation-accepted", _("Invitation accepted")
        PROFILE_CHANGED = "profile-changed", _("Profile changed")
        PLATFORM_ROLE_CHANGED = "platform-role-changed", _("Platform role changed")
        TOKEN_CREATED = "token-created", _("API token created")
        TOKEN_REVOKED = "token-revoked", _("API token revoked")
        DATA_EXPORTED = "data-exported", _("Personal data downloaded")
        ACCOUNT_DELETED = "account-deleted", _("Account deleted")
        # Spread records go when removed; the audit log keeps that they were there.
        ADOPTION_REMOVED = "adoption-removed", _("Adoption of a case removed")
        RELATION_REMOVED = "relation-removed", _("Relation between cases removed")
        EDITOR_ROLE_REQUESTED = "editor-role-requested", _("Asked to become an editor")
        # A partnership's councillor sees its partners-only projects: a grant like a role.
        COUNCILLOR_NAMED = "councillor-named", _("Councillor named for a partnership")
        COUNCILLOR_REMOVED = "councillor-removed", _("Councillor removed from a partnership")
        PROJECTS_COMBINED = "projects-combined", _("Two projects combined into one")
        # A resource's "used by" records go when removed; the audit log keeps who removed them.
        RESOURCE_USE_REMOVED = "resource-use-removed", _("Resource's use removed")

    kind = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    # The person the event is about and the person who caused it (often the same). Both are
    # cleared when an account is erased; the event itself stays, about "a former user".
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at:%Y-%m-%d %H:%M}"
