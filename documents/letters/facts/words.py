"""Small words of a letter: dates, sums, the roles of the parties, which recipient it is for."""

from django.utils.translation import gettext as _

from cases.models import Case, Charge
from documents.models import Document
from escalation.models import Channel
from lib.written import chinese_date, english_date, figures, rmb_upper


def letter_date(day, chinese):
    return chinese_date(day) if chinese else english_date(day)


def volume(amount, chinese):
    """A transaction volume: "50,000.00元" / "CNY 50,000.00"."""
    return f"{figures(amount)}元" if chinese else f"CNY {figures(amount)}"


def plain(label, chinese):
    """A choice's label as a sentence uses it: "Deposit (押金)" -> "押金" / "deposit"."""
    label = str(label)
    if chinese:
        return label.split("（")[0].split(" (")[0]
    label = label.split(" (")[0]
    return label[:1].lower() + label[1:]


def yuan(amount, chinese):
    """299 -> "299.00元（人民币贰佰玖拾玖元整）" / "CNY 299.00"."""
    if amount is None:
        return ""
    if chinese:
        return f"{figures(amount)}元（{rmb_upper(amount)}）"
    return f"CNY {figures(amount)}"


def capitalise(sentence, chinese):
    return sentence if chinese or not sentence else sentence[0].upper() + sentence[1:]


def family_of(letter, case):
    """Which recipient a letter is for: one template and one set of needs per recipient.

    At the market regulator a consumer files a complaint (投诉); a merchant who
    used the terminal for business may only report (举报) the business (总局令
    第121号 Art. 3; domain.md §8.1).
    """
    kind, channel = letter.kind, letter.channel
    if kind == Document.Kind.REFUND_APPLICATION:
        return "application"
    if kind == Document.Kind.CIVIL_COMPLAINT:
        return "civil"
    if kind == Document.Kind.COMPLAINT_ASSOCIATION:
        return "pcac"
    if kind == Document.Kind.COMPLAINT_FINANCIAL:
        return "nfra" if channel and channel.kind == Channel.Kind.BANKING_REGULATOR else "pboc"
    if channel and channel.kind == Channel.Kind.CONSUMER_ASSOCIATION:
        return "consumer_association"
    return "samr_complaint" if case.use == Case.Use.PERSONAL else "samr_report"


ROLE_WORDS = {
    # family: (merchant heading, respondent heading)
    "application": (("Applicant", "申请人"), ("Respondent", "被申请人")),
    "pboc": (("Complainant", "投诉人"), ("Respondent", "被投诉人")),
    "nfra": (("Complainant", "投诉人"), ("Respondent", "被投诉人")),
    "samr_complaint": (("Complainant", "投诉人"), ("Respondent", "被投诉人")),
    "consumer_association": (("Complainant", "投诉人"), ("Respondent", "被投诉人")),
    "samr_report": (("Reporter", "举报人"), ("Reported business", "被举报人")),
    "pcac": (("Reporter", "举报人"), ("Reported institution", "被举报机构")),
    "civil": (("Plaintiff", "原告"), ("Defendant", "被告")),
}


def role_words(family, chinese):
    merchant, respondent = ROLE_WORDS[family]
    return (merchant[1], respondent[1]) if chinese else (merchant[0], respondent[0])


def the(word, chinese):
    """The role as a sentence names it: 申请人 / the applicant."""
    return word if chinese else f"the {word.lower()}"


def sum_name(charge, chinese):
    """One sum as a letter names it: “激活押金”99.00元 / the “激活押金” of CNY 99.00."""
    label = Charge.Kind(charge.kind).label if charge.kind in Charge.Kind.values else charge.kind
    name = charge.called or plain(label, chinese)
    if charge.amount is None:
        return f"“{name}”" if chinese else f"the “{name}”"
    return f"“{name}”{figures(charge.amount)}元" if chinese else f"the “{name}” of CNY {figures(charge.amount)}"


def promised_sum(case, chinese):
    """What a promise of a return was about: the money, or, beside other sums, the first one (the intake's)."""
    charges = case.charge_list
    return _("the money") if len(charges) <= 1 else sum_name(charges[0], chinese)
