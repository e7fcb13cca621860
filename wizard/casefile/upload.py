"""A case file as a volunteer uploads it: the JSON alone, or a zip of the JSON with its evidence files."""

import json
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from documents.casefile.schema import CaseFileError

MAX_JSON_BYTES = 2 * 1024 * 1024
MAX_MEMBERS = 200


@contextmanager
def opened(upload):
    """Yield (document, folder of its evidence files or None); raise CaseFileError for an unreadable upload."""
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK"):
        with tempfile.TemporaryDirectory(prefix="case-file-") as folder:
            document = unpack(upload, Path(folder))
            yield document, Path(folder)
        return
    if upload.size > MAX_JSON_BYTES:
        raise CaseFileError(_("The case file is too large for a JSON document."))
    yield parse(upload.read()), None


def parse(data):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CaseFileError(
            _("This is not a case file: upload the JSON document, or a zip holding case.json.")
        ) from None


def unpack(upload, folder):
    """Extract a zip safely into ``folder``: no absolute or ``..`` paths, bounded in count and size."""
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        raise CaseFileError(_("The zip file cannot be read.")) from None
    members = archive.infolist()
    total = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or total > settings.EVIDENCE_MAX_CASE_BYTES + MAX_JSON_BYTES:
        raise CaseFileError(_("The zip file holds too many files or too much data."))
    for member in members:
        name = PurePosixPath(member.filename)
        if member.is_dir():
            continue
        if name.is_absolute() or ".." in name.parts or "\\" in member.filename:
            raise CaseFileError(
                _("The zip file holds a file outside its own folder: %(name)s") % {"name": member.filename}
            )
        target = folder / Path(*name.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as source, target.open("wb") as out:
            out.write(source.read(settings.EVIDENCE_MAX_FILE_BYTES + 1))
    case_json = folder / "case.json"
    if not case_json.is_file():
        roots = [path for path in folder.glob("*.json") if path.is_file()]
        if len(roots) != 1:
            raise CaseFileError(_("Put the case file at the top of the zip, named case.json."))
        case_json = roots[0]
    return parse(case_json.read_bytes())
