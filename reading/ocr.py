"""The OCR engine: RapidOCR's Chinese models, shipped inside its wheel, run on onnxruntime.

One engine per worker process, made the first time it is needed (a web process never loads it).
Nothing is downloaded: the model paths are given explicitly, so RapidOCR never reaches for its
download code. Pictures are opened with Pillow (HEIC too, through pillow-heif), turned upright,
and scaled down to READING_MAX_SIDE on their long side before they are read; a picture of more
than READING_MAX_PIXELS is not decoded at all. A PDF page that has a text layer gives that text
(pypdf); a scanned page is drawn by PDFium (pypdfium2) at the same bound and read. At most
READING_MAX_PDF_PAGES pages are read, within READING_TIME_BUDGET_SECONDS; a longer file says so.
"""

from __future__ import annotations

import gc
import importlib.util
import io
import logging
import struct
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from PIL import Image, ImageFile, ImageOps

from cases.models.evidence import PAGE_BREAK, Evidence

if TYPE_CHECKING:
    from rapidocr import RapidOCR

try:  # HEIC photos from iPhones
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - pillow-heif is in requirements.txt
    pass

logger = logging.getLogger(__name__)

Reason = Evidence.ReadingError

# The models inside the rapidocr wheel: PP-OCRv6 detection and recognition (Chinese and English), and the
# text-line direction classifier (unused: screenshots and photos taken upright; photos are turned by EXIF).
MODEL_FILES = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}
# A PDF page whose text layer holds fewer visible characters than this is treated as a scan.
MIN_TEXT_LAYER_CHARS = 10
# What a picture that cannot be decoded raises in Pillow (and what a damaged PDF raises in pypdf's helpers).
DECODE_ERRORS = (OSError, SyntaxError, ValueError, TypeError, EOFError, IndexError, KeyError, struct.error)


class ReadingFailed(Exception):
    """The file cannot be read; ``reason`` is an Evidence.ReadingError code, safe to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Line:
    """One line of text in reading order, and how sure the engine is of it (1.0 for a PDF's text layer)."""

    text: str
    confidence: float


@dataclass
class Result:
    """What was read: the lines of each page read, the file's page count, and why it stopped early ("" if not)."""

    pages: list[list[Line]] = field(default_factory=list)
    page_count: int = 1
    note: str = ""
    # The size of the last picture given to the engine, after scaling down (for the limits' tests).
    size: tuple[int, int] | None = None

    @property
    def text(self) -> str:
        """The lines, one a line, pages separated by PAGE_BREAK (as pdftotext writes them)."""
        return PAGE_BREAK.join("\n".join(line.text for line in page) for page in self.pages)

    @property
    def lines(self) -> list[Line]:
        return [line for page in self.pages for line in page]


# ----- the engine ---------------------------------------------------------------------------------


def model_paths() -> dict[str, Path]:
    """The model files shipped in the rapidocr wheel (found without importing it)."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return {task: Path("rapidocr-not-installed") / name for task, name in MODEL_FILES.items()}
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    return {task: folder / name for task, name in MODEL_FILES.items()}


def engine_params() -> dict[str, Any]:
    """RapidOCR's settings: the shipped models by path (so nothing is downloaded), no direction classifier."""
    params: dict[str, Any] = {
        "Global.log_level": "error",
        "Global.use_cls": False,
        # Detection (finding the lines) sees at most this long a side; recognition still reads each line from
        # the picture at up to READING_MAX_SIDE. 1600 rather than RapidOCR's 2000 takes a third off detection
        # on a phone screenshot and still finds 26 px small print on a 1080×2400 page (bench/ocr.py).
        "Global.max_side_len": 1600,
    }
    for task, path in model_paths().items():
        params[f"{task}.model_path"] = str(path)
    if settings.READING_THREADS > 0:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = settings.READING_THREADS
    return params


_engine: RapidOCR | None = None
_engine_lock = threading.Lock()


def engine() -> RapidOCR:
    """This process's OCR engine, made on first use (about 0.1 s; its models take ~100 MB of memory)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            missing = [str(path) for path in model_paths().values() if not path.is_file()]
            if missing:  # never let RapidOCR fall back to downloading them
                raise RuntimeError(f"OCR model files missing: {', '.join(missing)}")
            from rapidocr import RapidOCR

            _engine = RapidOCR(params=engine_params())
        return _engine


def recognise(image: Image.Image) -> list[Line]:
    """The lines of text in an RGB picture, in reading order: top to bottom, and left to right within a row."""
    import numpy

    output: Any = engine()(numpy.asarray(image))  # a RapidOCROutput: the whole pipeline ran
    if not output.txts or output.boxes is None:
        return []
    boxes = []
    for box, text, score in zip(output.boxes, output.txts, output.scores or (), strict=False):
        text = text.strip()
        if text:
            ys = [float(point[1]) for point in box]
            boxes.append((min(ys), max(ys), min(float(point[0]) for point in box), text, float(score)))
    return in_reading_order(boxes)


def in_reading_order(boxes: list[tuple[float, float, float, str, float]]) -> list[Line]:
    """Group boxes (top, bottom, left, text, score) into rows that overlap vertically; each row is one line."""
    rows: list[list[tuple[float, float, float, str, float]]] = []
    for box in sorted(boxes, key=lambda box: (box[0], box[2])):
        top, bottom = box[0], box[1]
        if rows:
            row = rows[-1]
            row_top, row_bottom = min(b[0] for b in row), max(b[1] for b in row)
            overlap = min(bottom, row_bottom) - max(top, row_top)
            if overlap > 0.5 * min(bottom - top, row_bottom - row_top):
                row.append(box)
                continue
        rows.append([box])
    lines = []
    for row in rows:
        row.sort(key=lambda box: box[2])
        lines.append(Line(" ".join(box[3] for box in row), round(min(box[4] for box in row), 4)))
    return lines


# ----- pictures -----------------------------------------------------------------------------------


@contextmanager
def whole_pictures_only() -> Iterator[None]:
    """Refuse a truncated picture while decoding one: WeasyPrint (the letters) lets Pillow accept them process-wide.

    A cut-off upload is then FAILED (unreadable) whichever modules the worker has loaded, never half read.
    """
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def bounded_image(data: bytes) -> Image.Image:
    """The picture upright, in RGB, at most READING_MAX_SIDE on its long side; ReadingFailed if it cannot be."""
    limit = settings.READING_MAX_SIDE
    try:
        with warnings.catch_warnings(), whole_pictures_only():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > settings.READING_MAX_PIXELS:
                raise ReadingFailed(Reason.TOO_LARGE)
            if image.format == "JPEG":
                image.draft("RGB", (limit, limit))  # decode a large JPEG at a fraction of its size
            image = ImageOps.exif_transpose(image) or image
            image = image.convert("RGB")
            image.thumbnail((limit, limit), Image.Resampling.LANCZOS)
            return image
    except ReadingFailed:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ReadingFailed(Reason.TOO_LARGE) from None
    except DECODE_ERRORS:
        raise ReadingFailed(Reason.UNREADABLE) from None


def read_image(data: bytes) -> Result:
    """Read a picture (JPEG, PNG, WebP, HEIC)."""
    image = bounded_image(data)
    try:
        return Result(pages=[recognise(image)], page_count=1, size=image.size)
    finally:
        image.close()


# ----- PDFs ---------------------------------------------------------------------------------------


def read_pdf(data: bytes, deadline: float) -> Result:
    """Read a PDF page by page: its text layer where it has one, OCR of the drawn page where it does not."""
    import pypdfium2
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise ReadingFailed(Reason.ENCRYPTED)
            page_count = len(reader.pages)
    except ReadingFailed:
        raise
    except (PyPdfError, *DECODE_ERRORS):
        raise ReadingFailed(Reason.UNREADABLE) from None
    result = Result(page_count=page_count)
    drawn: pypdfium2.PdfDocument | None = None
    try:
        for number in range(min(page_count, settings.READING_MAX_PDF_PAGES)):
            if number and time.monotonic() > deadline:
                result.note = Reason.TIME_LIMIT
                break
            lines = text_layer(reader, number)
            if lines is None:
                if drawn is None:
                    try:
                        drawn = pypdfium2.PdfDocument(data)
                    except pypdfium2.PdfiumError:
                        raise ReadingFailed(Reason.UNREADABLE) from None
                image = draw_page(drawn, number)
                result.size = image.size
                lines = recognise(image)
                image.close()
                gc.collect()
            result.pages.append(lines)
    finally:
        if drawn is not None:
            drawn.close()
    if not result.note and page_count > len(result.pages):
        result.note = Reason.PAGE_LIMIT
    return result


def text_layer(reader: Any, number: int) -> list[Line] | None:
    """The lines of a page's text layer, or None when it has too little text to be more than a scan."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            text = reader.pages[number].extract_text() or ""
    except Exception:  # noqa: BLE001 - a page pypdf cannot parse may still be drawn and read
        logger.info("No text layer read from a PDF page; drawing it instead", exc_info=True)
        return None
    if sum(not char.isspace() for char in text) < MIN_TEXT_LAYER_CHARS:
        return None
    return [Line(" ".join(line.split()), 1.0) for line in text.splitlines() if line.strip()]


def draw_page(document: Any, number: int) -> Image.Image:
    """One PDF page as an RGB picture at 200 dpi, at most READING_MAX_SIDE on its long side."""
    import pypdfium2

    try:
        page = document[number]
        width, height = page.get_size()  # in points (1/72 in)
        scale = min(200 / 72, settings.READING_MAX_SIDE / max(width, height, 1))
        bitmap = page.render(scale=scale)
        image = bitmap.to_pil().convert("RGB")
        bitmap.close()
        page.close()
    except pypdfium2.PdfiumError:
        raise ReadingFailed(Reason.UNREADABLE) from None
    return image


# ----- one exhibit --------------------------------------------------------------------------------


def read(data: bytes, content_type: str) -> Result:
    """Read a picture or a PDF within READING_TIME_BUDGET_SECONDS; memory is given back before it returns."""
    deadline = time.monotonic() + settings.READING_TIME_BUDGET_SECONDS
    try:
        if content_type == "application/pdf":
            return read_pdf(data, deadline)
        return read_image(data)
    finally:
        gc.collect()
