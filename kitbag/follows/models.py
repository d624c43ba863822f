"""Follows, the happenings they bring, and each person's digest and feed settings.

A `Follow` is a person and a followable key ("organisation:12"; kitbag/core/happenings.py). A
`StoredHappening` is one announcement from a part, with its keys in `HappeningConcern` rows (so
"what concerns anything I follow" is one indexed join) and the object whose visibility governs it.
`FollowSettings` holds the digest choice, how far digests have been sent, when the notifications
were last read and the secret token of the personal feed. `DigestSending` records each email sent.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="follow_unique_user_key")
        ]
        indexes = [models.Index(fields=["key"])]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.key}"


class StoredHappening(models.Model):
    kind = models.CharField(max_length=64)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    happened_at = models.DateTimeField()
    # When Kitbag heard of it: digests and unread marks go by this, so a happening dated in the
    # past (an import of last year's figures) is still sent once.
    recorded_at = models.DateTimeField(db_index=True)
    # The object whose visibility governs who may read it; empty kind: anyone may.
    visible_through_kind = models.CharField(max_length=64, blank=True)
    visible_through_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class HappeningConcern(models.Model):
    happening = models.ForeignKey(
        StoredHappening, on_delete=models.CASCADE, related_name="concerns"
    )
    key = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["happening", "key"], name="happening_concern_unique_key"
            )
        ]
        indexes = [models.Index(fields=["key", "happening"])]

    def __str__(self) -> str:
        return self.key


class DigestFrequency(models.TextChoices):
    OFF = "off", _("No emails")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class FollowSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_settings"
    )
    digest_frequency = models.CharField(
        max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.OFF
    )
    # Digests cover happenings recorded after this; set when digests are turned on, and moved on
    # by each digest sent, so nothing goes twice.
    digest_sent_up_to = models.DateTimeField(null=True, blank=True)
    notifications_read_at = models.DateTimeField(null=True, blank=True)
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta:
        indexes = [models.Index(fields=["digest_frequency"])]
        verbose_name_plural = "follow settings"

    def __str__(self) -> str:
        return f"settings of {self.user_id}"


class DigestSending(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=8, choices=DigestFrequency.choices)
    covers_from = models.DateTimeField()
    covers_up_to = models.DateTimeField()
    happening_count = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "covers_up_to"], name="digest_sending_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.frequency} digest to {self.user_id} up to {self.covers_up_to:%Y-%m-%d}"
