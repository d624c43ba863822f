"""The moderation log: append-only in every way the application could change it, readable by the
public where the policy says, and never showing who a moderator is."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from kitbag.accounts.audit import log_moderation, record_audit_event
from kitbag.accounts.models import AuditEvent, ModerationLogEntry, User
from kitbag.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def moderator() -> User:
    return UserFactory.create(email="mo.secret@example.org", is_moderator=True)


def _entry(
    moderator: User,
    label: str = "Comment 12",
    visibility: ModerationLogEntry.Visibility = ModerationLogEntry.Visibility.PUBLIC,
    reason: str = "Personal attack",
) -> ModerationLogEntry:
    return log_moderation(
        actor=moderator,
        actor_label="a moderator",
        action="hid",
        object_type="comment",
        object_id=12,
        object_label=label,
        reason=reason,
        visibility=visibility,
    )


@pytest.mark.parametrize("model", [ModerationLogEntry, AuditEvent])
def test_nothing_in_the_logs_can_be_changed_or_deleted(
    model: type[ModerationLogEntry] | type[AuditEvent], moderator: User
) -> None:
    entry = (
        _entry(moderator)
        if model is ModerationLogEntry
        else record_audit_event(AuditEvent.Kind.SIGNED_IN, subject=moderator)
    )
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        model.objects.filter(pk=entry.pk).update(created_at=entry.created_at)
    with pytest.raises(PermissionError):
        model.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        model.objects.all().delete()
    assert model.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("model", [ModerationLogEntry, AuditEvent])
def test_the_admin_offers_no_way_to_add_change_or_delete_log_entries(
    model: type[ModerationLogEntry] | type[AuditEvent],
) -> None:
    superuser = User.objects.create_superuser("root@example.org")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        pytest.skip(f"{model.__name__} is not registered in the admin (kitbag/accounts/admin.py)")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_public_page_shows_role_action_object_and_reason_but_never_an_email(
    client: Client, moderator: User
) -> None:
    _entry(moderator, reason="Personal attack")
    response = client.get("/account/moderation-log/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("a moderator", "hid", "Comment 12", "Personal attack"):
        assert text in html
    assert "mo.secret" not in html
    assert "<title>Moderation log – Kitbag</title>" in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert "style=" not in html
    assert 'type="application/atom+xml"' in html


def test_the_page_is_not_cached_for_one_viewer_and_served_to_another(
    client: Client, moderator: User
) -> None:
    _entry(moderator, label="Secret thing", visibility=ModerationLogEntry.Visibility.MODERATORS)
    client.force_login(moderator)
    assert "Secret thing" in client.get("/account/moderation-log/").content.decode()
    client.logout()
    assert "Secret thing" not in client.get("/account/moderation-log/").content.decode()
    assert "Secret thing" not in Client().get("/account/moderation-log/").content.decode()


def test_the_page_is_paginated(client: Client, moderator: User) -> None:
    for number in range(51):
        _entry(moderator, label=f"Comment n{number:02d}")
    first = client.get("/account/moderation-log/").content.decode()
    second = client.get("/account/moderation-log/?page=2").content.decode()
    assert "Comment n50" in first and "Comment n00" not in first
    assert "Comment n00" in second
    assert "govuk-pagination" in first


def test_the_csv_has_the_visible_entries_and_defuses_formulas(
    client: Client, moderator: User
) -> None:
    _entry(moderator, label='=HYPERLINK("http://evil")')
    _entry(moderator, label="Hidden", visibility=ModerationLogEntry.Visibility.MODERATORS)
    response = client.get("/account/moderation-log/download.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode().lstrip("\ufeff")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["object"] for row in rows] == ['\'=HYPERLINK("http://evil")']
    assert rows[0]["who"] == "a moderator"
    assert "mo.secret" not in body


def test_the_feed_is_atom_of_public_entries_even_for_a_moderator(
    client: Client, moderator: User
) -> None:
    public = _entry(moderator, label="Public one")
    _entry(moderator, label="Moderators one", visibility=ModerationLogEntry.Visibility.MODERATORS)
    client.force_login(moderator)
    response = client.get("/account/moderation-log/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 -- our own test server wrote it
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["a moderator hid: Public one"]
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "a moderator"
    link = entries[0].find(f"{ATOM}link")
    assert link is not None and link.get("href", "").endswith(
        f"/account/moderation-log/{public.pk}/"
    )
    assert b"mo.secret" not in response.content
    assert client.post("/account/moderation-log/feed.atom").status_code in {403, 405}


def test_an_entry_for_moderators_is_a_404_to_others(client: Client, moderator: User) -> None:
    entry = _entry(moderator, visibility=ModerationLogEntry.Visibility.MODERATORS)
    assert client.get(f"/account/moderation-log/{entry.pk}/").status_code == 404
    client.force_login(moderator)
    assert client.get(f"/account/moderation-log/{entry.pk}/").status_code == 200
