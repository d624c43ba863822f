"""Public pages are cached until what they show changes, and never personally."""

from collections.abc import Callable

import pytest
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from kitbag.accounts.models import User
from kitbag.core import page_cache
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
def version(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    current = ["v1"]
    monkeypatch.setattr(page_cache, "public_content_version", lambda: current[0])
    return current


def cached(view: CountingView, version: list[str]) -> Callable[[HttpRequest], HttpResponse]:
    return cache_public_page(view)


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


def test_when_the_data_version_is_unknown_pages_are_served_fresh(
    rf: RequestFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page_cache, "public_content_version", lambda: None)
    view = CountingView()
    page = cache_public_page(view)
    page(anonymous(rf))
    page(anonymous(rf))
    assert view.calls == 2


def test_registry_pages_are_cached_until_the_registry_changes(
    client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from kitbag.registry.tests.factories import OrganisationFactory

    # Each test runs in a transaction that never commits: the capture runs what a commit would.
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory.create(name="Camden Council", short_name="Camden", slug="camden")
    assert "Camden Council" in client.get("/organisations/").content.decode()
    with django_assert_num_queries(0):
        client.get("/organisations/")
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory.create(name="Barnet Council", short_name="Barnet", slug="barnet")
    assert "Barnet Council" in client.get("/organisations/").content.decode()


def test_an_import_makes_every_cached_page_fresh(
    rf: RequestFactory, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from kitbag.core.importing.recording import recorded_import
    from kitbag.core.importing.report import ImportReport

    view = CountingView()
    page = cache_public_page(view)
    page(anonymous(rf))
    with (
        django_capture_on_commit_callbacks(execute=True),
        recorded_import(ImportReport(source="test", location="here")),
    ):
        pass
    page(anonymous(rf))
    assert view.calls == 2


def test_a_change_waits_for_its_commit_and_counts_once_per_transaction(
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from django.db import transaction

    from kitbag.registry.tests.factories import OrganisationFactory

    published: list[None] = []
    monkeypatch.setattr(page_cache, "_publish_new_content_version", lambda: published.append(None))
    for round_ in (1, 2):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            OrganisationFactory.create(slug=f"one-{round_}")
            OrganisationFactory.create(slug=f"two-{round_}")
            assert len(published) == round_ - 1
        assert len(published) == round_
