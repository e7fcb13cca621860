"""Write every document of a case as PDF into a folder (bulk printing, checks).

Issued documents are written exactly as frozen (their latest version per
language); a letter never issued is rendered fresh from the case as it is now
and named ``…-draft``. The handoff packet of the case is written as ``packet.pdf``.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.models import Case
from documents import letters
from documents.letters import bilingual
from documents.models import Document
from documents.packet import write_packet


class Command(BaseCommand):
    help = "Write every document of a case, and its handoff packet, as PDF into --out."

    def add_arguments(self, parser):
        parser.add_argument("case", help="the case's id (UUID)")
        parser.add_argument("--out", required=True, help="folder to write into (created if missing)")
        parser.add_argument(
            "--language",
            choices=Document.Language.values,
            help="default: Chinese, with an English translation for an owner who reads English",
        )

    def handle(self, *args, **options):
        try:
            case = Case.objects.select_related("owner").get(pk=options["case"])
        except (Case.DoesNotExist, ValidationError):
            raise CommandError(f"No case with id {options['case']}") from None
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        language = options["language"] or bilingual.default_language(case)
        written = 0
        for letter in letters.available_letters(case):
            issued = case.documents.filter(kind=letter.kind, channel=letter.channel, language=language).first()
            if issued is not None:
                target = out / issued.filename
                with issued.pdf.open("rb") as handle:
                    target.write_bytes(handle.read())
            else:
                channel = f"-{letter.channel_code}" if letter.channel else ""
                target = out / f"{letter.kind}{channel}-draft.{language}.pdf"
                _html, pdf = letters.render_pdf(case, letter, language)
                target.write_bytes(pdf)
            written += 1
            self.stdout.write(str(target))
        target = out / "packet.pdf"
        with target.open("wb") as handle:
            write_packet(case, handle, bilingual.text_language(language))  # its own pages in one language
        written += 1
        self.stdout.write(str(target))
        self.stdout.write(f"written={written}")
