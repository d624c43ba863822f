"""Shared test setup: required components fail rather than skip when CI says they must run."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator

import pytest

_TEST_CACHE_DIR = pytest.StashKey[str]()


def required(component: str) -> bool:
    """True when KITBAG_REQUIRE_<COMPONENT> is set, as .ci/run does: then a missing part fails."""
    return os.environ.get(f"KITBAG_REQUIRE_{component.upper()}", "") not in {"", "0", "false"}


def skip_or_fail(component: str, reason: str) -> None:
    if required(component):
        pytest.fail(f"{reason} (KITBAG_REQUIRE_{component.upper()} is set, so this must run)")
    pytest.skip(reason)


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # The test live server serves static files straight from the finders, which know nothing of
    # the hashed names a manifest storage writes; production keeps the manifest (settings.py).
    # Each test run gets its own cache directory, so that it neither wipes nor reads the cache of
    # a running `make run` or of another test run on the same machine.
    if str(settings.CACHES["default"]["BACKEND"]).endswith("FileBasedCache"):
        import tempfile

        settings.CACHES = {
            **settings.CACHES,
            "default": {
                **settings.CACHES["default"],
                "LOCATION": tempfile.mkdtemp(prefix="kitbag-test-cache-"),
            },
        }
        config.stash[_TEST_CACHE_DIR] = settings.CACHES["default"]["LOCATION"]
    # Django's real hasher is slow on purpose (hundreds of thousands of rounds); the suite signs
    # in thousands of times and tests what a hash is used for, not how slow it is to guess.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every test client builds the middleware again, and WhiteNoise would list every static file
    # each time (a quarter of a second); in tests it looks a file up when it is asked for.
    settings.WHITENOISE_AUTOREFRESH = True
    # Finding by meaning is off unless a test turns it on (kitbag/semantic/tests: the hashing
    # encoder, or the real model in the few tests that load it once per session).
    settings.KITBAG_SEMANTIC = os.environ.get("KITBAG_TEST_SEMANTIC", "off")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Sets in test ids in sorted order: each test process hashes strings differently, and the
    processes of a parallel run must agree on every test's id."""
    if isinstance(val, set | frozenset):
        return "{" + ",".join(sorted(str(item) for item in val)) + "}"
    return None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Heaviest modules first: the browser journeys and the real-data imports, then the rest by
    how many tests they hold.

    pytest-xdist (`--dist loadfile`) hands out whole modules in this order (the Makefile turns
    off its own reordering, which goes by test count alone and so left the real-data modules,
    a few slow tests each, for last): a heavy module drawn last would leave one process working
    alone at the end. The sort is stable: within a module the random order stands.
    """

    def module_of(item: pytest.Item) -> str:
        return item.nodeid.split("::")[0]

    def is_heavy(item: pytest.Item) -> bool:
        return "tests/browser/" in item.nodeid or item.get_closest_marker("integration") is not None

    heavy_modules = {module_of(item) for item in items if is_heavy(item)}
    tests_in = Counter(module_of(item) for item in items)
    items.sort(key=lambda item: (module_of(item) not in heavy_modules, -tests_in[module_of(item)]))


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    directory = config.stash.get(_TEST_CACHE_DIR, None)
    if directory:
        shutil.rmtree(directory, ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    return [
        f"kitbag database: {settings.DATABASES['default']['ENGINE']}",
        f"kitbag data dir: {settings.KITBAG_DATA_DIR or '(none)'}",
    ]


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    from django.core.cache import cache

    from kitbag.registry.resolver import forget_index_in_memory, invalidate_index

    cache.clear()
    # The resolver keeps its index in memory; a previous test's organisations must not leak in.
    invalidate_index()
    yield
    # Nor this test's into a module-scoped fixture that runs before the next test's setup.
    forget_index_in_memory()


@pytest.fixture(scope="module", autouse=True)
def _fresh_name_index_per_module() -> None:
    """A module's own real-data fixture resolves names against its rows, not the last module's."""
    from kitbag.registry.resolver import forget_index_in_memory

    forget_index_in_memory()


@pytest.fixture(scope="session")
def real_data_dir() -> object:
    """The directory of real open data (KITBAG_DATA_DIR), for integration tests."""
    from pathlib import Path

    from django.conf import settings

    directory = Path(settings.KITBAG_DATA_DIR) if settings.KITBAG_DATA_DIR else None
    if directory is None or not (directory / "mysociety_uk_local_authorities").is_dir():
        skip_or_fail("data", f"the real open data is not at KITBAG_DATA_DIR={directory}")
    return directory
