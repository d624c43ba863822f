from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives

from kitbag.accounts.tests.factories import UserFactory
from kitbag.cases import services as case_services
from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.tests.factories import CaseFactory
from kitbag.consultations import services as consultation_services
from kitbag.consultations.tests.world import consultation, member
from kitbag.core.happenings import Happening, publish_happening
from kitbag.follows import queries, services
from kitbag.follows.models import DigestSending, Follow, FollowSettings, StoredHappening
from kitbag.follows.tests.world import (
    DAY,
    NEXT_MORNING,
    build_world,
    publish,
    reader_gets_daily_digests,
    recorded_at,
)
from kitbag.performance.happenings import announce_new_figures
from kitbag.performance.models import Indicator
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_publishing_a_case_is_stored_once_with_its_organisation_and_case_keys() -> None:
    world = build_world()
    publish(world)
    happening = StoredHappening.objects.get()
    assert happening.kind == "case-published"
    assert "Digital parking permits" in happening.title
    assert happening.url == "/cases/digital-parking-permits/"
    assert (happening.visible_through_kind, happening.visible_through_id) == (
        "case",
        world.draft.pk,
    )
    assert set(happening.concerns.values_list("key", flat=True)) == {
        f"case:{world.draft.pk}",
        f"organisation:{world.council.pk}",
    }
    # Flagged and put right again: not news to followers.
    case_services.move_case(case=world.draft, action="flag_needs_update", by=world.editor)
    case_services.move_case(case=world.draft, action="publish", by=world.editor)
    assert StoredHappening.objects.count() == 1


def test_a_happening_rolls_back_with_the_write_that_published_it() -> None:
    from django.db import transaction

    world = build_world()
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(world)
        raise RuntimeError("the publishing transaction fails")
    assert not StoredHappening.objects.exists()


def test_an_official_response_to_a_consultation_is_a_happening() -> None:
    council = OrganisationFactory.create()
    made = consultation(council)
    editor = member(council, "ed@example.org")
    consultation_services.close_consultation(consultation=made, by=editor)
    consultation_services.publish_response(consultation=made, text="We did it.", by=editor)
    consultation_services.publish_response(consultation=made, text="We did it all.", by=editor)
    happening = StoredHappening.objects.get()
    assert happening.kind == "consultation-response"
    assert set(happening.concerns.values_list("key", flat=True)) == {
        f"consultation:{made.pk}",
        f"organisation:{council.pk}",
    }


def test_new_figures_are_one_happening_per_indicator_not_per_figure() -> None:
    councils = OrganisationFactory.create_batch(3)
    indicators = [
        Indicator.objects.create(source="oflog", code=f"ASC{n}", slug=f"oflog-asc{n}", name=f"I{n}")
        for n in (1, 2)
    ]
    announce_new_figures(
        {indicators[0].pk: {c.pk for c in councils}, indicators[1].pk: {councils[0].pk}}
    )
    assert StoredHappening.objects.count() == 2
    first = StoredHappening.objects.get(url="/performance/indicators/oflog-asc1/")
    assert first.visible_through_kind == ""
    assert first.concerns.count() == 3


def test_following_needs_a_thing_the_person_may_see() -> None:
    world = build_world()
    with pytest.raises(ValidationError):
        services.follow(user=world.reader, key=f"case:{world.draft.pk}")  # a case in review
    with pytest.raises(ValidationError):
        services.follow(user=world.reader, key="organisation:999999")
    with pytest.raises(ValidationError):
        services.follow(user=world.reader, key="no-such-kind:1")
    with pytest.raises(ValidationError):
        services.follow(user=world.reader, key="not a key")
    # Its own council's editor may see the draft, so may follow it.
    services.follow(user=world.editor, key=f"case:{world.draft.pk}")
    services.follow(user=world.reader, key=f"organisation:{world.council.pk}")
    services.follow(user=world.reader, key=f"organisation:{world.council.pk}")
    assert Follow.objects.filter(user=world.reader).count() == 1
    services.unfollow(user=world.reader, key=f"organisation:{world.council.pk}")
    assert not Follow.objects.filter(user=world.reader).exists()


def test_digests_are_off_by_default() -> None:
    world = build_world()
    services.follow(user=world.reader, key=f"organisation:{world.council.pk}")
    assert queries.settings_of(world.reader).digest_frequency == "off"
    publish(world)
    run = services.send_digests(frequency="daily", now=NEXT_MORNING)
    assert run.people == 0 and mail.outbox == []


def test_a_digest_names_what_happened_to_what_the_person_follows() -> None:
    world = build_world()
    reader_gets_daily_digests(world)
    other = CaseFactory.create(title="Someone else's case", status=RecordStatus.IN_REVIEW)
    publish(world)
    staff = UserFactory.create(is_staff=True)
    case_services.move_case(case=other, action="publish", by=staff)
    recorded_at(DAY)
    run = services.send_digests(frequency="daily", now=NEXT_MORNING)
    assert (run.people, run.sent) == (1, 1)
    [email] = mail.outbox
    assert email.to == ["reader@example.org"]
    assert "Digital parking permits" in email.body
    assert "http://testserver/cases/digital-parking-permits/" in email.body or (
        "/cases/digital-parking-permits/" in email.body
    )
    assert "Someone else's case" not in email.body
    assert isinstance(email, EmailMultiAlternatives)
    html = email.alternatives[0][0]
    assert "Digital parking permits" in str(html)
    sending = DigestSending.objects.get()
    assert sending.happening_count == 1


def test_nothing_is_sent_twice() -> None:
    world = build_world()
    reader_gets_daily_digests(world)
    publish(world)
    services.send_digests(frequency="daily", now=NEXT_MORNING)
    # The same morning again, and the next day with nothing new: nothing more.
    again = services.send_digests(frequency="daily", now=NEXT_MORNING + dt.timedelta(hours=2))
    assert again.people == 0
    next_day = services.send_digests(frequency="daily", now=NEXT_MORNING + dt.timedelta(days=1))
    assert (next_day.people, next_day.sent, next_day.nothing_new) == (1, 0, 1)
    assert len(mail.outbox) == 1
    # Something new the next day goes, alone.
    second = CaseFactory.create(
        title="Library app", lead_organisation=world.council, status=RecordStatus.IN_REVIEW
    )
    publish(world, second, at=DAY + dt.timedelta(days=2))
    services.send_digests(frequency="daily", now=NEXT_MORNING + dt.timedelta(days=2))
    assert len(mail.outbox) == 2
    assert "Library app" in mail.outbox[1].body
    assert "Digital parking permits" not in mail.outbox[1].body


def test_what_happened_before_digests_were_turned_on_is_not_sent() -> None:
    world = build_world()
    publish(world, at=DAY - dt.timedelta(days=3))
    reader_gets_daily_digests(world)
    assert services.send_digests(frequency="daily", now=NEXT_MORNING).sent == 0


def test_a_digest_never_carries_what_the_person_may_not_see() -> None:
    world = build_world()
    reader_gets_daily_digests(world)
    # A happening governed by a draft case: published through the interface by a part.
    publish_happening(
        Happening(
            kind="case-published",
            title="A draft nobody outside Camden may read",
            url=world.draft.get_absolute_url(),
            happened_at=DAY,
            concerns=[f"organisation:{world.council.pk}"],
            visible_through=("case", world.draft.pk),
        )
    )
    recorded_at(DAY)
    services.follow(user=world.editor, key=f"organisation:{world.council.pk}")
    services.set_digest_frequency(user=world.editor, frequency="daily", now=DAY - dt.timedelta(1))
    services.send_digests(frequency="daily", now=NEXT_MORNING)
    assert [email.to for email in mail.outbox] == [["editor@camden.gov.uk"]]


def test_a_case_no_longer_public_when_the_digest_is_built_leaves_it() -> None:
    world = build_world()
    reader_gets_daily_digests(world)
    publish(world)
    # Taken down between the happening and the digest (staff in the admin, say).
    Case.objects.filter(pk=world.draft.pk).update(status=RecordStatus.DRAFT)
    assert services.send_digests(frequency="daily", now=NEXT_MORNING).sent == 0
    assert mail.outbox == []


def test_a_digest_email_carries_one_click_unsubscribe_headers() -> None:
    world = build_world()
    reader_gets_daily_digests(world)
    publish(world)
    services.send_digests(frequency="daily", now=NEXT_MORNING)
    [email] = mail.outbox
    message = email.message()
    link = message["List-Unsubscribe"]
    assert link.startswith("<http") and "/following/unsubscribe/" in link
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.strip("<>") in email.body


def test_weekly_people_are_left_out_of_the_daily_run() -> None:
    world = build_world()
    services.follow(user=world.reader, key=f"organisation:{world.council.pk}")
    services.set_digest_frequency(user=world.reader, frequency="weekly", now=DAY - dt.timedelta(3))
    publish(world)
    assert services.send_digests(frequency="daily", now=NEXT_MORNING).people == 0
    # Monday 14 December: the week of 7 December is over.
    monday = dt.datetime(2026, 12, 14, 6, 45, tzinfo=dt.UTC)
    assert services.send_digests(frequency="weekly", now=monday).sent == 1
    assert "weekly" in mail.outbox[0].subject


def test_a_failed_email_leaves_the_watermark_for_the_next_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = build_world()
    reader_gets_daily_digests(world)
    publish(world)

    def refuse(*args: object, **kwargs: object) -> int:
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert services.send_digests(frequency="daily", now=NEXT_MORNING).failed == 1
    watermark = FollowSettings.objects.get(user=world.reader).digest_sent_up_to
    assert watermark is not None and watermark < NEXT_MORNING
    monkeypatch.undo()
    assert services.send_digests(frequency="daily", now=NEXT_MORNING).sent == 1


def test_unsubscribing_turns_digests_off_once() -> None:
    world = build_world()
    reader_gets_daily_digests(world)
    assert services.unsubscribe(user_id=world.reader.pk) is True
    assert services.unsubscribe(user_id=world.reader.pk) is False
    assert queries.settings_of(world.reader).digest_frequency == "off"
    assert Follow.objects.filter(user=world.reader).exists()  # still following


def test_resetting_the_feed_token_makes_a_new_secret() -> None:
    world = build_world()
    old = queries.settings_of(world.reader).feed_token
    new = services.reset_feed_token(user=world.reader)
    assert new != old and len(new) >= 40


def test_a_long_digest_lists_fifty_and_says_how_many_more() -> None:
    world = build_world()
    reader_gets_daily_digests(world)
    for n in range(services.DIGEST_LIMIT + 3):
        publish_happening(
            Happening(
                kind="figures-published",
                title=f"Figures {n}",
                url="/performance/",
                happened_at=DAY,
                concerns=[f"organisation:{world.council.pk}"],
            )
        )
    StoredHappening.objects.update(recorded_at=DAY)
    services.send_digests(frequency="daily", now=NEXT_MORNING)
    [email] = mail.outbox
    assert email.body.count("\n- ") + email.body.startswith("- ") <= services.DIGEST_LIMIT
    assert "And 3 more" in email.body
    assert DigestSending.objects.get().happening_count == services.DIGEST_LIMIT + 3


def test_titles_people_wrote_are_escaped_in_the_html_digest() -> None:
    world = build_world()
    world.draft.title = '<script>alert("x")</script> & parking'
    world.draft.save()
    reader_gets_daily_digests(world)
    publish(world)
    services.send_digests(frequency="daily", now=NEXT_MORNING)
    [email] = mail.outbox
    assert isinstance(email, EmailMultiAlternatives)
    html = str(email.alternatives[0][0])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<script>alert("x")</script> & parking' in email.body  # plain text stays text


def test_the_command_runs_the_digests_through_the_background_interface() -> None:
    from io import StringIO

    from django.core.management import call_command

    world = build_world()
    reader_gets_daily_digests(world, since=DAY - dt.timedelta(days=5))
    publish(world, at=DAY - dt.timedelta(days=3))
    out = StringIO()
    call_command("send_digests", frequency="daily", stdout=out)
    assert "1 sent" in out.getvalue()
    call_command("send_digests", frequency="daily", stdout=out)
    assert "0 people" in out.getvalue()
    assert len(mail.outbox) == 1


def test_only_people_with_a_profile_the_follower_may_see_can_be_followed() -> None:
    from kitbag.accounts.models import Profile
    from kitbag.accounts.permissions import visible_profiles

    world = build_world()
    public = UserFactory.create(email="public@example.org")
    Profile.objects.create(user=public, display_name="Pat Public", is_public=True)
    private = UserFactory.create(email="private@example.org")
    Profile.objects.create(user=private, display_name="Pri Vate", is_public=False)
    services.follow(user=world.reader, key=f"person:{public.pk}")
    with pytest.raises(ValidationError):
        services.follow(user=world.reader, key=f"person:{private.pk}")
    assert [t.name for t in queries.followed_things(world.reader)] == ["Pat Public"]
    # The rule is the profiles' own: the same people as visible_profiles, for each viewer.
    from kitbag.core.happenings import followable

    person = followable("person")
    assert person is not None and person.visible is not None
    staff = UserFactory.create(is_staff=True)
    for viewer in (None, world.reader, private, staff):
        expected = set(visible_profiles(viewer).values_list("user_id", flat=True))
        assert set(person.visible(viewer).values_list("pk", flat=True)) == expected
