from django.core.management.base import BaseCommand

from reminders import sweep as reminders


class Command(BaseCommand):
    help = "Send the deadline reminders that are due now (what Celery beat runs every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; send and change nothing.")

    def handle(self, *args, **options):
        result = reminders.sweep(dry_run=True) if options["dry_run"] else reminders.sweep_all()
        self.stdout.write(result.summary())
