
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The reminders models as they stood in disputes 0016, taken up without touching the database:
    each keeps its table (db_table = "disputes_…"), built by the disputes migrations."""

    initial = True

    dependencies = [
        ('disputes', '0017_models_move_to_their_apps'),
        ('cases', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='SweepRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField(verbose_name='started at')),
                ('finished_at', models.DateTimeField(db_index=True, verbose_name='finished at')),
                ('due', models.PositiveIntegerField(verbose_name='due')),
                ('sent', models.PositiveIntegerField(verbose_name='sent')),
                ('skipped', models.PositiveIntegerField(verbose_name='skipped')),
            ],
            options={
                'verbose_name': 'sweep run',
                'verbose_name_plural': 'sweep runs',
                'db_table': 'disputes_sweeprun',
                'ordering': ['-finished_at'],
            },
        ),
        migrations.CreateModel(
            name='Reminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('due_soon', 'Deadline soon'), ('lapsed', 'Deadline lapsed'), ('repeat', 'Still no answer'), ('promise', 'Promised refund date'), ('limitation', 'Limitation period running out')], max_length=16, verbose_name='kind')),
                ('sequence', models.PositiveIntegerField(verbose_name='sequence')),
                ('due_on', models.DateField(verbose_name='deadline')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='sent at')),
                ('email_claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='email being sent since')),
                ('email_sent_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='email sent at')),
                ('email_skipped', models.BooleanField(default=False, verbose_name='no email (unsubscribed or no address)')),
                ('sms_claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='text message being sent since')),
                ('sms_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='text message sent at')),
                ('sms_skipped', models.BooleanField(default=False, verbose_name='no text message (opted out or no number)')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='cases.case', verbose_name='case')),
                ('step', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='cases.step', verbose_name='step')),
            ],
            options={
                'verbose_name': 'reminder',
                'verbose_name_plural': 'reminders',
                'db_table': 'disputes_reminder',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('reminder_due_soon', 'Deadline soon'), ('reminder_lapsed', 'Deadline lapsed'), ('reminder_repeat', 'Still no answer'), ('reminder_promise', 'Promised refund date'), ('reminder_limitation', 'Limitation period running out'), ('purge_notice', 'Deletion of a closed case'), ('review', "A volunteer's review"), ('comment', "A volunteer's message")], max_length=24, verbose_name='kind')),
                ('data', models.JSONField(blank=True, default=dict, verbose_name='details')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='time')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.case', verbose_name='case')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                ('reminder', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notification', to='reminders.reminder')),
            ],
            options={
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
                'db_table': 'disputes_notification',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddIndex(
            model_name='reminder',
            index=models.Index(condition=models.Q(('email_sent_at__isnull', True), ('email_skipped', False)), fields=['created_at'], name='reminder_email_pending'),
        ),
        migrations.AddIndex(
            model_name='reminder',
            index=models.Index(condition=models.Q(('sms_sent_at__isnull', True), ('sms_skipped', False)), fields=['created_at'], name='reminder_sms_pending'),
        ),
        migrations.AddConstraint(
            model_name='reminder',
            constraint=models.UniqueConstraint(fields=('case', 'step', 'kind', 'sequence', 'due_on'), name='unique_reminder'),
        ),
        migrations.AddConstraint(
            model_name='reminder',
            constraint=models.UniqueConstraint(condition=models.Q(('step__isnull', True)), fields=('case', 'kind', 'sequence', 'due_on'), name='unique_case_reminder'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['user', '-created_at'], name='disputes_no_user_id_c6c09e_idx'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('read_at__isnull', True)), fields=['user'], name='notification_unread'),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
