"""The letter fonts: LXGW WenKai (霞鹜文楷, SIL OFL 1.1), from Debian's fonts-lxgw-wenkai.

One TrueType file per weight, named first on the letter's ``html`` element.
TrueType matters: WeasyPrint keeps glyph ids when it subsets, and a subset of
a 30 000-glyph TrueType font compresses to a few kilobytes, where a CFF font
such as Noto Sans CJK stays over 100 KB per weight. WenKai covers all of
U+4E00–U+9FFF, so names with rare characters print.
"""

from pathlib import Path

from django.conf import settings

FONT_FAMILY = "LXGW WenKai"
FONT_FILES = {"normal": "LXGWWenKai-Regular.ttf", "bold": "LXGWWenKai-Bold.ttf"}


class FontsMissing(RuntimeError):
    pass


def ensure_fonts():
    """The letter font files by weight; a clear error when the package is not installed."""
    paths = {weight: Path(settings.LETTER_FONT_DIR) / name for weight, name in FONT_FILES.items()}
    missing = [str(path) for path in paths.values() if not path.exists()]
    if missing:
        raise FontsMissing(f"Letter fonts missing ({', '.join(missing)}): install fonts-lxgw-wenkai (make run does).")
    return paths
