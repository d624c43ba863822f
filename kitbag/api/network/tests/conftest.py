"""Fixtures of the network tests: a small LGSL, and people with public or private profiles."""

from __future__ import annotations

import pytest

from kitbag.network.tests.factories import Lgsl, lgsl_services


@pytest.fixture
def lgsl(db: None) -> Lgsl:
    return lgsl_services()
