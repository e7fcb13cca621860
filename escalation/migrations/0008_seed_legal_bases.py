"""Seed the legal bases letters cite (escalation.law), so an existing site has them before its first letter."""

from django.db import migrations


def seed(apps, schema_editor):
    from escalation.law import load_legal_bases

    load_legal_bases(apps.get_model("escalation", "LegalBasis"))


class Migration(migrations.Migration):
    dependencies = [("escalation", "0007_legal_bases")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
