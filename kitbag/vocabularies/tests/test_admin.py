from __future__ import annotations

import pytest
from django.test import Client

from kitbag.accounts.tests.factories import UserFactory
from kitbag.vocabularies.models import Code, CodeList
from kitbag.vocabularies.services import load_builtin_lists

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client: Client) -> Client:
    user = UserFactory.create(email="admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_a_loaded_list_cannot_be_edited_in_the_admin(admin_client_: Client) -> None:
    load_builtin_lists()
    code = Code.objects.in_list("cofog").get(code="07")

    response = admin_client_.post(
        f"/admin/vocabularies/code/{code.pk}/change/",
        {"code_list": code.code_list_id, "code": "07", "label": "Wellbeing", "sort_order": 6},
    )

    assert response.status_code == 403
    code.refresh_from_db()
    assert code.label == "Health"


def test_a_list_made_by_hand_can_be_edited_in_the_admin(admin_client_: Client) -> None:
    local = CodeList.objects.create(slug="local", name="Local")
    code = Code.objects.create(code_list=local, code="a", label="A")

    response = admin_client_.get(f"/admin/vocabularies/code/{code.pk}/change/")

    assert response.status_code == 200
    assert b'name="label"' in response.content
