from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator

import pytest


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.parametrize("module", ["kitbag.wsgi", "kitbag.asgi"])
def test_a_serving_process_puts_what_it_made_while_starting_out_of_the_collectors_reach(
    module: str, unfrozen: None
) -> None:
    assert gc.get_freeze_count() == 0
    importlib.reload(importlib.import_module(module))
    assert gc.get_freeze_count() > 0
