"""Which court: where a merchant may sue, and why (民事诉讼法 Arts. 24, 35; its Interpretation Art. 18).

Each option names its ground, the place it points to, and the rule; an
arbitration clause closes the court path (Art. 127(2)) and says so.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from cases.models import Answer
from escalation.models import PROVINCE_OFFICIAL_NAMES


@dataclass(frozen=True)
class CourtOption:
    ground: str
    place: str
    source: str


def court_options(case):
    """(options, note): the courts this case may go to, and a note when it may not go to court at all."""
    if case.arbitration_clause == Answer.YES:
        return [], _(
            "Your agreement has an arbitration clause: a court will send the case to the arbitration commission it "
            "names (Civil Procedure Law Art. 127). File there instead, unless the clause is invalid."
        )
    options = []
    if case.forum_court:
        options.append(
            CourtOption(
                _("The court your agreement names: a valid written choice of court comes first"),
                case.forum_court,
                _("Civil Procedure Law Art. 35"),
            )
        )
    respondent = case.respondent
    provider = case.provider
    domicile = (respondent.address if respondent else "") or (provider.registered_address if provider else "")
    options.append(
        CourtOption(
            _("The basic-level court where the defendant is domiciled"),
            domicile or _("the defendant's registered address (look it up on www.gsxt.gov.cn)"),
            _("Civil Procedure Law Art. 24"),
        )
    )
    merchant = case.merchant
    home = (merchant.address if merchant else "") or PROVINCE_OFFICIAL_NAMES.get(case.province, "")
    options.append(
        CourtOption(
            _("The basic-level court where you receive the money: for a money claim, the place of performance"),
            home or _("your address"),
            _("Civil Procedure Law Art. 24; its Interpretation Art. 18"),
        )
    )
    note = ""
    if case.forum_clause == Answer.YES and not case.forum_court:
        note = _("Your agreement names a court: write which one in “Parties and money”; a valid choice comes first.")
    return options, note
