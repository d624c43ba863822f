"""The XSS corpus, written into every field that shows user content, runs nowhere it is shown.

Each page is rendered twice, once with harmless text and once with a payload in every field. Any
element, event handler or URL that could run script and appears only in the second is a failure;
comparing the two lets pages keep their own forms and buttons.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from kitbag.accounts.audit import log_moderation
from kitbag.accounts.models import ModerationLogEntry, Profile, User
from kitbag.accounts.tests.factories import UserFactory
from kitbag.core.tests.xss_corpus import XSS_PAYLOADS, xss_problems

HARMLESS = "Harmless text"
PROFILE_FIELDS = {"display_name": 120, "job_title": 120, "help_with": 2000}
MODERATION_FIELDS = {"actor_label": 120, "object_label": 255, "reason": 10_000}


def storable(text: str) -> str:
    # PostgreSQL cannot store NUL, and Django's forms refuse it; browsers read it as U+FFFD.
    return text.replace("\x00", "\ufffd")


def main_of(html: str) -> str:
    """The page's own content: the shell around it is the same for every page and tested once,
    in kitbag/core/tests/test_security_headers.py."""
    start = html.index("<main")
    return html[start : html.index("</main>", start) + len("</main>")]


def head_of(html: str) -> str:
    return html[: html.index("</head>")]


def new_problems(page: Callable[[str], str], payload: str, *, shows_it: bool = True) -> list[str]:
    harmless = page(HARMLESS)
    # A page that does not show the fields would pass vacuously.
    assert (HARMLESS in harmless) == shows_it
    baseline = set(xss_problems(harmless))
    return [p for p in xss_problems(page(payload)) if p not in baseline]


@pytest.fixture
def owner(db: None) -> tuple[User, Client]:
    user = UserFactory.create(email="xss.owner@example.org")
    Profile.objects.create(user=user, is_public=True)
    client = Client()
    client.force_login(user)
    return user, client


def _fill_profile(user: User, text: str) -> Profile:
    profile = Profile.objects.get(user=user)
    for field, length in PROFILE_FIELDS.items():
        setattr(profile, field, storable(text)[:length])
    profile.save()
    return profile


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_profile_fields_are_safe_on_the_public_profile_page(
    owner: tuple[User, Client], payload: str
) -> None:
    user, _ = owner

    def page(text: str) -> str:
        profile = _fill_profile(user, text)
        response = Client().get(reverse("accounts:profile_detail", args=[profile.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        return head_of(html) + main_of(html)

    assert new_problems(page, payload) == []


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_profile_fields_are_safe_on_the_owners_pages(
    owner: tuple[User, Client], payload: str
) -> None:
    user, client = owner
    # "Your account" does not show the profile's text today, only links to edit it; it is checked
    # all the same, so that showing it later cannot go unnoticed (the assertion flips).
    for url, shows_it in [
        (reverse("accounts:profile"), False),
        (reverse("accounts:profile_edit"), True),
    ]:

        def page(text: str, url: str = url) -> str:
            _fill_profile(user, text)
            response = client.get(url)
            assert response.status_code == 200
            html = response.content.decode()
            return head_of(html) + main_of(html)

        assert new_problems(page, payload, shows_it=shows_it) == [], url


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_moderation_log_fields_are_safe_on_the_log_and_entry_pages(db: None, payload: str) -> None:
    def entry(text: str) -> ModerationLogEntry:
        ModerationLogEntry._base_manager.all().delete()
        text = storable(text)
        return log_moderation(
            actor=None,
            action="hid",
            object_type="comment",
            object_id=1,
            actor_label=text[: MODERATION_FIELDS["actor_label"]],
            object_label=text[: MODERATION_FIELDS["object_label"]],
            reason=text[: MODERATION_FIELDS["reason"]],
        )

    def log_page(text: str) -> str:
        entry(text)
        return main_of(Client().get(reverse("accounts:moderation_log")).content.decode())

    def entry_page(text: str) -> str:
        pk = entry(text).pk
        html = Client().get(reverse("accounts:moderation_log_entry", args=[pk])).content.decode()
        return head_of(html) + main_of(html)

    assert new_problems(log_page, payload) == []
    assert new_problems(entry_page, payload) == []


def test_the_comparison_would_catch_a_field_shown_unescaped(owner: tuple[User, Client]) -> None:
    # The same check on a template that forgets to escape must fail, or the tests above prove
    # nothing.
    from django.template import Context, Template

    template = Template("<main>{{ text|safe }}</main>")

    def page(text: str) -> str:
        return template.render(Context({"text": text}))

    assert new_problems(page, "<img src=x onerror=alert(1)>")
