"""The two Polis openData conversations with votes, imported and exported through the commands:
Kitbag's groups agree with the groups Polis published (reference §4.12; benchmark
`benchmarks/polis_agreement.py`, where red-dwarf 0.4.0 scores 0.64 and 0.12 on the same two),
with no option but the slug, as someone importing a conversation would."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kitbag.conversations.opinion import group_agreement
from kitbag.conversations.polis_files import read_polis_dir

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.mark.parametrize(
    ("folder", "options", "k", "at_least"),
    [
        # One run on the final votes chooses k=3 (ARI 0.55); replaying the history keeps Polis's 2.
        ("brexit-consensus", [], 2, 0.85),
        # Its demographic statements (1-14) are guessed as meta from their wording.
        ("london.youth.policing", [], 3, 0.9),
    ],
)
def test_an_imported_conversation_is_grouped_as_polis_grouped_it(
    real_data_dir: Path, tmp_path: Path, folder: str, options: list[str], k: int, at_least: float
) -> None:
    source = real_data_dir / "polis_opendata_consultations" / folder
    out = StringIO()
    call_command("import_polis", str(source), "--slug", "real", *options, stdout=out)
    assert f"analysis k={k}" in out.getvalue()
    call_command("export_polis", "real", str(tmp_path), stdout=StringIO())
    ours = read_polis_dir(tmp_path).published_groups
    score, grouped = group_agreement(ours, read_polis_dir(source).published_groups)
    assert grouped > 20
    assert score >= at_least
