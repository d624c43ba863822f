"""Public pages built from imported data are cached until the data changes, and never personally."""

from collections.abc import Callable

import pytest
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from pytest_django import DjangoAssertNumQueries

from kitbag.accounts.models import User
from kitbag.core.page_cache import cache_public_page

pytestmark = pytest.mark.django_db


class CountingView:
    def __init__(self, make: Callable[[HttpRequest], HttpResponse] | None = None) -> None:
        self.calls = 0
        self.make = make or (lambda request: HttpResponse(f"page {self.calls}"))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.calls += 1
        return self.make(request)


@pytest.fixture
def version() -> list[str]:
    return ["v1"]


def cached(view: CountingView, version: list[str]) -> Callable[[HttpRequest], HttpResponse]:
    return cache_public_page(data_version=lambda: version[0])(view)


def anonymous(rf: RequestFactory, path: str = "/organisations/?kind=nhs-trust") -> HttpRequest:
    from django.contrib.auth.models import AnonymousUser

    request = rf.get(path)
    request.user = AnonymousUser()
    return request


def test_a_second_anonymous_visit_is_served_from_the_cache(
    rf: RequestFactory, version: list[str]
) -> None:
    view = CountingView()
    page = cached(view, version)
    first = page(anonymous(rf))
    second = page(anonymous(rf))
    assert view.calls == 1
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_new_data_version_rebuilds_the_page(rf: RequestFactory, version: list[str]) -> None:
    view = CountingView()
    page = cached(view, version)
    page(anonymous(rf))
    version[0] = "v2"  # an import changed the registry
    assert page(anonymous(rf)).content == b"page 2"


def test_each_address_is_cached_separately(rf: RequestFactory, version: list[str]) -> None:
    view = CountingView()
    page = cached(view, version)
    page(anonymous(rf, "/organisations/?nation=Wales"))
    page(anonymous(rf, "/organisations/?nation=Scotland"))
    assert view.calls == 2


def test_signed_in_people_always_get_a_fresh_page(rf: RequestFactory, version: list[str]) -> None:
    view = CountingView()
    page = cached(view, version)
    request = rf.get("/organisations/")
    request.user = User(email="officer@camden.gov.uk")
    page(request)
    page(request)
    assert view.calls == 2


def test_requests_with_an_api_token_are_not_cached(rf: RequestFactory, version: list[str]) -> None:
    view = CountingView()
    page = cached(view, version)
    for _ in range(2):
        request = anonymous(rf)
        request.META["HTTP_AUTHORIZATION"] = "Token abc"
        page(request)
    assert view.calls == 2


def test_a_page_holding_a_csrf_token_is_never_shared(
    rf: RequestFactory, version: list[str]
) -> None:
    view = CountingView(lambda request: HttpResponse(get_token(request)))
    page = cached(view, version)
    page(anonymous(rf))
    page(anonymous(rf))
    assert view.calls == 2


def test_a_page_that_showed_a_message_is_never_shared(
    rf: RequestFactory, version: list[str]
) -> None:
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    def shows_a_message(request: HttpRequest) -> HttpResponse:
        return HttpResponse(" ".join(str(m) for m in messages.get_messages(request)))

    view = CountingView(shows_a_message)
    page = cached(view, version)
    for _ in range(2):
        request = anonymous(rf)
        request.session = {}  # type: ignore[assignment]
        request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
        messages.success(request, "You have signed out.")
        page(request)
    assert view.calls == 2


def test_errors_are_not_cached(rf: RequestFactory, version: list[str]) -> None:
    view = CountingView(lambda request: HttpResponse("gone", status=404))
    page = cached(view, version)
    page(anonymous(rf))
    page(anonymous(rf))
    assert view.calls == 2


def test_the_cache_can_be_turned_off(
    rf: RequestFactory, version: list[str], settings: object
) -> None:
    settings.KITBAG_PAGE_CACHE_SECONDS = 0  # type: ignore[attr-defined]
    view = CountingView()
    page = cached(view, version)
    page(anonymous(rf))
    page(anonymous(rf))
    assert view.calls == 2


def test_when_the_data_version_is_unknown_pages_are_served_fresh(rf: RequestFactory) -> None:
    view = CountingView()
    page = cache_public_page(data_version=lambda: None)(view)
    page(anonymous(rf))
    page(anonymous(rf))
    assert view.calls == 2


def test_registry_pages_are_cached_until_an_import_changes_the_registry(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    from kitbag.registry import resolver
    from kitbag.registry.tests.factories import OrganisationFactory

    OrganisationFactory.create(name="Camden Council", short_name="Camden", slug="camden")
    resolver.invalidate_index()
    assert "Camden Council" in client.get("/organisations/").content.decode()
    with django_assert_num_queries(0):
        client.get("/organisations/")
    OrganisationFactory.create(name="Barnet Council", short_name="Barnet", slug="barnet")
    resolver.invalidate_index()
    assert "Barnet Council" in client.get("/organisations/").content.decode()
