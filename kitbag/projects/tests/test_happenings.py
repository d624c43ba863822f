"""Projects as followable things: only what the person may see, named by the projects part."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kitbag.follows import services as follows
from kitbag.follows.queries import followed_things
from kitbag.performance.models import Visibility
from kitbag.projects.tests.world import make_project, make_world

pytestmark = pytest.mark.django_db


def test_a_person_follows_a_project_they_may_see_and_no_other() -> None:
    world = make_world()
    shared = make_project(world, visibility=Visibility.PARTNERS, title="Shared falls work")
    follows.follow(user=world.partner_member, key=f"project:{shared.pk}")
    (thing,) = followed_things(world.partner_member)
    assert thing.name == "Shared falls work" and thing.url == shared.get_absolute_url()
    with pytest.raises(ValidationError):
        follows.follow(user=world.outsider, key=f"project:{shared.pk}")
