"""How people who can help look in the API: only public profiles, never an email address."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kitbag.api.fields import absolute_url
from kitbag.network.queries import PersonResult, help_offer_of
from kitbag.network.search_documents import shown_name


class ServiceSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="The LGSL service code.")
    name = serializers.CharField(help_text="The service's name.")


class PersonSerializer(serializers.Serializer[Any]):
    id = serializers.SerializerMethodField(help_text="The person's profile id.")
    url = serializers.SerializerMethodField(help_text="This person's record in the API.")
    page = serializers.SerializerMethodField(help_text="This person's page on the site.")
    name = serializers.SerializerMethodField()
    role = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField(
        help_text="The organisation shown, while the person's membership of it is active."
    )
    help_with = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    offers = serializers.SerializerMethodField(help_text="Offer values, e.g. mentor, talk.")
    accepts_messages = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField())
    def get_id(self, person: PersonResult) -> int:
        return person.profile.pk

    @extend_schema_field(serializers.URLField())
    def get_url(self, person: PersonResult) -> str:
        return absolute_url(self.context, reverse("api_person_detail", args=[person.profile.pk]))

    @extend_schema_field(serializers.URLField())
    def get_page(self, person: PersonResult) -> str:
        return absolute_url(
            self.context, reverse("network:person_detail", args=[person.profile.pk])
        )

    @extend_schema_field(serializers.CharField())
    def get_name(self, person: PersonResult) -> str:
        return shown_name(person.profile)

    @extend_schema_field(serializers.CharField())
    def get_role(self, person: PersonResult) -> str:
        return person.profile.job_title

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
        }
    )
    def get_organisation(self, person: PersonResult) -> dict[str, str] | None:
        organisation = person.organisation
        return {"slug": organisation.slug, "name": organisation.name} if organisation else None

    @extend_schema_field(serializers.CharField())
    def get_help_with(self, person: PersonResult) -> str:
        return person.profile.help_with

    @extend_schema_field(ServiceSerializer(many=True))
    def get_services(self, person: PersonResult) -> list[dict[str, str]]:
        offer = help_offer_of(person.profile)
        if offer is None:
            return []
        return [{"code": code.code, "name": code.label} for code in offer.services.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, person: PersonResult) -> list[str]:
        offer = help_offer_of(person.profile)
        return offer.tag_names if offer else []

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_offers(self, person: PersonResult) -> list[str]:
        offer = help_offer_of(person.profile)
        return list(offer.offers) if offer else []

    @extend_schema_field(serializers.BooleanField())
    def get_accepts_messages(self, person: PersonResult) -> bool:
        offer = help_offer_of(person.profile)
        return bool(offer and offer.accepts_messages)


class PersonPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PersonSerializer(many=True)
