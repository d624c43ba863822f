from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from kitbag.consultations.tests.world import consultation, paragraph_key, person
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@override_settings(KITBAG_RATE_LIMITS={"consultation-comments": "2/h"})
def test_commenting_is_rate_limited() -> None:
    made = consultation(OrganisationFactory.create())
    client = Client()
    client.force_login(person("r@example.org"))
    url = reverse("consultations:comment_form", args=[made.slug, paragraph_key(made, 2)])
    statuses = [
        client.post(url, {"paragraph": paragraph_key(made, 2), "text": f"Comment {n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
