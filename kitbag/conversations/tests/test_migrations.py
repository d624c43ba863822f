"""0002 turns the loose consultation slug into the relation, idempotently."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kitbag.consultations.tests.world import consultation as make_consultation
from kitbag.registry.tests.factories import OrganisationFactory

BEFORE = [("conversations", "0002_consultation_relation")]
LATEST = [("conversations", "0003_remove_consultation_slug")]


@pytest.mark.django_db(transaction=True)
def test_the_slug_becomes_the_relation_and_running_it_again_changes_nothing():
    consultation = make_consultation(OrganisationFactory.create(), slug="library-hours")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # back to where the slug still exists beside the relation
    apps = executor.loader.project_state(BEFORE).apps
    conversation_model = apps.get_model("conversations", "Conversation")
    linked = conversation_model.objects.create(
        slug="linked", title="Linked", consultation_slug="library-hours"
    )
    loose = conversation_model.objects.create(
        slug="loose", title="Loose", consultation_slug="no-such-consultation"
    )
    step = importlib.import_module("kitbag.conversations.migrations.0002_consultation_relation")
    for _ in range(2):
        step.consultation_from_slug(apps, None)
        linked.refresh_from_db()
        loose.refresh_from_db()
        assert linked.consultation_id == consultation.pk
        assert loose.consultation_id is None
    executor = MigrationExecutor(connection)
    executor.migrate(LATEST)
    from kitbag.conversations.models import Conversation

    assert Conversation.objects.get(slug="linked").consultation == consultation
