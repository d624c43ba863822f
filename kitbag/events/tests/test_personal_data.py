from __future__ import annotations

import pytest

from kitbag.accounts.services.personal_data import erase_account, export_personal_data
from kitbag.accounts.tests.factories import UserFactory
from kitbag.events import services
from kitbag.events.models import SignUp, SignUpStatus
from kitbag.events.tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_a_persons_sign_ups_and_sessions_are_in_their_data() -> None:
    person = UserFactory.create()
    event = EventFactory.create(title="Meetup")
    services.sign_up(event=event, user=person)
    SessionFactory.create(host=person, title="My pitch")
    data = export_personal_data(user=person)["events"]
    assert [row["event"] for row in data["sign_ups"]] == ["Meetup"]
    assert [row["title"] for row in data["sessions_hosted"]] == ["My pitch"]


def test_erasing_an_account_gives_up_its_place_to_the_waiting_list_and_drops_its_names() -> None:
    event = EventFactory.create(capacity=1)
    leaving, waiting = UserFactory.create(), UserFactory.create()
    services.sign_up(event=event, user=leaving)
    services.sign_up(event=event, user=waiting)
    session = SessionFactory.create(host=leaving, host_name="Leaving Lee")
    organised = EventFactory.create(organiser=leaving, organiser_name="Leaving Lee")
    erase_account(user=leaving, by=leaving)
    assert SignUp.objects.get(event=event).status == SignUpStatus.CONFIRMED
    session.refresh_from_db()
    organised.refresh_from_db()
    assert session.host is None and "Leaving Lee" not in session.host_name
    assert organised.organiser is None and "Leaving Lee" not in organised.organiser_name
