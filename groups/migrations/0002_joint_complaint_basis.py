"""Add the legal basis the joint complaint cites while it is in force (SAMR Order No. 20, Art. 11, until 2026-04-15).

Only missing bases are created, so an admin's edits to existing ones are kept. It lives here, beside the
feature that cites it, rather than as a new escalation migration.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from escalation.law import load_legal_bases

    load_legal_bases(apps.get_model("escalation", "LegalBasis"))


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial"), ("escalation", "0012_no_internal_references")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
