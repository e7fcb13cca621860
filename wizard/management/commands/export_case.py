"""Write a case as a case file (JSON, shared/docs/case-format.md) to standard output."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.models import Case
from documents.casefile.exporter import export_case


class Command(BaseCommand):
    help = "Export a case as a case file (JSON) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("case", help="the case's id")

    def handle(self, *args, case, **options):
        try:
            found = Case.objects.filter(pk=case).first()
        except ValidationError:
            found = None
        if found is None:
            raise CommandError(f"{case}: no such case")
        self.stdout.write(json.dumps(export_case(found), ensure_ascii=False, indent=2))
