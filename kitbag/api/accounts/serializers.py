"""How people, their memberships and the moderation log look in the API.

No email address appears anywhere except in the signed-in person's own record (``/me``).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kitbag.accounts.models import Membership, ModerationLogEntry, Profile, User
from kitbag.api.fields import absolute_url
from kitbag.api.text_fields import TextLimitsSerializerMixin


class ProfileSerializer(serializers.ModelSerializer[Profile]):
    url = serializers.SerializerMethodField(help_text="This profile's record in the API.")

    class Meta:
        model = Profile
        fields = ["id", "url", "display_name", "job_title", "help_with", "is_public", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, profile: Profile) -> str:
        return absolute_url(self.context, reverse("api_profile_detail", args=[profile.pk]))


class ProfileUpdateSerializer(TextLimitsSerializerMixin, serializers.ModelSerializer[Profile]):
    """The fields a person may change on their own profile; send any of them."""

    class Meta:
        model = Profile
        fields = ["display_name", "job_title", "help_with", "is_public"]
        extra_kwargs: dict[str, dict[str, Any]] = {
            "display_name": {"required": False},
            "job_title": {"required": False},
            "help_with": {"required": False},
            "is_public": {"required": False},
        }


class MembershipOrganisationSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    organisation = MembershipOrganisationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation", "role", "method", "started_at"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer[User]):
    profile = serializers.SerializerMethodField()
    memberships = serializers.SerializerMethodField(help_text="Active memberships only.")

    class Meta:
        model = User
        fields = ["email", "is_moderator", "profile", "memberships"]
        read_only_fields = fields

    # drf-spectacular cannot see what a method returns; these say it for the schema.
    @extend_schema_field(ProfileSerializer(allow_null=True))
    def get_profile(self, user: User) -> dict[str, Any] | None:
        profile = Profile.objects.filter(user=user).first()
        return ProfileSerializer(profile, context=self.context).data if profile else None

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, user: User) -> list[dict[str, Any]]:
        active = Membership.objects.active().filter(user=user).select_related("organisation")
        return MembershipSerializer(active, many=True).data  # type: ignore[return-value]


class ModerationLogEntrySerializer(serializers.ModelSerializer[ModerationLogEntry]):
    actor = serializers.CharField(
        source="actor_label", read_only=True, help_text="The actor's role, never their identity."
    )
    object = serializers.CharField(source="object_label", read_only=True)

    class Meta:
        model = ModerationLogEntry
        fields = [
            "id",
            "created_at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "object",
            "reason",
            "visibility",
        ]
        read_only_fields = fields
