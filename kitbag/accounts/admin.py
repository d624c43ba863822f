"""Staff tools. Every change with a rule or an audit entry goes through the same service as the
pages, so the admin cannot do quietly what a page would record; the two logs are read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from kitbag.accounts.models import (
    AuditEvent,
    Invitation,
    Membership,
    MembershipQuerySet,
    MembershipRole,
    ModerationLogEntry,
    OrganisationDomain,
    Profile,
    User,
)
from kitbag.accounts.services import memberships as services
from kitbag.accounts.services.memberships import MembershipError


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the admin site lets only signed-in staff in
    return user


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class EmailUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ("email",)
    list_display = ("email", "is_active", "is_moderator", "is_staff", "last_login")
    list_filter = ("is_active", "is_moderator", "is_staff", "is_superuser")
    search_fields = ("email",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Platform roles", {"fields": ("is_active", "is_moderator", "is_staff", "is_superuser")}),
        ("Django permissions", {"fields": ("groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Platform roles change through the service, which checks and records the change.
        wanted = {"is_moderator": obj.is_moderator, "is_staff": obj.is_staff}
        stored = User.objects.get(pk=obj.pk)
        obj.is_moderator, obj.is_staff = stored.is_moderator, stored.is_staff
        super().save_model(request, obj, form, change)
        try:
            services.set_platform_role(user=obj, by=_staff(request), **wanted)
        except MembershipError as error:
            messages.error(request, str(error))
        obj.refresh_from_db()


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "is_public", "updated_at")
    list_filter = ("is_public",)
    search_fields = ("display_name", "user__email")
    raw_id_fields = ("user",)
    autocomplete_fields = ("organisation",)


class OrganisationDomainForm(forms.ModelForm):
    class Meta:
        model = OrganisationDomain
        fields = ("organisation", "domain")

    def clean_domain(self) -> str:
        try:
            return services.normalise_domain(self.cleaned_data["domain"])
        except MembershipError as error:
            raise forms.ValidationError(str(error)) from error


@admin.register(OrganisationDomain)
class OrganisationDomainAdmin(admin.ModelAdmin):
    form = OrganisationDomainForm
    list_display = ("domain", "organisation", "source", "created_at")
    list_filter = ("source",)
    search_fields = ("domain", "organisation__name")
    autocomplete_fields = ("organisation",)
    actions = ("remove_domains",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A domain is added or removed, never moved: moving would silently re-home members.
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(
        self, request: HttpRequest, obj: OrganisationDomain, form: Any, change: bool
    ) -> None:
        created = services.add_domain(
            organisation=obj.organisation, domain=obj.domain, by=_staff(request)
        )
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: OrganisationDomain) -> None:
        services.remove_domain(domain=obj, by=_staff(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OrganisationDomain]) -> None:
        for domain in queryset.select_related("organisation"):
            services.remove_domain(domain=domain, by=_staff(request))

    @admin.action(description="Remove the selected domains", permissions=["delete"])
    def remove_domains(self, request: HttpRequest, queryset: QuerySet[OrganisationDomain]) -> None:
        self.delete_queryset(request, queryset)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "organisation",
        "role",
        "method",
        "started_at",
        "ended_at",
        "end_reason",
    )
    list_filter = ("role", "method", "end_reason")
    search_fields = ("user__email", "organisation__name")
    raw_id_fields = ("user",)
    autocomplete_fields = ("organisation",)
    actions = ("end_memberships",)

    def get_fields(self, request: HttpRequest, obj: Membership | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("user", "organisation", "role")
        return ("user", "organisation", "role", "method", "started_at", "ended_at", "end_reason")

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> list[str]:
        if obj is None:
            return []
        readonly = ["user", "organisation", "method", "started_at", "ended_at", "end_reason"]
        return readonly if obj.is_active else [*readonly, "role"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Memberships end; they are never deleted, so the history stays.
        return False

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        by = _staff(request)
        if not change:
            assert obj.user is not None
            created = services.grant_membership_by_staff(
                user=obj.user, organisation=obj.organisation, role=MembershipRole(obj.role), by=by
            )
            obj.pk = created.pk
            return
        try:
            services.change_role(membership=obj, role=MembershipRole(obj.role), by=by)
        except MembershipError as error:
            messages.error(request, str(error))

    @admin.action(description="End the selected memberships (removed by staff)")
    def end_memberships(self, request: HttpRequest, queryset: MembershipQuerySet) -> None:
        for membership in queryset.active():
            try:
                services.remove_member(membership=membership, by=_staff(request))
            except MembershipError as error:
                messages.error(request, f"{membership}: {error}")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "organisation",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    list_filter = ("role",)
    search_fields = ("email", "organisation__name")
    exclude = ("token_hash",)
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Invitations carry a token that only the email holds: send them from the members page.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Withdraw the selected invitations")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        for invitation in queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True):
            services.revoke_invitation(invitation=invitation, by=_staff(request))


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """The logs are append-only: staff may read them, nobody may add, change or delete here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyLogAdmin):
    list_display = ("created_at", "kind", "subject", "actor", "organisation")
    list_filter = ("kind",)
    search_fields = ("subject__email", "actor__email", "organisation__name")
    date_hierarchy = "created_at"


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(ReadOnlyLogAdmin):
    list_display = (
        "created_at",
        "actor_label",
        "action",
        "object_type",
        "object_label",
        "visibility",
    )
    list_filter = ("visibility", "action", "object_type")
    search_fields = ("object_label", "reason")
    date_hierarchy = "created_at"
