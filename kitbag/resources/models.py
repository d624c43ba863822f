"""The resource library: links, the people who recommend them (and why), their tags, and what
used them.

A Resource is one web address (normalised: `addresses.normalise_url`, unique). What is said
about it belongs to a Recommendation, one per person: their reason, their tags, and whether it is
private to them. The public sees a resource only through a public recommendation: `is_public`
says whether one exists and is kept by the services that write recommendations. Tags shown to
someone are those of the recommendations they may see, so a private bookmark's tags stay private.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from kitbag.resources.addresses import TAG_MAX_LENGTH, URL_MAX_LENGTH


class Tag(models.Model):
    name = models.CharField(max_length=TAG_MAX_LENGTH, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resources:tag", kwargs={"tag": self.name})


class LinkState(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    WORKING = "working", "Working"
    FAILING = "failing", "Failed at the last check"
    DEAD = "dead", "Dead"


class ResourceQuerySet(models.QuerySet["Resource"]):
    def public(self) -> ResourceQuerySet:
        return self.filter(is_public=True)


class Resource(models.Model):
    url = models.URLField(max_length=URL_MAX_LENGTH, unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, max_length=5000)
    # True while at least one recommendation is public (services keep it so).
    is_public = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The polite link check (link_checks.py): the last answer, when, and failures in a row.
    link_state = models.CharField(
        max_length=16, choices=LinkState.choices, default=LinkState.UNCHECKED
    )
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_problem = models.CharField(max_length=200, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    failures_in_a_row = models.PositiveSmallIntegerField(default=0)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["is_public", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", kwargs={"pk": self.pk})

    @property
    def is_dead(self) -> bool:
        return self.link_state == LinkState.DEAD


class Recommendation(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="recommendations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations"
    )
    why = models.TextField(blank=True, max_length=5000)
    is_private = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="recommendations")
    # When the person saved it, where the bookmark file says so; otherwise when it was made.
    saved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "person"], name="resources_one_recommendation_per_person"
            )
        ]
        indexes = [models.Index(fields=["person", "is_private"])]

    def __str__(self) -> str:
        return f"{self.person_id} recommends {self.resource_id}"


class Use(models.Model):
    """Something elsewhere in Kitbag that used the resource, by a key "kind:id" ("case:<uuid>",
    "consultation:<slug>", "partnership:<id>", "event:<id>"). Each kind's owner registers how to
    show its keys (used_by.py), so this app names no other part's models."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="uses")
    key = models.CharField(max_length=120)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "key"], name="resources_one_use_per_key")
        ]
        indexes = [models.Index(fields=["key"])]

    def __str__(self) -> str:
        return f"{self.key} used {self.resource_id}"

    @property
    def kind(self) -> str:
        return self.key.partition(":")[0]

    @property
    def object_id(self) -> str:
        return self.key.partition(":")[2]
