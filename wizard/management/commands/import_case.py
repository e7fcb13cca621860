"""Create a case from a case file (shared/docs/case-format.md); the new case's id is the last line printed."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.backends import find_user
from documents.casefile.schema import CaseFileError
from wizard.casefile.importer import import_case


class Command(BaseCommand):
    help = "Import a case file (JSON); evidence files are read next to it. Prints the new case's id last."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the case file, e.g. case.json")
        parser.add_argument(
            "--owner",
            help="the merchant's account (email or mobile); by default the file's email or mobile, or a new account",
        )

    def handle(self, *args, file, owner=None, **options):
        path = Path(file)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file}: not a JSON document ({error})") from None
        user = None
        if owner:
            user = find_user(owner)
            if user is None:
                raise CommandError(f"--owner {owner}: no such account")
        try:
            case = import_case(document, actor=None, base_dir=path.parent, owner=user)
        except CaseFileError as error:
            raise CommandError(error.message) from None
        self.stdout.write(str(case.pk))
