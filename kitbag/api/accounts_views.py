"""The API for people: who am I, my profile (a write, with a token), public profiles, and the
moderation log. Every answer is filtered by kitbag.accounts.permissions, as on the pages."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kitbag.accounts import permissions
from kitbag.accounts.models import ModerationLogEntry, Profile, User
from kitbag.accounts.services.memberships import ensure_profile
from kitbag.accounts.services.profiles import update_profile
from kitbag.api.accounts_serializers import (
    MeSerializer,
    ModerationLogEntrySerializer,
    ProfileSerializer,
    ProfileUpdateSerializer,
)


class KitbagTokenScheme(OpenApiAuthenticationExtension):
    """Tells the OpenAPI schema how to send a Kitbag token."""

    target_class = "kitbag.accounts.authentication.KitbagTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, created at /account/tokens/.",
        }


def _json(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=OpenApiTypes.OBJECT, description=description)


UNAUTHENTICATED = _json(
    "No valid credentials: send Authorization: Bearer <token>. The body says what is wrong."
)
NOT_A_PAGE = _json("There is no such page; the body says so in detail.")
BAD_PAGE_SIZE = _json("page_size is not a whole number from 1; the body says so.")


class PersonalView(APIView):
    """Needs a signed-in person, by token or (in the browser) by session."""

    permission_classes = [IsAuthenticated]
    write_scope = "profile-writes"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # An unsupported method is a 405 whoever asks, not a 401 for the anonymous.
        if request.method and request.method.lower() not in self.http_method_names_allowed():
            self.http_method_not_allowed(request, *args, **kwargs)
        super().initial(request, *args, **kwargs)

    def http_method_names_allowed(self) -> set[str]:
        return {name for name in self.http_method_names if hasattr(self, name)}

    def person(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # IsAuthenticated has let only a person through
        return user


class Me(PersonalView):
    @extend_schema(
        operation_id="me_retrieve",
        summary="The signed-in person",
        description="Your email address, profile and active memberships. Needs a token.",
        responses={
            200: OpenApiResponse(MeSerializer, description="You."),
            401: UNAUTHENTICATED,
        },
    )
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(self.person(), context={"request": request}).data)


class MyProfile(PersonalView):
    @extend_schema(
        operation_id="me_profile_partial_update",
        summary="Change your profile",
        description="Send any of the fields; the others stay as they are. Needs a token.",
        request=ProfileUpdateSerializer,
        responses={
            200: OpenApiResponse(ProfileSerializer, description="Your profile as it now is."),
            400: _json("A field is wrong: the body maps each wrong field to what is wrong."),
            401: UNAUTHENTICATED,
            403: _json("Signed in by session without a CSRF token; use an API token instead."),
        },
    )
    def patch(self, request: Request) -> Response:
        user = self.person()
        with transaction.atomic():
            profile = ensure_profile(user=user)
            if not permissions.can(user, "edit", profile):
                raise PermissionDenied
            serializer = ProfileUpdateSerializer(profile, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            # The same write as the profile page; fields not sent keep their current values.
            profile = update_profile(
                user=user,
                display_name=serializer.validated_data.get("display_name", profile.display_name),
                job_title=serializer.validated_data.get("job_title", profile.job_title),
                organisation=profile.organisation,
                help_with=serializer.validated_data.get("help_with", profile.help_with),
                is_public=serializer.validated_data.get("is_public", profile.is_public),
            )
        return Response(ProfileSerializer(profile, context={"request": request}).data)


class ProfileList(generics.ListAPIView[Profile]):
    """Public profiles (and, for a signed-in person, their own)."""

    permission_classes = [AllowAny]
    serializer_class = ProfileSerializer

    def get_queryset(self) -> QuerySet[Profile]:
        return permissions.visible_profiles(self.request.user).order_by("pk")

    @extend_schema(
        operation_id="profiles_list",
        summary="List public profiles",
        responses={
            200: OpenApiResponse(ProfileSerializer(many=True), description="One page of profiles."),
            400: BAD_PAGE_SIZE,
            401: UNAUTHENTICATED,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ProfileDetail(generics.RetrieveAPIView[Profile]):
    permission_classes = [AllowAny]
    serializer_class = ProfileSerializer

    def get_queryset(self) -> QuerySet[Profile]:
        return permissions.visible_profiles(self.request.user)

    @extend_schema(
        operation_id="profiles_retrieve",
        summary="One profile",
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The profile's id.")
        ],
        responses={
            200: OpenApiResponse(ProfileSerializer, description="The profile."),
            401: UNAUTHENTICATED,
            404: _json("No profile you may see has this id."),
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        profile = self.get_queryset().filter(pk=kwargs["id"]).first()
        # Invisible and missing profiles get the same answer, so ids reveal nothing.
        if profile is None or not permissions.can(request.user, "view", profile):
            raise NotFound("No profile you may see has this id.")
        return Response(self.get_serializer(profile).data)


class ModerationLogList(generics.ListAPIView[ModerationLogEntry]):
    """Newest first; moderators-only entries appear only to moderators and staff."""

    permission_classes = [AllowAny]
    serializer_class = ModerationLogEntrySerializer

    def get_queryset(self) -> QuerySet[ModerationLogEntry]:
        return permissions.visible_moderation_entries(self.request.user)

    @extend_schema(
        operation_id="moderation_log_list",
        summary="The moderation log",
        responses={
            200: OpenApiResponse(
                ModerationLogEntrySerializer(many=True), description="One page of entries."
            ),
            400: BAD_PAGE_SIZE,
            401: UNAUTHENTICATED,
            404: NOT_A_PAGE,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
