from pathlib import Path

import pytest

from kitbag.core.background import run_in_background
from kitbag.core.tasks import run_import
from kitbag.registry.models import Organisation
from kitbag.registry.tests.fixtures import FIXTURES


@pytest.mark.django_db
def test_an_import_runs_as_a_background_task_and_reports_what_it_did() -> None:
    handle = run_in_background(
        run_import,
        command="import_registry",
        data_dir=str(FIXTURES),
        sources=["mysociety-local-authorities"],
    )
    summary = handle.wait()
    assert "mysociety-local-authorities" in summary
    assert Organisation.objects.councils().exists()


@pytest.mark.django_db
def test_an_import_task_with_a_missing_directory_fails_loudly(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="does not exist"):
        run_in_background(run_import, command="import_registry", data_dir=str(tmp_path / "missing"))
