"""Every role against every consultation and comment state, on every channel.

As in kitbag/cases/tests/test_permission_matrix.py: the rules themselves ("can ...") from one
expectation table, then each channel (the page, the list and search, the API list, detail,
comments and export, the CSV and the Atom feed) for drafts and for comments waiting for a
moderator or hidden by one: their text never leaves, whoever asks.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from kitbag.accounts.permissions import can
from kitbag.accounts.tests.permission_world import EVERYONE, ROLES, World, build_world, client_for
from kitbag.consultations import services
from kitbag.consultations.models import Comment, CommentState, Consultation, ElsewherePost
from kitbag.consultations.tests.world import consultation, paragraph_key, person

pytestmark = pytest.mark.django_db

MEMBERS = frozenset({"member", "editor", "admin"})
EDITORS = frozenset({"editor", "admin", "staff"})
SIGNED_IN = EVERYONE - {"anonymous"}
NOBODY: frozenset[str] = frozenset()

EXPECTED: list[tuple[str, str, frozenset[str]]] = [
    ("draft", "view", MEMBERS | {"moderator", "staff"}),
    ("draft", "edit", EDITORS),
    ("draft", "publish", EDITORS),
    ("draft", "comment", NOBODY),
    ("draft", "answer", NOBODY),
    ("open", "view", EVERYONE),
    ("open", "edit", EDITORS),
    ("open", "close", EDITORS),
    ("open", "revise", EDITORS),
    ("open", "comment", SIGNED_IN),
    ("open", "answer", MEMBERS),
    ("open", "view_queue", MEMBERS | {"staff"}),
    ("closed", "view", EVERYONE),
    ("closed", "comment", NOBODY),
    ("closed", "answer", MEMBERS),
    ("closed", "respond", EDITORS),
]

COMMENT_EXPECTED: list[tuple[str, str, frozenset[str]]] = [
    ("visible", "view", EVERYONE),
    ("visible", "reply", SIGNED_IN),
    ("visible", "flag", SIGNED_IN),
    ("visible", "moderate", frozenset({"moderator", "staff"})),
    ("pending", "view", frozenset({"member", "moderator", "staff"})),  # the member wrote it
    ("pending", "reply", NOBODY),
    ("hidden", "view", frozenset({"moderator", "staff"})),
    ("hidden", "flag", NOBODY),
]


@pytest.fixture
def world() -> World:
    return build_world()


def _consultation(world: World, status: str) -> Consultation:
    made = consultation(world.organisation, publish=status != "draft", slug=f"c-{status}")
    if status == "closed":
        made.status = "closed"
        made.save()
    return made


@pytest.mark.parametrize(("status", "action", "allowed"), EXPECTED)
def test_consultation_rules(
    world: World, status: str, action: str, allowed: frozenset[str]
) -> None:
    made = _consultation(world, status)
    for role in ROLES:
        assert can(world.person(role), action, made) == (role in allowed), (role, status, action)


@pytest.mark.parametrize(("state", "action", "allowed"), COMMENT_EXPECTED)
def test_comment_rules(world: World, state: str, action: str, allowed: frozenset[str]) -> None:
    made = _consultation(world, "open")
    services.set_participation(user=world.member, display_name="Member")
    comment = services.add_comment(
        consultation=made, by=world.member, text="x", paragraph_key=paragraph_key(made, 2)
    )
    Comment.objects.filter(pk=comment.pk).update(state=state)
    comment.refresh_from_db()
    for role in ROLES:
        assert can(world.person(role), action, comment) == (role in allowed), (role, state, action)


def _channels(client: Client, made: Consultation) -> dict[str, str]:
    slug = made.slug
    got = {
        "page": client.get(made.get_absolute_url()),
        "list": client.get(reverse("consultations:consultation_list") + "?q=secretword"),
        "api list": client.get(reverse("api_consultation_list") + "?q=secretword"),
        "api detail": client.get(reverse("api_consultation_detail", args=[slug])),
        "api comments": client.get(reverse("api_consultation_comments", args=[slug])),
        "api export": client.get(reverse("api_consultation_export", args=[slug])),
        "csv": client.get(reverse("consultations:comments_csv", args=[slug])),
        "feed": client.get(reverse("consultations:comments_feed", args=[slug])),
    }
    return {
        name: b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
        if response.streaming
        else response.content.decode()
        for name, response in got.items()
    }


def test_a_draft_leaks_on_no_channel_to_people_outside_its_organisation(world: World) -> None:
    made = consultation(
        world.organisation,
        publish=False,
        slug="secret-draft",
        document="A secretword proposal.\n\nAbout zanzibarfoo.",
    )
    for role in ("anonymous", "signed_in", "other_admin"):
        channels = _channels(client_for(world.person(role)), made)
        assert json.loads(channels["api list"])["count"] == 0, role
        assert "0 consultations" in channels["list"], role
        for channel, text in channels.items():
            # The list pages echo the query ("secretword"), never the draft's text or address.
            assert "zanzibarfoo" not in text, (role, channel)
            assert "secret-draft" not in text, (role, channel)


@pytest.mark.parametrize("state", [CommentState.PENDING, CommentState.HIDDEN])
def test_waiting_and_hidden_comments_leak_on_no_channel(world: World, state: str) -> None:
    made = consultation(world.organisation, slug="open-one")
    author = person("author@example.org", name="Author")
    comment = services.add_comment(
        consultation=made, by=author, text="hiddenword text", paragraph_key=paragraph_key(made, 2)
    )
    Comment.objects.filter(pk=comment.pk).update(state=state)
    for role in ROLES:
        for channel, text in _channels(client_for(world.person(role)), made).items():
            assert "hiddenword" not in text, (role, channel, state)
    export = json.loads(_channels(Client(), made)["api export"])
    assert export["comments"] == []


def test_statistics_say_how_many_were_hidden(world: World) -> None:
    made = consultation(world.organisation, slug="stats")
    author = person("s@example.org")
    comment = services.add_comment(
        consultation=made, by=author, text="gone", paragraph_key=paragraph_key(made, 2)
    )
    Comment.objects.filter(pk=comment.pk).update(state=CommentState.HIDDEN)
    page = Client().get(made.get_absolute_url()).content.decode()
    assert "Hidden by moderators" in page and "1 comment (not counted)" in page


@pytest.mark.parametrize(
    ("state", "action", "allowed"),
    [
        ("visible", "view", EVERYONE),
        ("pending", "view", frozenset({"moderator", "staff"})),
        ("hidden", "view", frozenset({"moderator", "staff"})),
        ("visible", "record_answer", MEMBERS),
        ("visible", "moderate", frozenset({"moderator", "staff"})),
    ],
)
def test_post_elsewhere_rules_and_page(
    world: World, state: str, action: str, allowed: frozenset[str]
) -> None:
    made = _consultation(world, "open")
    post = ElsewherePost.objects.create(
        consultation=made,
        via="webmention",
        url="https://blog.example/p",
        title="postword",
        state=state,
    )
    for role in ROLES:
        assert can(world.person(role), action, post) == (role in allowed), (role, state, action)
        if action == "view":
            page = client_for(world.person(role)).get(made.get_absolute_url()).content.decode()
            assert ("postword" in page) == (state == "visible"), (role, state)
