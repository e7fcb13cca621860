"""The refund application asks for an answer within 15 days of receipt: its rule counts from delivery.

Only a rule still as seeded (counting from sending) changes; an admin's own choice is kept.
"""

from django.db import migrations


def from_receipt(apps, schema_editor):
    DeadlineRule = apps.get_model("escalation", "DeadlineRule")
    DeadlineRule.objects.filter(code="written-application", starts_on="sent").update(
        starts_on="delivered",
        name_zh="书面申请答复（本站默认：收到后15天）",
        name_en="Reply to the written application (app default: 15 days from receipt)",
    )


def from_sending(apps, schema_editor):
    DeadlineRule = apps.get_model("escalation", "DeadlineRule")
    DeadlineRule.objects.filter(code="written-application", starts_on="delivered").update(starts_on="sent")


class Migration(migrations.Migration):
    dependencies = [("escalation", "0004_rest_day_reminder_label")]

    operations = [migrations.RunPython(from_receipt, from_sending)]
