"""The joint filing: facts first, words last, for a group of members (SAMR, PBoC, PCAC).

``build(group, recipient, language, today, issuer, shared)`` turns the members who
consented to the joint filing into small records, like ``documents.letters.facts``
does for one case: each member's own facts, sums and exhibits (from their own
case, never assumed from another's), the sentences true for every one of them
(computed, e.g. the same agent only when every case names it), the arguments
with the members they hold for and the legal bases in force on the filing's
date, the requests, the checklist. The template only prints them.

Two copies come from the same records: the filed copy (``shared=False``) names
every consenting member and gives the issuing representative's contact details;
the members' copy (``shared=True``) shows, in place of the name of a member who
did not agree to show it, that member's number in the group, and no contact
details at all.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case, Party, china_today
from documents.letters.facts.arguments import arguments, cited_bases
from documents.letters.facts.money import claim_items, money_sentences
from documents.letters.facts.parties import respondent_record
from documents.letters.facts.recipients import addressee_of
from documents.letters.facts.records import ZERO, Missing
from documents.letters.facts.story import attempts_before, promise_sentences
from documents.letters.facts.words import capitalise, letter_date, the, yuan
from documents.letters.render import html_to_pdf, render_html, template_version
from documents.models import Document
from escalation import rungs
from escalation.models import LegalBasis
from groups.models import ComplaintGroup, JointFiling, Membership
from lib.personal import mask_html, mask_name

TEMPLATE = "letters/joint_filing.html"
JOINT_COMPLAINT_BASIS = "samr-20-art11"  # in force until 2026-04-15; whether Order 121 keeps it is not verified

TITLES = {
    "samr_complaint": ("Joint complaint", "联名投诉书"),
    "samr_report": ("Joint report", "联名举报信"),
    "pboc": ("Joint complaint", "联名投诉信"),
    "pcac": ("Joint report", "联名举报信"),
}
ROLES = {
    # family: (member heading, respondent heading), English then Chinese
    "samr_complaint": (("Complainant", "投诉人"), ("Respondent", "被投诉人")),
    "samr_report": (("Reporter", "举报人"), ("Reported business", "被举报人")),
    "pboc": (("Complainant", "投诉人"), ("Respondent", "被投诉人")),
    "pcac": (("Reporter", "举报人"), ("Reported institution", "被举报机构")),
}
PRACTICE_WORDS = {
    ComplaintGroup.Practice.AGENT: gettext_lazy("the terminal came through the agent “%(text)s”"),
    ComplaintGroup.Practice.PROMISE: gettext_lazy("the promise “%(text)s”"),
    ComplaintGroup.Practice.FEE: gettext_lazy("the sum taken as “%(text)s”"),
}
# Arguments said once for every member they hold for; the others are stated member by member.
GROUP_ARGUMENTS = {
    "undisclosed_fee": gettext_lazy(
        "From %(members)s, sums were taken without their items and amounts having been marked or disclosed "
        "beforehand (see the facts of each). A payment institution must not charge any fee it has not marked."
    ),
    "acquirer_answers": gettext_lazy(
        "%(company)s signed %(members)s as its merchants and cannot hand this dispute to its agent: the licensed "
        "institution keeps its own duty to settle disputes with its merchants."
    ),
    "condition_met": gettext_lazy(
        "%(members)s each met the condition on which their money was to be returned (see the facts of each). The "
        "promise is part of what the parties agreed, and %(company)s must perform it in full; keeping the money is a "
        "breach of contract."
    ),
    "promised_return": gettext_lazy(
        "The return of the money taken from %(members)s was promised without further condition. The promise is "
        "part of what the parties agreed, and %(company)s must perform it; keeping the money is a breach of contract."
    ),
    "no_business": gettext_lazy(
        "%(members)s run no business. The terminal was marketed to persons with no business activity, which the "
        "payment industry's rules forbid."
    ),
    "network_access_fee": gettext_lazy(
        "%(members)s paid fees to an agent. An agent must not charge merchants in the name of a “network-access "
        "service” or the like when marketing."
    ),
}
# What a filing to a recipient stands in for one case's letter: its rung and kind (for the attempts made before it).
LETTER_OF = {
    "samr_complaint": Document.Kind.COMPLAINT_MARKET,
    "samr_report": Document.Kind.COMPLAINT_MARKET,
    "pboc": Document.Kind.COMPLAINT_FINANCIAL,
    "pcac": Document.Kind.COMPLAINT_ASSOCIATION,
}


@dataclass
class Exhibit:
    label: str
    named: str
    sha256: str


@dataclass
class MemberFacts:
    label: str  # 投诉人1 / Complainant 1: the member's place in this filing
    group_label: str  # 成员 3 / Member 3: the member's number in the group
    name: str  # as printed: the name, or the group label in the members' copy when the name is not shown
    kind: str
    representative: bool
    sentences: list
    attempts: list
    claims: list
    total_taken: Decimal
    total_refunded: Decimal
    total_claimed: Decimal
    exhibits: list


@dataclass
class GroupArgument:
    members: str  # who it holds for, or "" when the text names them itself
    text: str
    bases: list


@dataclass
class GroupFacts:
    family: str
    language: str
    today: object
    title: str
    addressee: str
    member_heading: str
    respondent: object  # documents.letters.facts.records.PartyRecord
    members: list
    intro: list
    common: list
    representatives: list  # (label, name)
    contact: list  # (label, value): the issuing representative's, in the filed copy only
    standing: list
    arguments: list
    bases: list
    requests: list
    checklist: list
    send: list
    total_taken: Decimal = ZERO
    total_refunded: Decimal = ZERO
    total_claimed: Decimal = ZERO
    shared: bool = False
    signers: list = field(default_factory=list)

    @property
    def draft(self):
        return bool(self.checklist)

    @property
    def member_numbers(self):
        return [member.number for member in self.filing]

    @property
    def is_report(self):
        return self.family in {"samr_report", "pcac"}

    @property
    def respondent_list(self):
        return [self.respondent] if self.respondent is not None else []

    filing: list = field(default_factory=list)  # the Membership rows in the filing, in order


def family_for(recipient, members):
    """SAMR takes a complaint only from consumers (总局令第121号 Art. 3): a joint complaint when every member
    recorded personal consumption, a joint report otherwise."""
    if recipient == JointFiling.Recipient.SAMR:
        personal = bool(members) and all(member.case.use == Case.Use.PERSONAL for member in members)
        return "samr_complaint" if personal else "samr_report"
    return str(recipient)


def group_label(member):
    return _("Member %(number)s") % {"number": member.number}


def joined(words, chinese):
    if chinese:
        return "、".join(words)
    if len(words) <= 2:
        return _(" and ").join(words)
    return ", ".join(words[:-1]) + _(" and ") + words[-1]


def obtained_sentence(case, who, company, chinese):
    """How one member obtained the terminal (the same sentences as one case's letters)."""
    values = {
        "date": letter_date(case.activation_date, chinese),
        "who": who,
        "company": company,
        "name": case.provider_name,
    }
    agent = case.agent
    if case.obtained_via == Case.ObtainedVia.AGENT and case.activation_date:
        if agent is not None and agent.name:
            return _(
                "On %(date)s, %(who)s obtained a POS terminal of %(company)s (%(name)s) through its agent %(agent)s."
            ) % {**values, "agent": agent.name}
        return _("On %(date)s, %(who)s obtained a POS terminal of %(company)s (%(name)s) through an agent.") % values
    if case.activation_date:
        return (
            _("On %(date)s, %(who)s obtained a POS terminal through the official channel of %(company)s (%(name)s).")
            % values
        )
    return ""


def member_facts(member, position, family, role, company, chinese, today, shared, law):
    """One member's records: label, name (or number), facts, attempts, sums and exhibits; and its arguments."""
    case = member.case
    label = f"{role}{position}" if chinese else f"{role} {position}"
    name = member.name if (not shared or member.shows_name) else group_label(member)
    party = case.merchant
    kind = Party.Kind(party.kind).label if party is not None and party.kind else ""
    items = claim_items(case, chinese)
    sentences = [obtained_sentence(case, label, company, chinese)]
    sentences += money_sentences(case, items, label, company, chinese)
    sentences += promise_sentences(case, label, company, chinese)
    letter = SimpleNamespace(kind=LETTER_OF[family], rung=rungs.THIRD_PARTY, channel=None)
    found = arguments(case, family, label, company, law, chinese)
    return (
        MemberFacts(
            label=label,
            group_label=group_label(member),
            name=name,
            kind=str(kind),
            representative=member.is_representative,
            sentences=[capitalise(sentence, chinese) for sentence in sentences if sentence],
            attempts=[attempt.text for attempt in attempts_before(case, letter, today, chinese)],
            claims=items,
            total_taken=sum((item.taken or ZERO for item in items), ZERO),
            total_refunded=sum((item.refunded or ZERO for item in items), ZERO),
            total_claimed=sum((item.claimed or ZERO for item in items), ZERO),
            exhibits=[Exhibit(item.label, item.named, item.sha256) for item in case.evidence.all()],
        ),
        found,
    )


def group_arguments(found_by_member, company, chinese):
    """Each argument once, with the members it holds for and its bases; those that name a member, per member."""
    grouped = {}
    single = []
    for record, found in found_by_member:
        for argument in found:
            if argument.code in GROUP_ARGUMENTS:
                key = (argument.code, tuple(basis.code for basis in argument.bases))
                grouped.setdefault(key, ([], argument.bases))[0].append(record.label)
            else:
                single.append(GroupArgument("", argument.text, argument.bases))
    result = []
    for (code, _codes), (labels, bases) in grouped.items():
        text = str(GROUP_ARGUMENTS[code]) % {"members": joined(labels, chinese), "company": company}
        result.append(GroupArgument(joined(labels, chinese), capitalise(text, chinese), bases))
    return result + single


def standing_of(family, count, member_word, company, law, today):
    """Why this body, and the form of the joint filing: sentences and the bases in force they rest on."""
    sentences, bases = [], []
    if family == "pboc":
        sentences.append(
            _(
                "%(company)s is a licensed non-bank payment institution, which the People's Bank of China and its "
                "branches supervise."
            )
            % {"company": company}
        )
        bases.append(law.get("payment-regulation-4"))
    elif family == "samr_complaint":
        sentences.append(_("Each complainant used this service for personal consumption."))
        bases += [law.get("consumer-law-2"), law.get("samr-121-art3")]
        if JOINT_COMPLAINT_BASIS in law:
            sentences.append(
                _(
                    "The %(count)s complainants have the same dispute with the same business and complain jointly, "
                    "through the representatives they chose."
                )
                % {"count": count}
            )
            bases.append(law[JOINT_COMPLAINT_BASIS])
    elif family == "samr_report":
        sentences.append(
            _(
                "Not every reporter recorded that the terminal was for personal consumption, so this is a joint report "
                "of the conduct of %(company)s rather than a consumer complaint."
            )
            % {"company": company}
        )
        bases.append(law.get("samr-121-art3"))
    return sentences, [basis for basis in bases if basis is not None]


def requests_of(family, company, total, argued, chinese):
    values = {"company": company, "total": yuan(total, chinese)}
    requests = []
    if family == "pboc":
        requests.append(
            _(
                "Deal with this complaint and urge %(company)s to return to each complainant the sum listed for them "
                "(%(total)s in all)."
            )
            % values
        )
        if "undisclosed_fee" in argued:
            requests.append(_("Investigate %(company)s charging a fee it had not marked.") % values)
    elif family == "samr_complaint":
        requests.append(
            _("Mediate so that %(company)s returns to each complainant the sum listed for them (%(total)s in all).")
            % values
        )
    elif family == "samr_report":
        requests.append(_("Investigate and deal with how %(company)s took this money, as the law provides.") % values)
    elif family == "pcac":
        requests.append(
            _(
                "Investigate under the association's self-regulatory rules and urge %(company)s to return to each "
                "reporter the sum listed for them (%(total)s in all)."
            )
            % values
        )
    return [capitalise(request, chinese) for request in requests]


def send_notes(family, today):
    """Where and how to send the filing, shown beside it (not printed in it)."""
    notes = []
    if family in {"samr_complaint", "samr_report"}:
        notes.append(
            _(
                "Submit it on www.12315.cn, in the 12315 app or mini-program, or by calling 12315; it goes to the "
                "county-level office where the respondent operates."
            )
        )
        law = LegalBasis.in_force_on(today)
        if family == "samr_complaint" and JOINT_COMPLAINT_BASIS not in law:
            notes.append(
                _(
                    "Not verified: whether the current rules of the market regulator (总局令第121号) still provide "
                    "for joint complaints through representatives. The office may handle each member's complaint on "
                    "its own."
                )
            )
    elif family == "pboc":
        notes.append(_("Post it to the branch of the People's Bank of China named in it, or call 12363 first."))
    elif family == "pcac":
        notes.append(
            _(
                "Report it at jubao.pcac.org.cn, by email to jubao@pcac.org.cn or by phone on 010-66001918 (contact "
                "details from 2016: check them first)."
            )
        )
    notes.append(_("Print it. Every member listed in it signs by hand before a representative sends it."))
    return notes


def contact_lines(member, chinese):
    """The issuing representative's contact details: their case's merchant party, else their profile."""
    party = member.case.merchant
    profile = getattr(member.case.owner, "profile", None)
    phone = (party.mobile if party else "") or (profile.mobile if profile else "")
    address = (party.address if party else "") or (profile.postal_address if profile else "")
    return [(_("Phone"), phone), (_("Address"), address)]


def build(group, recipient, language, today, issuer=None, shared=False, law=None):
    """Every record of the joint filing to ``recipient`` on ``today`` in ``language`` (the active language)."""
    chinese = not language.startswith("en")
    filing = [member for member in group.active_list() if member.in_filing]
    family = family_for(recipient, filing)
    law = LegalBasis.in_force_on(today) if law is None else law
    (role_en, role_zh), (respondent_en, respondent_zh) = ROLES[family]
    role, respondent_heading = (role_zh, respondent_zh) if chinese else (role_en, respondent_en)
    company = the(respondent_heading, chinese)
    anchor = issuer.case if issuer is not None else (filing[0].case if filing else None)
    records, found_by_member = [], []
    for position, member in enumerate(filing, 1):
        record, found = member_facts(member, position, family, role, company, chinese, today, shared, law)
        records.append(record)
        found_by_member.append((record, found))
    count = len(records)
    practice = str(PRACTICE_WORDS[group.practice]) % {"text": group.practice_text}
    intro = [
        _(
            "%(count)s merchants file this jointly about the same practice of %(company)s. Each of them said, on "
            "joining, that it happened to them: %(practice)s. The facts, sums and exhibits of each are stated below, "
            "one by one."
        )
        % {"count": count, "company": company, "practice": practice}
    ]
    common = []
    agents = [member.case.agent for member in filing]
    if (
        count > 1
        and all(member.case.obtained_via == Case.ObtainedVia.AGENT for member in filing)
        and all(agent is not None and agent.name for agent in agents)
        and len({"".join(agent.name.split()).casefold() for agent in agents}) == 1
    ):
        common.append(
            _("All %(count)s members obtained their terminals through the same agent, %(agent)s.")
            % {"count": count, "agent": agents[0].name}
        )
    argued = {argument.code for _record, found in found_by_member for argument in found}
    grouped = group_arguments(found_by_member, company, chinese)
    standing, standing_bases = standing_of(family, count, role, company, law, today)
    total_taken = sum((record.total_taken for record in records), ZERO)
    total_refunded = sum((record.total_refunded for record in records), ZERO)
    total_claimed = sum((record.total_claimed for record in records), ZERO)
    respondent = respondent_record(anchor, family, respondent_heading, chinese) if anchor else None
    labels = {member.pk: record.label for member, record in zip(filing, records, strict=True)}
    names = {member.pk: record.name for member, record in zip(filing, records, strict=True)}
    representatives = [(labels[member.pk], names[member.pk]) for member in filing if member.is_representative]
    contact = []
    if issuer is not None and not shared:
        contact = [(_("Representative who sends this"), f"{names.get(issuer.pk, issuer.name)}")]
        contact += contact_lines(issuer, chinese)
    checklist = checklist_of(family, filing, records, representatives, respondent, contact, issuer, shared)
    return GroupFacts(
        family=family,
        language=language,
        today=today,
        title=TITLES[family][1] if chinese else TITLES[family][0],
        addressee=addressee_of(anchor, family, None, chinese) if anchor else "",
        member_heading=role,
        respondent=respondent,
        members=records,
        intro=[capitalise(sentence, chinese) for sentence in intro],
        common=common,
        representatives=representatives,
        contact=contact,
        standing=[capitalise(sentence, chinese) for sentence in standing],
        arguments=grouped,
        bases=cited_bases([*grouped], standing_bases),
        requests=requests_of(family, company, total_claimed, argued, chinese),
        checklist=checklist,
        send=send_notes(family, today),
        total_taken=total_taken,
        total_refunded=total_refunded,
        total_claimed=total_claimed,
        shared=shared,
        signers=[(record.label, record.name) for record in records],
        filing=filing,
    )


def checklist_of(family, filing, records, representatives, respondent, contact, issuer, shared):
    """What the filing still lacks (it prints 草稿 until nothing does); the same for both copies."""
    missing = []
    if len(filing) < 2:
        missing.append(Missing("members", _("At least two members who agreed to the joint filing")))
    if not representatives:
        missing.append(Missing("representative", _("A representative chosen by the members")))
    if issuer is not None:
        party = issuer.case.merchant
        profile = getattr(issuer.case.owner, "profile", None)
        if not ((party.mobile if party else "") or (profile.mobile if profile else "")):
            missing.append(Missing("contact", _("The phone number of the representative who sends it")))
    if respondent is not None:
        for line in respondent.lines:
            if line.missing:
                missing.append(
                    Missing(
                        f"respondent.{line.code}",
                        _("%(party)s: %(detail)s") % {"party": respondent.heading, "detail": line.label},
                    )
                )
    for record, member in zip(records, filing, strict=True):
        if not record.total_claimed:
            missing.append(
                Missing("money", _("%(member)s: the sums taken, and what is still owed") % {"member": record.label})
            )
        if family == "pboc" and not member.case.contacted_institution():
            missing.append(
                Missing(
                    "prior_complaint",
                    _("%(member)s: a complaint to the payment institution itself first") % {"member": record.label},
                )
            )
    return missing


# ----- rendering and issuing -----------------------------------------------------------------------------------


def context_for(group, recipient, language, issuer, shared, today=None):
    today = today or china_today()
    chinese = not language.startswith("en")
    with translation.override(language):
        facts = build(group, recipient, language, today, issuer=issuer, shared=shared)
    signers = joined([name for _label, name in facts.representatives], chinese) if facts.representatives else ""
    return {
        "group": group,
        "facts": facts,
        "today": today,
        "applicant_name": signers,
        "is_chinese": chinese,
        "colon": "：" if chinese else ": ",
        "sep": "，" if chinese else ", ",
        "lp": "（" if chinese else " (",
        "rp": "）" if chinese else ")",
        "sp": "" if chinese else " ",
    }


def known_names(facts):
    """(name, group label) of each member whose name the members' copy does not show: masked wherever it appears."""
    return [(member.name, group_label(member)) for member in facts.filing if not member.shows_name and member.name]


def preview(group, recipient, language, issuer, shared, request=None, extra=None):
    context = context_for(group, recipient, language, issuer, shared)
    html = render_html(TEMPLATE, {**context, **(extra or {})}, language, request=request)
    return mask_html(html, known_names(context["facts"])) if shared else html


def render(group, recipient, language, issuer, shared):
    """(html, pdf bytes, facts) of one copy, rendered now."""
    context = context_for(group, recipient, language, issuer, shared)
    html = render_html(TEMPLATE, context, language, for_pdf=True)
    if shared:
        html = mask_html(html, known_names(context["facts"]))
    return html, html_to_pdf(html), context["facts"]


def issue(group, recipient, language, issuer, actor):
    """Render both copies and freeze them as the next version of the joint filing to ``recipient``."""
    if not isinstance(issuer, Membership) or not issuer.is_representative or issuer.group_id != group.pk:
        raise PermissionError("only a representative issues the joint filing")
    html, pdf, facts = render(group, recipient, language, issuer, shared=False)
    shared_html, shared_pdf, _facts = render(group, recipient, language, issuer, shared=True)
    with transaction.atomic():
        return JointFiling.issue(
            group,
            recipient,
            language,
            issuer,
            (html, pdf),
            (shared_html, shared_pdf),
            facts.member_numbers,
            template_version(TEMPLATE),
            actor,
        )


def volunteer_name(member):
    """A member's name as volunteers see it: masked (lib.personal.mask_name)."""
    return mask_name(member.name)
