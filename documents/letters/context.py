"""The template context of every letter: its records (``facts.build``) and the punctuation of its language."""

from django.utils import translation
from django.utils.translation import gettext as _

from cases.models import china_today
from documents.letters.facts import build
from lib.written import figures


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
        "subject": subject_of(facts, language),
        "is_chinese": chinese,
        # Punctuation between the parts of a line: full-width in Chinese.
        "colon": "：" if chinese else ": ",
        "sep": "，" if chinese else ", ",
        "lp": "（" if chinese else " (",
        "rp": "）" if chinese else ")",
        "sp": "" if chinese else " ",  # between sentences
    }


def subject_of(facts, language):
    """One line on what the letter is about, for the PDF's subject: who asks whom for how much, and to whom."""
    with translation.override(language):
        values = {"merchant": facts.merchant.name or _("The merchant"), "respondent": facts.respondents[0].name}
        if not values["respondent"]:
            line = values["merchant"]
        elif facts.total_claimed:
            line = _("%(merchant)s asks %(respondent)s to refund %(amount)s yuan") % {
                **values,
                "amount": figures(facts.total_claimed),
            }
        else:
            line = _("%(merchant)s and %(respondent)s") % values
        if facts.addressee:
            line += ("；" if not language.startswith("en") else "; ") + _("to %(addressee)s") % {
                "addressee": facts.addressee
            }
        return line
