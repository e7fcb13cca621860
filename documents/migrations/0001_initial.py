
import django.db.models.deletion
import documents.models
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The documents models as they stood in disputes 0016, taken up without touching the database:
    each keeps its table (db_table = "disputes_…"), built by the disputes migrations."""

    initial = True

    dependencies = [
        ('disputes', '0017_models_move_to_their_apps'),
        ('cases', '0001_initial'),
        ('escalation', '0012_no_internal_references'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='LetterReview',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('kind', models.CharField(choices=[('refund_application', 'Refund application'), ('complaint_financial', 'Complaint to a financial regulator'), ('complaint_market', 'Complaint to a market regulator or consumer association'), ('complaint_association', 'Report to the payment industry association'), ('civil_complaint', 'Civil complaint and evidence list')], max_length=32, verbose_name='letter')),
                ('language', models.CharField(max_length=8, verbose_name='language')),
                ('html', models.TextField(verbose_name='letter as submitted')),
                ('shares_personal_data', models.BooleanField(default=False, help_text='The merchant agreed that volunteers see their ID number, mobile and address in the letter.', verbose_name='personal details shown to volunteers')),
                ('content_hash', models.CharField(max_length=64, verbose_name='content hash')),
                ('status', models.CharField(choices=[('pending', 'Waiting for a volunteer'), ('changes', 'Changes requested'), ('approved', 'Approved')], default='pending', max_length=16, verbose_name='status')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='submitted at')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                ('note', models.TextField(blank=True, verbose_name='changes requested')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='letter_reviews', to='cases.case', verbose_name='case')),
                ('channel', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='escalation.channel', verbose_name='addressed to')),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'letter review',
                'verbose_name_plural': 'letter reviews',
                'db_table': 'disputes_letterreview',
                'ordering': ['-requested_at'],
            },
        ),
        migrations.CreateModel(
            name='Document',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('kind', models.CharField(choices=[('refund_application', 'Refund application'), ('complaint_financial', 'Complaint to a financial regulator'), ('complaint_market', 'Complaint to a market regulator or consumer association'), ('complaint_association', 'Report to the payment industry association'), ('civil_complaint', 'Civil complaint and evidence list')], max_length=32, verbose_name='kind')),
                ('language', models.CharField(choices=[('zh-hans', 'Simplified Chinese'), ('en', 'English')], max_length=8, verbose_name='language')),
                ('version', models.PositiveIntegerField(verbose_name='version')),
                ('html', models.TextField(verbose_name='frozen HTML')),
                ('pdf', models.FileField(max_length=200, upload_to=documents.models.document_path, verbose_name='PDF')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256 of the PDF')),
                ('size', models.PositiveIntegerField(verbose_name='size (bytes)')),
                ('template_version', models.CharField(max_length=20, verbose_name='template version')),
                ('issued_at', models.DateTimeField(auto_now_add=True, verbose_name='issued at')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='cases.case', verbose_name='case')),
                ('channel', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='escalation.channel', verbose_name='addressed to')),
                ('issued_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
                ('review', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='documents', to='documents.letterreview', verbose_name='volunteer review')),
            ],
            options={
                'verbose_name': 'document',
                'verbose_name_plural': 'documents',
                'db_table': 'disputes_document',
                'ordering': ['kind', 'channel_id', 'language', '-version'],
                'constraints': [models.UniqueConstraint(fields=('case', 'kind', 'channel', 'language', 'version'), name='unique_document_version'), models.UniqueConstraint(condition=models.Q(('channel__isnull', True)), fields=('case', 'kind', 'language', 'version'), name='unique_unaddressed_document_version')],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
