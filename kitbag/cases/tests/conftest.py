from __future__ import annotations

import pytest

from kitbag.vocabularies.builtin import BUILTIN_LISTS
from kitbag.vocabularies.services import write_code_list


@pytest.fixture
def builtin_codes(db: None) -> None:
    """Kitbag's own code lists (phases, outcomes, evidence levels, spread relations...)."""
    for builtin in BUILTIN_LISTS:
        write_code_list(wanted=builtin.list, codes=builtin.codes)
