"""Read the exhibits waiting to be read: queue the stuck ones again (the sweep), or read them here."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cases.models import Evidence
from reading import reader, sweep


class Command(BaseCommand):
    help = "Queue again the exhibits stuck in PENDING (as the beat sweep does), or read them in this process."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="say what would be done, change nothing")
        parser.add_argument("--here", action="store_true", help="read every PENDING exhibit now, in this process")

    def handle(self, *args: Any, dry_run: bool = False, here: bool = False, **options: Any) -> None:
        if here:
            pending = Evidence.objects.filter(reading=Evidence.Reading.PENDING).order_by("uploaded_at")
            ids = list(pending.values_list("pk", flat=True))
            if dry_run:
                self.stdout.write(f"{len(ids)} exhibits would be read")
                return
            outcomes = [reader.read_evidence(pk) for pk in ids]
            read = outcomes.count(reader.Outcome.READ)
            self.stdout.write(f"{read} read, {outcomes.count(reader.Outcome.FAILED)} could not be read")
            return
        result = sweep.requeue_stuck(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{result.queued} exhibits {verb} queued again, {result.failed} {verb} marked as not readable"
            + (f", {result.not_sent} could not be sent (broker down)" if result.not_sent else "")
        )
