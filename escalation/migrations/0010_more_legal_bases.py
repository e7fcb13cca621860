"""Add the legal bases that rate-hike and deception letters cite (民法典 Arts. 543, 148, 149, 157).

Only missing bases are created, so an admin's edits to existing ones are kept.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from escalation.law import load_legal_bases

    load_legal_bases(apps.get_model("escalation", "LegalBasis"))


class Migration(migrations.Migration):
    dependencies = [("escalation", "0009_samr_order_121")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
