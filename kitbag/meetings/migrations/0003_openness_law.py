"""Load the law by nation (kitbag/meetings/law.py) into LegalRule; running it again changes nothing."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from kitbag.meetings.openness.law import rules

    LegalRule = apps.get_model("meetings", "LegalRule")
    for rule in rules():
        LegalRule.objects.update_or_create(
            nation=rule.nation,
            activity=rule.activity,
            defaults={
                "position": rule.position,
                "summary": rule.summary,
                "instrument": rule.instrument,
                "provision": rule.provision,
                "url": rule.url,
                "in_force_from": rule.in_force_from,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_openness")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
