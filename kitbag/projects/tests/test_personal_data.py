"""A councillor's questions and roles in their data download; erasure keeps the questions."""

from __future__ import annotations

import pytest

from kitbag.projects import services
from kitbag.projects.models import Councillor, Question
from kitbag.projects.personal_data import collect, erase
from kitbag.projects.tests.world import make_project, make_world

pytestmark = pytest.mark.django_db


def test_a_councillors_questions_are_theirs_to_download_and_stay_when_erased() -> None:
    world = make_world()
    project = make_project(world)
    services.ask_question(project=project, text="When does it start?", by=world.councillor)
    data = collect(world.councillor)
    assert data["questions_you_asked"][0]["text"] == "When does it start?"
    assert data["councillor_for"][0]["partnership"] == world.partnership.name
    erase(world.councillor)
    assert Question.objects.get().asked_by is None
    assert not Councillor.objects.filter(ended_at__isnull=True).exists()
