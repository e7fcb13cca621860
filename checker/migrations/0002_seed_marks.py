"""Seed the marks of a refund scam (checker.marks), so a site has them before its first check."""

from django.db import migrations


def seed(apps, schema_editor):
    from checker.marks import load_marks

    load_marks(apps.get_model("checker", "ScamMark"))


class Migration(migrations.Migration):
    dependencies = [("checker", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
