"""The one interface for background work.

Write a task with ``@background_task`` and start it with ``run_in_background(task, **kwargs)``.
With no ``CELERY_BROKER_URL`` the task runs in this process before the call returns, so a laptop
needs nothing but SQLite; with a broker it goes to Celery workers (``kitbag worker``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from celery import shared_task
from celery.result import AsyncResult, EagerResult
from django.conf import settings


def background_task(func: Callable[..., Any]) -> Any:
    """Register ``func`` as a background task. Arguments must be JSON-serialisable keywords."""
    return shared_task(name=f"{func.__module__}.{func.__name__}")(func)


@dataclass(frozen=True)
class TaskHandle:
    id: str
    in_process: bool
    _result: AsyncResult | EagerResult

    @property
    def state(self) -> str:
        return str(self._result.state)

    def wait(self, timeout: float = 60.0) -> Any:
        """Wait for the task to finish and return its value (raises what the task raised)."""
        return self._result.get(timeout=timeout)


def runs_in_process() -> bool:
    return not settings.CELERY_BROKER_URL


def run_in_background(task: Any, /, **kwargs: Any) -> TaskHandle:
    if runs_in_process():
        eager = task.apply(kwargs=kwargs, throw=True)
        return TaskHandle(id=str(eager.id), in_process=True, _result=eager)
    result = task.apply_async(kwargs=kwargs)
    return TaskHandle(id=str(result.id), in_process=False, _result=result)
