"""One handler turns what the domain's services raise into the API's answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.exceptions import Throttled

from kitbag.accounts.services.memberships import InvitationUnusable, NotAllowed
from kitbag.api.base import ApiView
from kitbag.api.exceptions import handle_api_exception
from kitbag.meetings.openness.services import NotPermitted, OpennessError


class AdoptionsView(ApiView):
    service_field_names = {"adopter": "organisation"}


def answer(exc: Exception, view: object | None = None) -> tuple[int, Any]:
    response = handle_api_exception(exc, {"view": view or ApiView(), "request": None})
    assert response is not None
    return response.status_code, response.data


def test_a_service_validation_error_is_a_400_keyed_by_field() -> None:
    status, body = answer(ValidationError({"to_case": "A case cannot be related to itself."}))
    assert status == 400
    assert body == {"to_case": ["A case cannot be related to itself."]}


def test_a_field_the_service_names_differently_is_given_the_apis_name() -> None:
    error = ValidationError(
        {"adopter": "The lead organisation cannot adopt its own case.", "status": "Choose one."}
    )
    status, body = answer(error, AdoptionsView())
    assert status == 400
    assert body == {
        "organisation": ["The lead organisation cannot adopt its own case."],
        "status": ["Choose one."],
    }


def test_a_service_validation_error_without_fields_is_a_non_field_error() -> None:
    status, body = answer(ValidationError(["Too late.", "Try tomorrow."]))
    assert (status, body) == (400, {"non_field_errors": ["Too late.", "Try tomorrow."]})


@pytest.mark.parametrize(
    "error",
    [
        PermissionDenied("You are not a verified member of Camden Council."),
        NotPermitted("You are not a verified member of Camden Council."),
        NotAllowed("You are not a verified member of Camden Council."),
    ],
    ids=["django", "meetings", "accounts"],
)
def test_a_service_refusing_the_person_is_a_403_saying_why(error: Exception) -> None:
    status, body = answer(error)
    assert (status, body) == (403, {"detail": "You are not a verified member of Camden Council."})


@pytest.mark.parametrize(
    "error",
    [
        OpennessError("The date of the meeting must be today or in the past."),
        InvitationUnusable("The date of the meeting must be today or in the past."),
    ],
    ids=["meetings", "accounts"],
)
def test_a_service_refusing_what_was_asked_is_a_400_saying_why(error: Exception) -> None:
    status, body = answer(error)
    assert status == 400
    assert body == {"non_field_errors": ["The date of the meeting must be today or in the past."]}


def test_over_the_limit_is_a_429_with_the_seconds_to_wait() -> None:
    status, body = answer(Throttled(wait=12.2))
    assert status == 429
    assert body["retry_after"] == 13


def test_anything_else_is_left_to_django() -> None:
    assert handle_api_exception(RuntimeError("bug"), {"view": ApiView(), "request": None}) is None


def test_any_other_address_under_v1_is_a_json_404_whatever_the_method() -> None:
    client = Client(enforce_csrf_checks=True)
    for response in (client.get("/api/v1/nowhere"), client.delete("/api/v1/cases/x/y/z")):
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
