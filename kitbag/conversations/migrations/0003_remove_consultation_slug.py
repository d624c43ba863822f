"""The loose slug goes once 0002 has turned it into the relation (a separate migration, so
PostgreSQL never alters a table with the data migration's updates pending)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("conversations", "0002_consultation_relation")]

    operations = [migrations.RemoveField(model_name="conversation", name="consultation_slug")]
