"""The OCR engine wrapper on pictures and PDFs made here: Chinese text in the letter font, limits, damage."""

import time

import pytest

from cases.models import Evidence
from reading import ocr
from tests.reading import images

pytestmark = pytest.mark.ocr

Reason = Evidence.ReadingError


def test_it_reads_chinese_text_in_reading_order():
    result = ocr.read(images.png(), "image/png")

    assert [line.text for line in result.lines] == images.LINES
    assert all(line.confidence > 0.8 for line in result.lines)
    assert result.text == "\n".join(images.LINES)
    assert result.page_count == 1 and result.note == ""


def test_words_on_one_row_make_one_line_left_to_right():
    picture = images.picture([])
    draw = images.ImageDraw.Draw(picture)
    draw.text((30, 30), "押金299元", font=images.font(), fill="black")
    draw.text((360, 30), "已扣款", font=images.font(), fill="black")

    result = ocr.read(images.encoded(picture), "image/png")

    assert [line.text for line in result.lines] == ["押金299元 已扣款"]


def test_it_reads_an_iphone_photo_in_heic():
    from pillow_heif import register_heif_opener

    register_heif_opener()
    heic = images.encoded(images.picture(images.LINES[:1]), "HEIF", quality=95)

    assert ocr.read(heic, "image/heic").text == images.LINES[0]


def test_a_jpeg_photo_taken_sideways_is_turned_upright():
    sideways = images.picture(images.LINES[:1]).rotate(90, expand=True)
    exif = sideways.getexif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view

    result = ocr.read(images.encoded(sideways, "JPEG", quality=95, exif=exif), "image/jpeg")

    assert result.text == images.LINES[0]


def test_a_picture_without_words_reads_as_empty():
    result = ocr.read(images.blank_png(), "image/png")

    assert result.text == "" and result.lines == []


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, images.png()[:300], b"not a picture at all"],
    ids=["header-only", "truncated", "garbage"],
)
def test_a_damaged_picture_fails_with_a_reason(data):
    with pytest.raises(ocr.ReadingFailed) as failure:
        ocr.read(data, "image/png")

    assert failure.value.reason == Reason.UNREADABLE


def test_a_huge_picture_is_scaled_down_before_it_is_read(settings):
    settings.READING_MAX_SIDE = 1200
    huge = images.picture(images.LINES[:1], size=(4800, 600), text_size=120, step=0)

    result = ocr.read(images.encoded(huge), "image/png")

    assert result.size == (1200, 150)
    assert result.text == images.LINES[0]


def test_a_picture_past_the_pixel_limit_is_not_decoded(settings):
    settings.READING_MAX_PIXELS = 1000

    with pytest.raises(ocr.ReadingFailed) as failure:
        ocr.read(images.png(), "image/png")

    assert failure.value.reason == Reason.TOO_LARGE


def test_a_scanned_pdf_is_drawn_and_read():
    result = ocr.read(images.scanned_pdf(), "application/pdf")

    assert [line.text for line in result.lines] == images.LINES
    assert result.page_count == 1 and result.note == ""
    assert max(result.size) <= 2400


def test_a_pdf_with_a_text_layer_gives_that_text_without_ocr(monkeypatch):
    def no_ocr(image):
        raise AssertionError("the text layer should have been used")

    monkeypatch.setattr(ocr, "recognise", no_ocr)

    result = ocr.read(images.text_pdf(), "application/pdf")

    assert [line.text for line in result.lines] == images.LINES
    assert {line.confidence for line in result.lines} == {1.0}


def test_a_50_page_scan_reads_the_first_pages_and_says_so(settings, monkeypatch):
    settings.READING_MAX_PDF_PAGES = 3
    drawn = []
    monkeypatch.setattr(ocr, "recognise", lambda image: drawn.append(image.size) or [ocr.Line("押金299元", 0.9)])

    result = ocr.read(images.scanned_pdf(pages=50), "application/pdf")

    assert len(drawn) == 3 and len(result.pages) == 3
    assert result.page_count == 50 and result.note == Reason.PAGE_LIMIT
    assert result.text == "\f".join(["押金299元"] * 3)


def test_the_default_page_limit_is_20(settings):
    assert settings.READING_MAX_PDF_PAGES == 20


def test_a_pdf_stops_at_the_time_budget_after_a_page(settings, monkeypatch):
    settings.READING_TIME_BUDGET_SECONDS = 0
    monkeypatch.setattr(ocr, "recognise", lambda image: time.sleep(0.01) or [ocr.Line("一", 0.9)])

    result = ocr.read(images.scanned_pdf(pages=5), "application/pdf")

    assert len(result.pages) == 1 and result.note == Reason.TIME_LIMIT and result.page_count == 5


@pytest.mark.parametrize("data", [b"%PDF-1.7\n" + b"\x00" * 100, images.scanned_pdf()[:200]], ids=["empty", "cut"])
def test_a_damaged_pdf_fails_with_a_reason(data):
    with pytest.raises(ocr.ReadingFailed) as failure:
        ocr.read(data, "application/pdf")

    assert failure.value.reason == Reason.UNREADABLE


def test_a_pdf_locked_with_a_password_fails_with_a_reason():
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(images.text_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = io.BytesIO()
    writer.write(locked)

    with pytest.raises(ocr.ReadingFailed) as failure:
        ocr.read(locked.getvalue(), "application/pdf")

    assert failure.value.reason == Reason.ENCRYPTED


def test_the_engine_uses_the_models_in_the_wheel_and_never_downloads(monkeypatch):
    from rapidocr.utils import download_file

    def no_download(*args, **kwargs):
        raise AssertionError("RapidOCR tried to download a model")

    monkeypatch.setattr(download_file.DownloadFile, "run", no_download)
    monkeypatch.setattr(ocr, "_engine", None)  # a new engine, made under the watch above

    assert all(path.is_file() for path in ocr.model_paths().values())
    assert ocr.read(images.png(images.LINES[:1]), "image/png").text == images.LINES[0]


def test_one_engine_per_process():
    assert ocr.engine() is ocr.engine()


def test_a_cut_off_picture_fails_even_after_weasyprint_let_pillow_accept_them():
    import weasyprint.images  # noqa: F401 - sets ImageFile.LOAD_TRUNCATED_IMAGES for the whole process
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    with pytest.raises(ocr.ReadingFailed):
        ocr.read(images.png()[:300], "image/png")
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # given back as it was
