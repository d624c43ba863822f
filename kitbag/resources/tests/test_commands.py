"""The demonstration library: loaded once, again changes nothing, credited to no real person."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from kitbag.resources.management.commands.demo_resources import DEMO_EMAIL, DEMO_NAME
from kitbag.resources.models import Recommendation, Resource, Use

pytestmark = pytest.mark.django_db


def _state() -> tuple[list[object], ...]:
    return (
        list(Resource.objects.order_by("pk").values_list("pk", "url", "title", "updated_at")),
        list(Recommendation.objects.order_by("pk").values_list("pk", "why", "updated_at")),
        list(Recommendation.tags.through.objects.order_by("pk").values_list("pk", flat=True)),
        list(Use.objects.order_by("pk").values_list("pk", "key")),
    )


def test_the_demo_library_loads_once_and_again_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo_resources", unless_present=True)
    assert "has 10 resources" in capsys.readouterr().out
    assert Resource.objects.public().count() == 10
    before = _state()
    call_command("demo_resources", unless_present=True)
    assert "already there" in capsys.readouterr().out
    call_command("demo_resources")
    assert _state() == before
    page = Client().get("/resources/tags/accessibility/").content.decode()
    assert "GOV.UK Design System" in page and DEMO_NAME not in page
    detail = Client().get(
        Resource.objects.get(url="https://design-system.service.gov.uk/").get_absolute_url()
    )
    assert DEMO_NAME in detail.content.decode()
    assert not Recommendation.objects.exclude(person__email=DEMO_EMAIL).exists()
