"""Pictures and PDFs with Chinese text drawn by Pillow in the letter font (LXGW WenKai), made in memory."""

import io

from PIL import Image, ImageDraw, ImageFont

from documents.letters.fonts import ensure_fonts

LINES = ["押金299元", "拉卡拉支付股份有限公司", "2025年3月1日"]


def font(size=40):
    return ImageFont.truetype(str(ensure_fonts()["normal"]), size)


def picture(lines=LINES, size=(640, 260), text_size=40, step=70):
    """A white picture with one line of black text every ``step`` pixels."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((30, 25 + number * step), line, font=font(text_size), fill="black")
    return image


def encoded(image, kind="PNG", **options):
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def png(lines=LINES, **options):
    return encoded(picture(lines, **options))


def blank_png(size=(300, 200)):
    return encoded(Image.new("RGB", size, "white"))


def scanned_pdf(pages=1, lines=LINES):
    """An image-only PDF (no text layer), as a scanner makes it: each page one picture."""
    first = picture(lines)
    return encoded(first, "PDF", resolution=100, save_all=True, append_images=[first] * (pages - 1))


def text_pdf(lines=LINES):
    """A PDF with a text layer, written by WeasyPrint with the letter font."""
    from weasyprint import HTML

    body = "".join(f"<p>{line}</p>" for line in lines)
    fonts = ensure_fonts()
    style = f"@font-face {{ font-family: W; src: url('file://{fonts['normal']}'); }} body {{ font-family: W; }}"
    return HTML(string=f"<html><head><style>{style}</style></head><body>{body}</body></html>").write_pdf()
