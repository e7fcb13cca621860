
from django.db import migrations


# Which app now owns each model that lived in disputes.
MOVED = {
    "cases": ["case", "party", "charge", "step", "evidence", "event", "wizardstate", "formsubmission"],
    "reminders": ["reminder", "notification", "sweeprun"],
    "documents": ["document", "letterreview"],
    "review": ["comment"],
    "accounts": ["profile", "smscode", "failedlogin", "passwordresetrequest"],
}


def relabel(apps, schema_editor, old_label=None, new_label=None):
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = ContentType.objects.using(schema_editor.connection.alias)
    for app_label, models in MOVED.items():
        source, target = old_label or app_label, new_label or app_label
        for model in models:
            if not rows.filter(app_label=target, model=model).exists():
                rows.filter(app_label=source, model=model).update(app_label=target)


def hand_over_content_types(apps, schema_editor):
    relabel(apps, schema_editor, old_label="disputes")


def take_back_content_types(apps, schema_editor):
    relabel(apps, schema_editor, new_label="disputes")


class Migration(migrations.Migration):
    """The models move to the apps that own them (issue 19): the state forgets them here and the
    apps' 0001 migrations take them up, each keeping its table (db_table), so no row moves. The
    content types follow, and with them the permissions (cases.review_case) and admin log entries."""

    dependencies = [
        ('disputes', '0016_named_queue_reasons_and_notice_kinds'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    state_operations = [
        migrations.RemoveField(
            model_name='case',
            name='assigned_to',
        ),
        migrations.RemoveField(
            model_name='case',
            name='owner',
        ),
        migrations.RemoveField(
            model_name='case',
            name='policy_revision',
        ),
        migrations.RemoveField(
            model_name='case',
            name='provider',
        ),
        migrations.RemoveField(
            model_name='case',
            name='recovered_rung',
        ),
        migrations.RemoveField(
            model_name='case',
            name='rung',
        ),
        migrations.RemoveField(
            model_name='notification',
            name='case',
        ),
        migrations.RemoveField(
            model_name='event',
            name='case',
        ),
        migrations.RemoveField(
            model_name='charge',
            name='case',
        ),
        migrations.RemoveField(
            model_name='letterreview',
            name='case',
        ),
        migrations.RemoveField(
            model_name='evidence',
            name='case',
        ),
        migrations.RemoveField(
            model_name='reminder',
            name='case',
        ),
        migrations.RemoveField(
            model_name='comment',
            name='case',
        ),
        migrations.RemoveField(
            model_name='party',
            name='case',
        ),
        migrations.RemoveField(
            model_name='document',
            name='case',
        ),
        migrations.RemoveField(
            model_name='wizardstate',
            name='case',
        ),
        migrations.RemoveField(
            model_name='formsubmission',
            name='case',
        ),
        migrations.RemoveField(
            model_name='step',
            name='case',
        ),
        migrations.RemoveField(
            model_name='comment',
            name='author',
        ),
        migrations.RemoveField(
            model_name='document',
            name='channel',
        ),
        migrations.RemoveField(
            model_name='document',
            name='issued_by',
        ),
        migrations.RemoveField(
            model_name='document',
            name='review',
        ),
        migrations.RemoveField(
            model_name='event',
            name='actor',
        ),
        migrations.RemoveField(
            model_name='evidence',
            name='step',
        ),
        migrations.RemoveField(
            model_name='evidence',
            name='uploaded_by',
        ),
        migrations.DeleteModel(
            name='FailedLogin',
        ),
        migrations.RemoveField(
            model_name='letterreview',
            name='channel',
        ),
        migrations.RemoveField(
            model_name='letterreview',
            name='requested_by',
        ),
        migrations.RemoveField(
            model_name='letterreview',
            name='reviewer',
        ),
        migrations.RemoveField(
            model_name='notification',
            name='reminder',
        ),
        migrations.RemoveField(
            model_name='notification',
            name='user',
        ),
        migrations.DeleteModel(
            name='PasswordResetRequest',
        ),
        migrations.RemoveField(
            model_name='profile',
            name='user',
        ),
        migrations.RemoveField(
            model_name='reminder',
            name='step',
        ),
        migrations.DeleteModel(
            name='SmsCode',
        ),
        migrations.RemoveField(
            model_name='step',
            name='channel',
        ),
        migrations.RemoveField(
            model_name='step',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='step',
            name='rule',
        ),
        migrations.RemoveField(
            model_name='step',
            name='rung',
        ),
        migrations.DeleteModel(
            name='SweepRun',
        ),
        migrations.DeleteModel(
            name='Charge',
        ),
        migrations.DeleteModel(
            name='Party',
        ),
        migrations.DeleteModel(
            name='WizardState',
        ),
        migrations.DeleteModel(
            name='FormSubmission',
        ),
        migrations.DeleteModel(
            name='Case',
        ),
        migrations.DeleteModel(
            name='Comment',
        ),
        migrations.DeleteModel(
            name='Document',
        ),
        migrations.DeleteModel(
            name='Event',
        ),
        migrations.DeleteModel(
            name='Evidence',
        ),
        migrations.DeleteModel(
            name='LetterReview',
        ),
        migrations.DeleteModel(
            name='Notification',
        ),
        migrations.DeleteModel(
            name='Profile',
        ),
        migrations.DeleteModel(
            name='Reminder',
        ),
        migrations.DeleteModel(
            name='Step',
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
        migrations.RunPython(hand_over_content_types, take_back_content_types),
    ]
