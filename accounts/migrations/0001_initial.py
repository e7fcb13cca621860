
import django.db.models.deletion
import lib.chinatime
import reminders.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The accounts models as they stood in disputes 0016, taken up without touching the database:
    each keeps its table (db_table = "disputes_…"), built by the disputes migrations."""

    initial = True

    dependencies = [
        ('disputes', '0017_models_move_to_their_apps'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='FailedLogin',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('account', models.CharField(db_index=True, max_length=64)),
                ('address', models.CharField(blank=True, db_index=True, max_length=45)),
                ('at', models.DateTimeField(db_index=True, default=lib.chinatime.now)),
            ],
            options={
                'verbose_name': 'failed login',
                'verbose_name_plural': 'failed logins',
                'db_table': 'disputes_failedlogin',
            },
        ),
        migrations.CreateModel(
            name='PasswordResetRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.CharField(db_index=True, max_length=64, verbose_name='email (keyed hash)')),
                ('address', models.CharField(blank=True, db_index=True, max_length=45, verbose_name='client address')),
                ('at', models.DateTimeField(db_index=True, default=lib.chinatime.now, verbose_name='asked at')),
            ],
            options={
                'verbose_name': 'password-reset request',
                'verbose_name_plural': 'password-reset requests',
                'db_table': 'disputes_passwordresetrequest',
            },
        ),
        migrations.CreateModel(
            name='SmsCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(db_index=True, max_length=64, verbose_name='number (keyed hash)')),
                ('address', models.CharField(blank=True, db_index=True, max_length=45, verbose_name='client address')),
                ('code_hash', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(db_index=True, verbose_name='sent at')),
                ('expires_at', models.DateTimeField(verbose_name='expires at')),
                ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='used at')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='wrong tries')),
            ],
            options={
                'verbose_name': 'login code',
                'verbose_name_plural': 'login codes',
                'db_table': 'disputes_smscode',
            },
        ),
        migrations.CreateModel(
            name='Profile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('full_name', models.CharField(max_length=60, verbose_name='full name')),
                ('mobile', models.CharField(max_length=20, verbose_name='mobile number')),
                ('mobile_verified_at', models.DateTimeField(blank=True, editable=False, help_text='When a code sent by text message proved the number; only then does it log in.', null=True, verbose_name='mobile number verified at')),
                ('postal_address', models.CharField(blank=True, max_length=200, verbose_name='postal address')),
                ('id_number', models.CharField(blank=True, help_text='Optional. Only printed in the documents that legally need it; shown masked elsewhere.', max_length=18, verbose_name='ID card number')),
                ('ethnicity', models.CharField(blank=True, help_text='Optional; a civil complaint states it (e.g. 汉族).', max_length=20, verbose_name='ethnicity')),
                ('occupation', models.CharField(blank=True, help_text='Optional; a civil complaint states it.', max_length=60, verbose_name='occupation')),
                ('language', models.CharField(choices=[('zh-hans', 'Simplified Chinese'), ('en', 'English')], default='zh-hans', max_length=8, verbose_name='language')),
                ('email_reminders', models.BooleanField(default=True, help_text='In-app notices are always kept.', verbose_name='reminders by email')),
                ('sms_reminders', models.BooleanField(default=True, help_text="A short text to your mobile when the other side's time runs out.", verbose_name='reminders by text message')),
                ('calendar_token', models.CharField(default=reminders.models.new_calendar_token, editable=False, max_length=64, unique=True, verbose_name='calendar feed key')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'merchant profile',
                'verbose_name_plural': 'merchant profiles',
                'db_table': 'disputes_profile',
                'constraints': [models.UniqueConstraint(condition=models.Q(('mobile_verified_at__isnull', False)), fields=('mobile',), name='disputes_profile_verified_mobile_unique')],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
