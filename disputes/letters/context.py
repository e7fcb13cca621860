"""Everything a letter says about a case, gathered once for every template."""

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from escalation.models import PROVINCE_OFFICIAL_NAMES, Channel, DeadlineRule, Rung
from escalation.routing import pboc_branch_name, small_claims

from ..models import Case, Step, china_today
from ..personal import mask_id_number
from .numbers import figures, rmb_upper


def id_details(id_number):
    """Sex and birth date read from an 18-digit ID number (for the civil complaint), or Nones."""
    if len(id_number or "") != 18:
        return None, None
    try:
        born = datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None, None
    return ("male" if int(id_number[16]) % 2 else "female"), born


def age_on(born, today):
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def addressee(channel, case):
    """Who a complaint filing is addressed to, by the channel's kind."""
    if channel is None:
        return ""
    if channel.kind == Channel.Kind.FINANCIAL_REGULATOR:
        return pboc_branch_name(case.province) or channel.name_zh
    if channel.kind == Channel.Kind.MARKET_REGULATOR:
        return _("The market regulation bureau where the respondent operates")
    if channel.kind == Channel.Kind.CONSUMER_ASSOCIATION:
        province = PROVINCE_OFFICIAL_NAMES.get(case.province, "")
        return _("%(province)s consumer association") % {"province": province} if province else channel.name
    return channel.name


def attempts(case):
    """What the merchant already did, in date order: each contact, letter and filing with its answer."""
    steps = case.steps.select_related("rung", "channel").order_by("started_on", "created_at")
    return [step for step in steps if step.rung.position >= 2]


def letter_context(case, language, channel=None, today=None):
    """The template context of every letter, with its translated parts in ``language``.

    ``today`` is the date the letter is printed on (China's today by default).
    """
    with translation.override(language):
        return _letter_context(case, language, channel, today or china_today())


def _letter_context(case, language, channel, today):
    profile = getattr(case.owner, "profile", None)
    id_number = profile.id_number if profile else ""
    sex, born = id_details(id_number)
    provider = case.provider
    application_rule = DeadlineRule.primary_for(rung=Rung.objects.get(position=3))
    reply_days = application_rule.amount if application_rule else 15
    evidence = list(case.evidence.all())
    litigation = case.steps.filter(rung__position=5).select_related("channel").order_by("-started_on").first()
    from escalation.models import ProvinceWage

    wage = ProvinceWage.latest_for(case.province) if case.province else None
    chinese = not language.startswith("en")
    return {
        "case": case,
        "profile": profile,
        "applicant_name": profile.full_name if profile else case.owner.get_full_name(),
        "phone": profile.mobile if profile else "",
        "address": profile.postal_address if profile else "",
        "id_masked": mask_id_number(id_number) if id_number else "",
        "id_full": id_number,
        "sex": {"male": _("male"), "female": _("female")}.get(sex, ""),
        "birth_date": born,
        "age": age_on(born, today) if born else None,
        "ethnicity": profile.ethnicity if profile else "",
        "occupation": profile.occupation if profile else "",
        "provider": provider,
        "provider_name": case.provider_name,
        "today": today,
        "amount_figures": figures(case.amount) if case.amount is not None else "",
        "amount_upper": rmb_upper(case.amount) if case.amount is not None else "",
        "reply_days": reply_days,
        "attempts": attempts(case),
        "evidence": evidence,
        "channel": channel,
        "addressee": addressee(channel, case),
        "pboc_branch": pboc_branch_name(case.province),
        "court_name": litigation.recipient if litigation else "",
        "court_reason": litigation.notes if litigation else "",
        "small_claims": small_claims(case.amount, wage) if case.amount else None,
        "target_met": case.target_met == "yes",
        "fees_undisclosed": case.fees_disclosed == "no",
        "arbitration_clause": case.arbitration_clause == "yes",
        "personal_use": case.use == Case.Use.PERSONAL,
        "Outcome": Step.Outcome,
        "is_chinese": chinese,
        # Punctuation between the parts of a line: full-width in Chinese.
        "colon": "：" if chinese else ": ",
        "sep": "，" if chinese else ", ",
        "lp": "（" if chinese else " (",
        "rp": "）" if chinese else ")",
    }
