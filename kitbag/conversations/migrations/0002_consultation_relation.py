"""A conversation's consultation as a real relation, filled from the loose `consultation_slug`.

Idempotent: only conversations without a consultation are filled, from a slug that names one; a
slug that names no consultation is left for 0003 to drop (nothing could point at it). Run twice,
it changes nothing the second time. Closing and who created it are new, empty for old rows.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def consultation_from_slug(apps, schema_editor):
    Conversation = apps.get_model("conversations", "Conversation")
    Consultation = apps.get_model("consultations", "Consultation")
    waiting = Conversation.objects.filter(consultation__isnull=True).exclude(consultation_slug="")
    for conversation in waiting:
        found = Consultation.objects.filter(slug=conversation.consultation_slug).first()
        if found is not None:
            conversation.consultation = found
            conversation.save(update_fields=["consultation"])


def slug_from_consultation(apps, schema_editor):
    Conversation = apps.get_model("conversations", "Conversation")
    for conversation in Conversation.objects.filter(consultation__isnull=False).select_related(
        "consultation"
    ):
        conversation.consultation_slug = conversation.consultation.slug
        conversation.save(update_fields=["consultation_slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0002_elsewhere"),
        ("conversations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="consultation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="conversations",
                to="consultations.consultation",
            ),
        ),
        migrations.AddField(
            model_name="conversation",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="conversation",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(consultation_from_slug, slug_from_consultation),
    ]
