from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from kitbag.consultations import services
from kitbag.consultations.exchange import (
    FORMAT,
    ExchangeError,
    export_consultation,
    import_consultation,
)
from kitbag.consultations.models import Consultation
from kitbag.consultations.tests.world import REVISED, consultation, member, paragraph_key, person
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def discussed() -> Consultation:
    council = OrganisationFactory.create(code="DEV")
    made = consultation(council)
    resident = person("r@example.org", name="Robin")
    top = services.add_comment(
        consultation=made,
        by=resident,
        text="Sundays yes",
        paragraph_key=paragraph_key(made, 2),
        quote=services.QuoteIn(exact="on Sundays", prefix="Library ", suffix=" from"),
    )
    services.add_comment(
        consultation=made,
        by=member(council, "o@example.org", role="member"),
        text="Noted.",
        parent=top,
        as_official=True,
    )
    services.add_comment(
        consultation=made, by=resident, text="Mondays", paragraph_key=paragraph_key(made, 3)
    )
    services.publish_revision(consultation=made, document=REVISED, by=None, check_permission=False)
    return made


def test_the_export_has_the_exchange_format_s_fields() -> None:
    data = export_consultation(discussed())
    assert data["format"] == FORMAT and data["organisation"] == "DEV"
    assert [v["number"] for v in data["versions"]] == [1, 2]
    first = data["comments"][0]
    assert set(first) == {
        "id",
        "author",
        "created",
        "version",
        "paragraph",
        "quote",
        "parent",
        "official",
        "text",
        "anchor",
    }
    assert first["quote"] == {"exact": "on Sundays", "prefix": "Library ", "suffix": " from"}
    assert first["anchor"] == {"version": 2, "paragraph": first["paragraph"], "status": "unchanged"}
    assert data["comments"][1]["official"] is True and data["comments"][1]["parent"] == first["id"]
    assert data["statistics"] == {
        "comments": 2,
        "answered": 1,
        "answer_rate": 0.5,
        "median_hours_to_first_official_answer": data["statistics"][
            "median_hours_to_first_official_answer"
        ],
    }


def test_importing_an_export_gives_the_same_export() -> None:
    made = discussed()
    before = export_consultation(made)
    made.delete()
    result = import_consultation(json.loads(json.dumps(before)))
    assert result.created
    assert export_consultation(result.consultation) == before
    again = import_consultation(before)
    assert not again.created  # idempotent: nothing changes


def test_bad_files_are_refused_whole_with_each_problem_named() -> None:
    OrganisationFactory.create(code="DEV")
    bad = {
        "format": "kitbag-consultation/1",
        "slug": "x",
        "title": "X",
        "organisation": "DEV",
        "versions": [
            {
                "number": 1,
                "published": "2027-01-01T00:00:00+00:00",
                "paragraphs": [{"id": "a", "text": "A"}],
            }
        ],
        "comments": [
            {
                "id": "c1",
                "author": "A",
                "created": "yesterday",
                "version": 1,
                "paragraph": "zz",
                "quote": None,
                "parent": None,
                "official": False,
                "text": "t",
            },
        ],
    }
    with pytest.raises(ExchangeError) as raised:
        import_consultation(bad)
    assert any("comments[0].created" in p for p in raised.value.problems)
    assert any("comments[0].paragraph" in p for p in raised.value.problems)
    assert not Consultation.objects.exists()


def test_the_commands_export_revise_and_import(tmp_path: Path) -> None:
    made = discussed()
    out = tmp_path / "out.json"
    call_command("export_consultation", made.slug, str(out))
    exported = json.loads(out.read_text())
    revision = tmp_path / "v3.md"
    revision.write_text(REVISED + "\n\nA new closing paragraph.\n")
    call_command("revise_consultation", made.slug, str(revision))
    assert made.versions.count() == 3
    made.delete()
    call_command("import_consultation", str(out))
    assert Consultation.objects.get(slug=exported["slug"]).versions.count() == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="line 1"):
        call_command("import_consultation", str(broken))


def test_the_api_serves_the_same_export() -> None:
    made = discussed()
    response = Client().get(reverse("api_consultation_export", args=[made.slug]))
    assert response.status_code == 200 and response.json() == json.loads(
        json.dumps(export_consultation(made))
    )


def test_the_demo_consultation_is_made_once(capsys: pytest.CaptureFixture[str]) -> None:
    OrganisationFactory.create(code="YOR", name="City of York Council", slug="york")
    call_command("demo_consultation", "--unless-present")
    call_command("demo_consultation", "--unless-present")
    made = Consultation.objects.get()
    assert made.status == "open" and made.versions.get().paragraphs.count() >= 12
