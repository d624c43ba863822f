"""The API for people: who am I, my profile (a write, with a token), public profiles, and the
moderation log. Every answer is filtered by kitbag.accounts.permissions, as on the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from kitbag.accounts import permissions
from kitbag.accounts.models import ModerationLogEntry, Profile
from kitbag.accounts.services.profiles import change_profile
from kitbag.api.accounts.serializers import (
    MeSerializer,
    ModerationLogEntrySerializer,
    ProfileSerializer,
    ProfileUpdateSerializer,
)
from kitbag.api.base import ApiView
from kitbag.api.responses import (
    BAD_FIELDS,
    BAD_PAGE_SIZE,
    NOT_A_PAGE,
    UNAUTHENTICATED,
    json_response,
)


class PersonalView(ApiView):
    """About the signed-in person, so reading needs one too (by token, or in the browser by
    session). Profile changes share the profile page's rate limit."""

    permission_classes = [IsAuthenticated]
    write_scope = "profile-writes"


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
            400: BAD_FIELDS,
            401: UNAUTHENTICATED,
            403: json_response(
                "Signed in by session without a CSRF token; use an API token instead."
            ),
        },
    )
    def patch(self, request: Request) -> Response:
        incoming = ProfileUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        # The profile service, as the page uses; fields not sent keep their current values.
        profile = change_profile(user=self.person(), **incoming.validated_data)
        return Response(ProfileSerializer(profile, context={"request": request}).data)


class ProfileList(ApiView, generics.ListAPIView[Profile]):
    """Public profiles (and, for a signed-in person, their own)."""

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


class ProfileDetail(ApiView, generics.RetrieveAPIView[Profile]):
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
            404: json_response("No profile you may see has this id."),
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        profile = self.get_queryset().filter(pk=kwargs["id"]).first()
        # Invisible and missing profiles get the same answer, so ids reveal nothing.
        if profile is None or not permissions.can(request.user, "view", profile):
            raise NotFound("No profile you may see has this id.")
        return Response(self.get_serializer(profile).data)


class ModerationLogList(ApiView, generics.ListAPIView[ModerationLogEntry]):
    """Newest first; moderators-only entries appear only to moderators and staff."""

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
