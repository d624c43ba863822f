from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kitbag.core.models import ImportRun
from kitbag.vocabularies.models import Code

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_the_real_lgsl_files_import_completely_and_idempotently(real_data_dir: Path) -> None:
    call_command("import_vocabularies", "--data-dir", str(real_data_dir), stdout=StringIO())

    services = Code.objects.in_list("lgsl-services")
    functions = Code.objects.in_list("lgsl-functions")
    assert services.count() == 1519
    assert functions.count() == 113
    # Two levels: every function is a root or the child of a root.
    assert not functions.filter(parent__isnull=False, parent__parent__isnull=False).exists()
    assert functions.roots().count() == 13
    assert functions.filter(parent__isnull=False).count() == 100
    assert functions.get(code="3").parent == functions.get(
        code="1"
    )  # Benefits < Advice and benefits

    call_command("import_vocabularies", "--data-dir", str(real_data_dir), stdout=StringIO())

    second = ImportRun.objects.filter(source="lgsl").latest()
    assert (second.rows_read, second.created, second.updated) == (1632, 0, 0)
