"""The parties as a letter names them: the merchant by its kind, the institution, the agent."""

from django.utils.translation import gettext as _

from cases.models import Party
from documents.letters.facts.records import Line, PartyRecord
from documents.letters.facts.words import letter_date


def person_lines(party, civil, chinese):
    """A person's details: a civil complaint states them all (民诉法 Art. 124), other letters fewer."""
    lines = []
    if civil:
        lines.append(Line(_("Sex"), party.get_sex_display() if party.sex else "", missing=not party.sex, code="sex"))
        birth = letter_date(party.birth_date, chinese) if party.birth_date else ""
        lines.append(Line(_("Date of birth"), birth, missing=not party.birth_date, code="birth_date"))
        lines.append(Line(_("Ethnicity"), party.ethnicity, missing=not party.ethnicity, code="ethnicity"))
        if party.occupation:
            lines.append(Line(_("Occupation"), party.occupation, code="occupation"))
    label = _("Passport number") if party.id_type == Party.IdType.PASSPORT else _("Citizen ID number")
    if civil:
        lines.append(Line(label, party.id_number, missing=not party.id_number, code="id_number"))
    elif party.id_number:
        lines.append(Line(label, party.masked_id_number, code="id_number"))
    return lines


def merchant_record(case, family, heading, chinese):
    party = case.merchant or Party(role=Party.Role.MERCHANT, kind=Party.Kind.PERSON)
    civil = family == "civil"
    lines = []
    if party.kind == Party.Kind.COMPANY:
        name = party.name
        lines.append(
            Line(_("Unified social credit code"), party.credit_code, missing=not party.credit_code, code="credit_code")
        )
        lines.append(Line(_("Domicile"), party.address, missing=not party.address, code="address"))
        representative = party.representative
        if party.representative_title:
            representative += ("，" if chinese else ", ") + _("title: %(title)s") % {
                "title": party.representative_title
            }
        lines.append(
            Line(_("Legal representative"), representative, missing=not party.representative, code="representative")
        )
    elif party.kind == Party.Kind.INDIVIDUAL_BUSINESS:
        name = party.display_name
        if party.trade_name:
            name += _(" (individual business)")
        lines.append(
            Line(
                _("Unified social credit code"),
                party.credit_code,
                missing=civil and not party.credit_code,
                code="credit_code",
            )
        )
        lines.append(Line(_("Place of business"), party.address, missing=not party.address, code="address"))
        operator = Party(
            name=party.representative,
            sex=party.sex,
            birth_date=party.birth_date,
            ethnicity=party.ethnicity,
            occupation=party.occupation,
            id_type=party.id_type,
            id_number=party.id_number,
        )
        lines.append(Line(_("Operator"), party.representative, missing=not party.representative, code="representative"))
        lines += [
            Line(_("Operator — %(detail)s") % {"detail": line.label}, line.value, line.missing, line.code)
            for line in person_lines(operator, civil, chinese)
        ]
    else:
        name = party.name
        lines += person_lines(party, civil, chinese)
        lines.append(Line(_("Address"), party.address, missing=not party.address, code="address"))
    lines.append(Line(_("Phone"), party.mobile, missing=not party.mobile, code="mobile"))
    if case.merchant_number and family != "civil":
        shop = (party.extra or {}).get("shop_name", "")
        value = f"{shop}{'，' if chinese else ', '}{case.merchant_number}" if shop else case.merchant_number
        lines.append(Line(_("Merchant number"), value, code="merchant_number"))
    if not name:
        lines.insert(0, Line(_("Name"), "", missing=True, code="name"))
    return PartyRecord(Party.Role.MERCHANT, party.kind, name, heading, lines)


def respondent_record(case, family, heading, chinese):
    """The licensed institution: what this case typed, else the directory's checked details."""
    party = case.respondent
    provider = case.provider
    name = case.provider_name

    def fact(party_field, provider_field):
        value = getattr(party, party_field, "") if party else ""
        if not value and provider is not None:
            value = getattr(provider, provider_field)
        return value

    credit_code = fact("credit_code", "credit_code")
    address = fact("address", "registered_address")
    representative = fact("representative", "legal_representative")
    needs_identity = family in {"civil", "samr_complaint", "samr_report", "application"}
    lines = [
        Line(
            _("Unified social credit code"), credit_code, missing=needs_identity and not credit_code, code="credit_code"
        ),
        Line(_("Domicile"), address, missing=not address, code="address"),
    ]
    if family == "civil" or representative:
        lines.append(
            Line(
                _("Legal representative"),
                representative,
                missing=family == "civil" and not representative,
                code="representative",
            )
        )
    return PartyRecord(Party.Role.RESPONDENT, Party.Kind.COMPANY, name, heading, lines)


def agent_record(case, family, heading, chinese):
    agent = case.agent
    if agent is None or not agent.co_respondent:
        return None
    lines = []
    if agent.kind == Party.Kind.PERSON:
        lines += person_lines(agent, family == "civil", chinese)
        lines.append(Line(_("Address"), agent.address, missing=family == "civil" and not agent.address, code="address"))
    else:
        lines.append(
            Line(
                _("Unified social credit code"),
                agent.credit_code,
                missing=family == "civil" and not agent.credit_code,
                code="credit_code",
            )
        )
        lines.append(
            Line(_("Domicile"), agent.address, missing=family == "civil" and not agent.address, code="address")
        )
        if agent.representative or family == "civil":
            lines.append(
                Line(
                    _("Legal representative"),
                    agent.representative,
                    missing=family == "civil" and not agent.representative,
                    code="representative",
                )
            )
    if agent.mobile or agent.contact:
        lines.append(
            Line(_("Contact"), " ".join(part for part in (agent.mobile, agent.contact) if part), code="contact")
        )
    return PartyRecord(Party.Role.AGENT, agent.kind, agent.name, heading, lines)
