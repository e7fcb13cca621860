"""The template context of every letter: its records (``facts.build``) and the punctuation of its language."""

from django.utils import translation

from cases.models import china_today
from documents.letters.facts import build


def letter_context(case, letter, language, today=None):
    """The context of ``letter`` for ``case``, in ``language``, dated ``today`` (China's today by default)."""
    today = today or china_today()
    chinese = not language.startswith("en")
    with translation.override(language):
        facts = build(case, letter, language, today)
    return {
        "case": case,
        "letter": letter,
        "facts": facts,
        "today": today,
        "applicant_name": facts.merchant.name,
        "is_chinese": chinese,
        # Punctuation between the parts of a line: full-width in Chinese.
        "colon": "：" if chinese else ": ",
        "sep": "，" if chinese else ", ",
        "lp": "（" if chinese else " (",
        "rp": "）" if chinese else ")",
        "sp": "" if chinese else " ",  # between sentences
    }
