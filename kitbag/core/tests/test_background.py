import os
from collections.abc import Iterator

import pytest
import redis
from celery.contrib.testing.worker import start_worker

from conftest import skip_or_fail
from kitbag.celery import app
from kitbag.core.background import run_in_background, runs_in_process
from kitbag.core.tasks import check_worker_health


@pytest.mark.django_db
def test_without_a_broker_tasks_run_in_this_process_before_the_call_returns() -> None:
    assert runs_in_process()
    handle = run_in_background(check_worker_health)
    assert handle.in_process
    assert handle.state == "SUCCESS"
    assert handle.wait()["database"] in {"sqlite", "postgresql"}


@pytest.fixture
def celery_on_redis(settings: pytest.FixtureRequest) -> Iterator[str]:
    url = os.environ.get("KITBAG_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        skip_or_fail("celery", f"no Redis server at {url}")
    previous = dict(app.conf)
    settings.CELERY_BROKER_URL = url  # type: ignore[attr-defined]
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    _forget_result_backend()
    try:
        yield url
    finally:
        app.conf.update(
            broker_url=previous["broker_url"],
            result_backend=previous["result_backend"],
            task_always_eager=previous["task_always_eager"],
        )
        _forget_result_backend()


def _forget_result_backend() -> None:
    # Celery caches the result backend on first use; the test switches brokers at run time.
    app._backend_cache = None
    app._local.backend = None


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_with_a_broker_a_real_celery_worker_runs_the_task_through_redis(
    celery_on_redis: str,
) -> None:
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        handle = run_in_background(check_worker_health)
        assert not handle.in_process
        result = handle.wait(timeout=30)
    assert result["database"] in {"sqlite", "postgresql"}
    assert handle.state == "SUCCESS"
