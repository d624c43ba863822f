from __future__ import annotations

import pytest

from kitbag.accounts.services.personal_data import erase_account, export_personal_data
from kitbag.consultations import services
from kitbag.consultations.models import Comment
from kitbag.consultations.tests.world import consultation, member, paragraph_key, person
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_personal_data_download_holds_a_person_s_comments() -> None:
    made = consultation(OrganisationFactory.create())
    someone = person("p@example.org", name="Pat")
    services.add_comment(
        consultation=made, by=someone, text="My view", paragraph_key=paragraph_key(made, 2)
    )
    data = export_personal_data(user=someone)["consultations"]
    assert data["display_name"] == "Pat"
    assert [c["text"] for c in data["comments_you_made"]] == ["My view"]


def test_erasing_an_account_keeps_comments_as_a_participant_with_the_name_gone() -> None:
    council = OrganisationFactory.create()
    made = consultation(council)
    someone = person("q@example.org", name="Quinn Surname")
    comment = services.add_comment(
        consultation=made, by=someone, text="Kept", paragraph_key=paragraph_key(made, 2)
    )
    officer = member(council, "o@example.org", role="member")
    answer = services.add_comment(
        consultation=made, by=officer, text="Answer", parent=comment, as_official=True
    )
    erase_account(user=someone, by=someone)
    erase_account(user=officer, by=officer)
    comment.refresh_from_db()
    answer.refresh_from_db()
    assert (comment.display_name, comment.author, comment.text) == ("a participant", None, "Kept")
    assert answer.display_name == council.display_name and answer.author is None
    assert not Comment.objects.filter(display_name__contains="Quinn").exists()
