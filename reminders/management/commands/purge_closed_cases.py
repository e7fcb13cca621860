from django.core.management.base import BaseCommand

from reminders.retention import purge_closed_cases


class Command(BaseCommand):
    help = "Tell owners, then delete closed cases older than CLOSED_CASE_RETENTION_DAYS (Celery beat runs this too)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only.")

    def handle(self, *args, **options):
        told, purged = purge_closed_cases(dry_run=options["dry_run"])
        self.stdout.write(f"told={told} purged={purged}")
