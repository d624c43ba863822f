"""A page renders each page's sections once: two branches each adding the tag to the same
template showed a consultation's conversations twice (found by a browser journey)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import kitbag

TAG = re.compile(r"{%\s*page_sections\s+\"([^\"]+)\"")


def test_no_template_renders_a_page_s_sections_twice() -> None:
    twice = {}
    for template in Path(kitbag.__file__).parent.glob("*/templates/**/*.html"):
        counts = Counter(TAG.findall(template.read_text(encoding="utf-8")))
        repeated = sorted(page for page, count in counts.items() if count > 1)
        if repeated:
            twice[str(template)] = repeated
    assert twice == {}
