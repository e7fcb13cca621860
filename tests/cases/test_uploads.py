"""The upload checks layer by layer, on their own: each layer must refuse what it is there for, even where
another layer would catch the same file first (the raw scan of the bytes, then every parsed object).

No database: these are the functions of cases/uploads.py called directly.
"""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NullObject, StreamObject, TextStringObject

from cases import uploads
from cases.uploads import (
    ACTIVE_PDF_ACTIONS,
    ACTIVE_PDF_KEYS,
    EMBEDDED_PDF_KEYS,
    check_pdf,
    dictionary_problem,
    harmless_open_action,
    listed_objects,
    looks_like_text,
    names_in,
    object_problem,
    pdf_pages,
    pdf_problem,
    raw_problem,
)
from tests import pdfs
from tests.pdfs import dictionary, name


def stream(data, **entries):
    obj = StreamObject()
    obj.update({NameObject(f"/{key}"): value for key, value in entries.items()})
    obj.set_data(data)
    return obj


# ----- one dictionary ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(EMBEDDED_PDF_KEYS))
def test_a_dictionary_carrying_a_file_is_embedded(key):
    assert dictionary_problem(DictionaryObject({NameObject(key): NullObject()})) == "embedded"


def test_an_embedded_file_stream_and_a_go_to_embedded_action_are_embedded():
    assert dictionary_problem(dictionary(Type=name("/EmbeddedFile"))) == "embedded"
    assert dictionary_problem(dictionary(S=name("/GoToE"))) == "embedded"
    # Embedded wins over active when a dictionary is both.
    assert dictionary_problem(dictionary(S=name("/GoToE"), JS=TextStringObject("x"))) == "embedded"


@pytest.mark.parametrize("key", sorted(ACTIVE_PDF_KEYS))
def test_a_dictionary_with_an_active_key_is_active(key):
    assert dictionary_problem(DictionaryObject({NameObject(key): NullObject()})) == "active"


@pytest.mark.parametrize("action", sorted(ACTIVE_PDF_ACTIONS))
def test_an_action_that_runs_opens_or_sends_something_is_active(action):
    assert dictionary_problem(dictionary(S=name(action))) == "active"


@pytest.mark.parametrize(
    "value",
    [
        ArrayObject([NullObject(), name("/Fit")]),  # a destination: show a page
        NullObject(),
        dictionary(S=name("/GoTo"), D=ArrayObject([NullObject(), name("/Fit")])),
    ],
)
def test_an_open_action_that_only_shows_a_page_is_harmless(value):
    assert harmless_open_action(value) is True
    assert dictionary_problem(dictionary(Type=name("/Catalog"), OpenAction=value)) is None


@pytest.mark.parametrize(
    "value",
    [dictionary(S=name("/URI"), URI=TextStringObject("https://example.com/")), dictionary(Type=name("/Action"))],
)
def test_any_other_open_action_is_active(value):
    assert harmless_open_action(value) is False
    assert dictionary_problem(dictionary(Type=name("/Catalog"), OpenAction=value)) == "active"


def test_ordinary_dictionaries_and_streams_are_fine():
    assert dictionary_problem(dictionary(Type=name("/Page"), S=name("/URI"))) is None
    assert dictionary_problem(dictionary(Type=name("/Font"), BaseFont=name("/AAAAAB+SimSun"))) is None
    # A page's content stream may hold any bytes: only an object stream's content is read as objects.
    assert dictionary_problem(stream(b"<< /S /JavaScript /JS (x) >>", Length=NullObject())) is None


def test_an_object_stream_is_read_for_the_objects_packed_in_it():
    packed = stream(b"1 0 << /S /JavaScript /JS (x) >>", Type=name("/ObjStm"))
    assert dictionary_problem(packed) == "active"
    embedded = stream(b"1 0 << /Type /Filespec /EF << /F 2 0 R >> >>", Type=name("/ObjStm"))
    assert dictionary_problem(embedded) == "embedded"
    assert dictionary_problem(stream(b"1 0 << /Type /Page >>", Type=name("/ObjStm"))) is None


# ----- names in the bytes -------------------------------------------------------------------------------------


def test_names_are_read_with_their_hex_escapes_decoded():
    assert names_in(b"<< /J#53 (x) /Type /Pa#67e /#41#41 1 >>") == {b"JS", b"Type", b"Page", b"AA"}
    assert names_in(b"/J#4A") == {b"JJ"}


def test_the_raw_scan_skips_stream_data_but_not_what_lies_around_it():
    content = b"<< /Length 30 >>stream\n/JS (inside a content stream)\nendstream"
    assert raw_problem(content) is None
    assert raw_problem(b"<< /S /JavaScript>>stream\nxx\nendstream") == "active"  # the key right before the stream
    assert raw_problem(b"<< /EmbeddedFiles 3 0 R /JS (x) >>") == "embedded"
    assert raw_problem(b"<< /S /GoToE >>") == "embedded"
    assert raw_problem(b"<< /Type /Page >>") is None


# ----- whole files ----------------------------------------------------------------------------------------------


def test_every_listed_object_is_walked_those_in_object_streams_too():
    reader = PdfReader(io.BytesIO(pdfs.compressed_harmless()))
    walked = {(obj.idnum, obj.generation): obj.get_object() for obj in listed_objects(reader)}
    assert walked[(3, 0)]["/Type"] == "/Page"  # the page packed in the object stream, generation 0
    assert walked[(1, 0)]["/Type"] == "/Catalog"


def test_a_script_packed_in_an_object_stream_is_found_by_walking_the_objects():
    plain = pdfs.page_tree()
    data = pdfs.assemble_with_object_stream(plain, {4: pdfs.javascript()})
    assert raw_problem(data) is None  # the script is compressed: the raw scan cannot see it
    assert object_problem(PdfReader(io.BytesIO(data), strict=False)) == "active"
    assert pdf_problem(data) == "active"


def test_a_file_too_large_to_walk_is_complex(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PDF_NODES", 3)
    assert object_problem(PdfReader(io.BytesIO(pdfs.compressed_harmless()))) == "complex"
    with pytest.raises(ValidationError) as refused:
        check_pdf(SimpleUploadedFile("a.pdf", pdfs.compressed_harmless()))
    assert refused.value.code == "pdf_complex"


def encrypted():
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"%PDF-1.4\n" + b"garbage" * 50, "broken"),
        (encrypted(), "encrypted"),
        (pdfs.embedded_file(), "embedded"),
        (pdfs.document_javascript(), "active"),
        (pdfs.opens_at_first_page(), None),
    ],
)
def test_each_reason_a_pdf_is_refused_has_its_code_and_message(data, problem):
    assert pdf_problem(data) == problem
    upload = SimpleUploadedFile("a.pdf", data)
    if problem is None:
        check_pdf(upload)
    else:
        with pytest.raises(ValidationError) as refused:
            check_pdf(upload)
        assert refused.value.code == f"pdf_{problem}"
        assert refused.value.messages == [str(uploads.PDF_MESSAGES[problem])]
    assert upload.tell() == 0  # left at the start for whoever reads it next


def test_a_slightly_damaged_pdf_that_viewers_open_is_accepted():
    """A startxref pointer one byte off, a missing %PDF header: a lenient reader repairs them, as viewers do."""
    data = pdfs.opens_at_first_page()
    offset = re.search(rb"startxref\n(\d+)", data)
    wrong_pointer = data.replace(offset[0], b"startxref\n" + str(int(offset[1]) + 1).encode())
    for damaged in (wrong_pointer, data.removeprefix(b"%PDF-1.7\n")):
        assert damaged != data
        assert pdf_problem(damaged) is None


def test_the_pdf_check_reads_the_whole_file_wherever_the_upload_stands():
    upload = SimpleUploadedFile("a.pdf", pdfs.document_javascript())
    upload.read()  # at the end, as after an earlier check
    with pytest.raises(ValidationError):
        check_pdf(upload)
    harmless = SimpleUploadedFile("b.pdf", pdfs.opens_at_first_page())
    harmless.read(7)
    check_pdf(harmless)
    assert harmless.tell() == 0


def test_the_page_count_leaves_the_upload_at_its_start():
    upload = SimpleUploadedFile("a.pdf", pdfs.opens_at_first_page())
    upload.read(5)
    assert pdf_pages(upload) == 1
    assert upload.tell() == 0
    broken = SimpleUploadedFile("b.pdf", b"%PDF-1.4 nothing")
    assert pdf_pages(broken) is None
    assert broken.tell() == 0


# ----- plain text --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("2025年3月1日 代理商：押金299元刷满退".encode(), True),
        ("你好，押金退吗".encode("gb18030"), True),  # a chat exported in GB18030
        (b"plain ascii", True),
        (b"\xff\xfe\xff", False),  # neither UTF-8 nor GB18030
        (b"hello\x00world", False),
        (b"  \n<HTML><body>hi</body>", False),  # markup after blank space, in capitals
        (b"<svg onload=alert(1)>", False),
        (b"a line that mentions <html> later on", True),
    ],
)
def test_what_counts_as_plain_text(data, text):
    assert looks_like_text(data) is text
