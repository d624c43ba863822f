"""Every write of the follows app: following, settings, storing happenings, sending digests."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kitbag.accounts.models import User
from kitbag.accounts.permissions import can
from kitbag.core.happenings import Happening, followable, split_key
from kitbag.follows import digests, queries
from kitbag.follows.models import (
    DigestFrequency,
    DigestSending,
    Follow,
    FollowSettings,
    HappeningConcern,
    StoredHappening,
    new_feed_token,
)
from kitbag.follows.periods import period_end

logger = logging.getLogger(__name__)

# A digest lists this many happenings and says how many more there are on the notifications page.
DIGEST_LIMIT = 50
# Happenings are news: the nightly prune deletes those recorded longer ago than this. A year keeps
# every digest (a week at most), the notifications page and the feed whole, and bounds the table.
HAPPENINGS_KEPT = dt.timedelta(days=365)


def _check_followable(*, user: User, key: str) -> None:
    try:
        kind, identifier = split_key(key)
    except ValueError as error:
        raise ValidationError({"key": _("That cannot be followed.")}) from error
    registered = followable(kind)
    if registered is None:
        raise ValidationError({"key": _("That cannot be followed.")})
    # Something a person may not see cannot be followed: following must not tell them it exists.
    if registered.visible is not None:
        if (
            not identifier.isdigit()
            or not registered.visible(user).filter(pk=int(identifier)).exists()
        ):
            raise ValidationError({"key": _("That cannot be followed.")})
    elif identifier not in registered.describe([identifier]):
        raise ValidationError({"key": _("That cannot be followed.")})


@transaction.atomic
def follow(*, user: User, key: str) -> Follow:
    if not can(user, "follow"):
        raise PermissionDenied(_("Sign in to follow things."))
    _check_followable(user=user, key=key)
    found, _created = Follow.objects.get_or_create(user=user, key=key)
    return found


@transaction.atomic
def move_follows(old_key: str, new_key: str) -> int:
    """Whoever followed ``old_key`` follows ``new_key`` (a thing merged into another: the core
    interface's key mover). Someone who already followed both keeps one follow; someone who may
    not see the new thing keeps following the old one (following must not tell them it exists).
    One query per follower for that rule: merges are rare and followers few."""
    already = Follow.objects.filter(key=new_key).values("user_id")
    Follow.objects.filter(key=old_key, user_id__in=already).delete()
    followers = Follow.objects.filter(key=old_key).select_related("user")
    kind, identifier = split_key(new_key)
    registered = followable(kind)
    if registered is not None and registered.visible is not None:
        visible = registered.visible
        may_see = [
            follow.pk
            for follow in followers
            if identifier.isdigit() and visible(follow.user).filter(pk=int(identifier)).exists()
        ]
        followers = Follow.objects.filter(pk__in=may_see)
    return followers.update(key=new_key)


@transaction.atomic
def unfollow(*, user: User, key: str) -> None:
    Follow.objects.filter(user=user, key=key).delete()


@transaction.atomic
def set_digest_frequency(*, user: User, frequency: str, now: dt.datetime | None = None) -> None:
    """Daily, weekly or off. A person turning digests on gets what happens from now on."""
    if frequency not in DigestFrequency.values:
        raise ValidationError({"frequency": _("Choose how often to get emails.")})
    found = FollowSettings.objects.select_for_update().get(pk=queries.settings_of(user).pk)
    if found.digest_frequency == DigestFrequency.OFF and frequency != DigestFrequency.OFF:
        found.digest_sent_up_to = now or timezone.now()
    found.digest_frequency = frequency
    found.save(update_fields=["digest_frequency", "digest_sent_up_to"])


@transaction.atomic
def unsubscribe(*, user_id: int) -> bool:
    """Turn digests off (an unsubscribe link's POST). True when they were on: a second click is
    harmless and changes nothing."""
    changed = (
        FollowSettings.objects.filter(user_id=user_id)
        .exclude(digest_frequency=DigestFrequency.OFF)
        .update(digest_frequency=DigestFrequency.OFF)
    )
    return changed > 0


@transaction.atomic
def mark_notifications_read(*, user: User, now: dt.datetime | None = None) -> None:
    queries.settings_of(user)
    FollowSettings.objects.filter(user=user).update(notifications_read_at=now or timezone.now())


@transaction.atomic
def reset_feed_token(*, user: User) -> str:
    """A new secret address for the personal feed; the old one stops working at once."""
    found = queries.settings_of(user)
    found.feed_token = new_feed_token()
    found.save(update_fields=["feed_token"])
    return found.feed_token


def store_happening(happening: Happening) -> StoredHappening:
    """The receiver of kitbag/core/happenings.py: runs in the publishing part's transaction."""
    kind, pk = happening.visible_through or ("", None)
    stored = StoredHappening.objects.create(
        kind=happening.kind,
        title=happening.title[:500],
        summary=happening.summary,
        url=happening.url[:500],
        happened_at=happening.happened_at,
        recorded_at=timezone.now(),
        visible_through_kind=kind,
        visible_through_id=pk,
    )
    HappeningConcern.objects.bulk_create(
        [HappeningConcern(happening=stored, key=key) for key in dict.fromkeys(happening.concerns)]
    )
    return stored


@transaction.atomic
def prune_happenings(
    *, now: dt.datetime | None = None, kept: dt.timedelta = HAPPENINGS_KEPT
) -> int:
    """Delete the happenings recorded before `kept` ago (their keys go with them); how many."""
    cutoff = (now or timezone.now()) - kept
    _, deleted = StoredHappening.objects.filter(recorded_at__lt=cutoff).delete()
    return deleted.get(StoredHappening._meta.label, 0)


@dataclass
class DigestRun:
    frequency: str
    covers_up_to: dt.datetime
    people: int = 0
    sent: int = 0
    nothing_new: int = 0
    failed: int = 0


def send_digests(*, frequency: str, now: dt.datetime | None = None) -> DigestRun:
    """Send everyone who chose `frequency` what they have not been sent, up to the end of the last
    whole period. Idempotent: a second run in the same period finds every watermark at its end."""
    up_to = period_end(frequency=frequency, now=now or timezone.now())
    run = DigestRun(frequency=frequency, covers_up_to=up_to)
    waiting = (
        FollowSettings.objects.filter(digest_frequency=frequency, user__is_active=True)
        .exclude(digest_sent_up_to__gte=up_to)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    for settings_id in list(waiting):
        run.people += 1
        try:
            outcome = send_digest(settings_id=settings_id, frequency=frequency, up_to=up_to)
        except Exception:
            # One bad address must not stop everyone else's digest; this person's watermark did
            # not move, so the next run tries again.
            logger.exception("Digest for follow settings %s failed", settings_id)
            run.failed += 1
            continue
        if outcome:
            run.sent += 1
        else:
            run.nothing_new += 1
    return run


@transaction.atomic
def send_digest(*, settings_id: int, frequency: str, up_to: dt.datetime) -> bool:
    """One person's digest for the period ending `up_to`; True when an email went."""
    found = (
        FollowSettings.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=settings_id)
    )
    # Checked again under the row's lock: two runs at once send one digest.
    if found.digest_frequency != frequency or (
        found.digest_sent_up_to is not None and found.digest_sent_up_to >= up_to
    ):
        return False
    user = found.user
    after = found.digest_sent_up_to
    happenings = list(
        queries.happenings_between(user, after=after, up_to=up_to).order_by("-recorded_at", "-pk")[
            : DIGEST_LIMIT + 1
        ]
    )
    found.digest_sent_up_to = up_to
    found.save(update_fields=["digest_sent_up_to"])
    if not happenings:
        return False
    more = 0
    if len(happenings) > DIGEST_LIMIT:
        more = queries.happenings_between(user, after=after, up_to=up_to).count() - DIGEST_LIMIT
        happenings = happenings[:DIGEST_LIMIT]
    DigestSending.objects.create(
        user=user,
        frequency=frequency,
        covers_from=after or up_to,
        covers_up_to=up_to,
        happening_count=len(happenings) + more,
    )
    # Sent last, inside the transaction: if sending fails, the watermark and the record roll back.
    digests.digest_email(user=user, frequency=frequency, happenings=happenings, more=more).send()
    return True
