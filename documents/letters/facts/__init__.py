"""Facts first, words last: the small records every letter is printed from.

``build(case, letter, language, today)`` turns a case into records: the parties
as they are, each sum claimed (taken less refunded), each attempt made before
the letter's date, each argument with the recorded facts it rests on and the
legal bases in force that day, the requests, the recipient's checklist and
where to send it. Templates only print these records; a sentence with no fact
behind it is never built. The records are tested without rendering
(tests/documents/test_facts.py) and the PDFs by their extracted text
(tests/documents/test_golden_letters.py).
"""

from django.utils.translation import gettext as _

from documents.letters.facts.arguments import arguments, cited_bases
from documents.letters.facts.money import claim_items, money_sentences
from documents.letters.facts.parties import agent_record, merchant_record, respondent_record
from documents.letters.facts.recipients import (
    addressee_of,
    checklist_of,
    element_rows,
    enclosures_of,
    escalation_of,
    requests_of,
    send_notes,
    standing_of,
    title_of,
)
from documents.letters.facts.records import ZERO, Facts
from documents.letters.facts.story import attempts_before, promise_sentences, terminal_sentences
from documents.letters.facts.words import capitalise, family_of, role_words, the, yuan
from escalation.models import LegalBasis

__all__ = ["Facts", "attempts_before", "build", "claim_items", "family_of"]


def build(case, letter, language, today, law=None, evidence=None):
    """Every record of ``letter`` for ``case`` on ``today``, in ``language`` (the active language).

    ``law`` (LegalBasis.in_force_on) and ``evidence`` may be passed in when
    several letters of one case are built at once.
    """
    chinese = not language.startswith("en")
    family = family_of(letter, case)
    merchant_heading, respondent_heading = role_words(family, chinese)
    merchant_word, respondent_word = the(merchant_heading, chinese), the(respondent_heading, chinese)
    company_word = ("贵司" if chinese else "your company") if family == "application" else respondent_word
    law = LegalBasis.in_force_on(today) if law is None else law
    agent = agent_record(case, family, "", chinese)
    respondent = respondent_record(case, family, respondent_heading, chinese)
    respondents = [respondent]
    if agent is not None:
        respondent.heading = f"{respondent_heading}{'一' if chinese else ' 1'}"
        agent.heading = f"{respondent_heading}{'二' if chinese else ' 2'}"
        respondents.append(agent)
    merchant = merchant_record(case, family, merchant_heading, chinese)
    items = claim_items(case, chinese)
    total_taken = sum((item.taken or ZERO for item in items), ZERO)
    total_refunded = sum((item.refunded or ZERO for item in items), ZERO)
    total_claimed = sum((item.claimed or ZERO for item in items), ZERO)
    attempts = attempts_before(case, letter, today, chinese)
    found = arguments(case, family, merchant_word, company_word, law, chinese)
    extra_bases = []
    evidence = list(case.evidence.all()) if evidence is None else evidence
    application_rule = case.application_rule()
    defendants = respondent_word if agent is None else ("被告一、被告二" if chinese else "the defendants")
    values = {
        "who": merchant_word,
        "company": company_word,
        "total": yuan(total_claimed, chinese),
        "reply_days": application_rule.amount if application_rule else 15,
        "defendants": defendants,
    }
    requests = requests_of(case, family, values, {argument.code for argument in found}, chinese)
    records = [merchant, *respondents]
    standing, more_bases = standing_of(case, family, merchant_word, respondent_word, law)
    extra_bases += more_bases
    return Facts(
        letter_kind=letter.kind,
        family=family,
        language=language,
        today=today,
        title=title_of(case, family, chinese),
        addressee=addressee_of(case, family, letter.channel, chinese),
        merchant=merchant,
        respondents=respondents,
        claims=items,
        total_taken=total_taken,
        total_refunded=total_refunded,
        total_claimed=total_claimed,
        terminal=terminal_sentences(case, merchant_word, company_word, case.provider_name, chinese),
        money=money_sentences(case, items, merchant_word, company_word, chinese),
        promise=promise_sentences(case, merchant_word, company_word, chinese),
        story=case.story,
        attempts=attempts,
        arguments=found,
        bases=cited_bases(found, extra_bases),
        requests=requests,
        checklist=checklist_of(case, family, records, attempts, evidence, today),
        send=send_notes(case, family, respondent, chinese),
        witnesses=case.witnesses,
        evidence=evidence,
        reply_days=values["reply_days"],
        attempts_intro=capitalise(
            _("Before this, %(who)s asked for the money back as follows:") % {"who": merchant_word}, chinese
        ),
        story_intro=capitalise(_("In the words of %(who)s: ") % {"who": merchant_word}, chinese),
        standing=standing,
        escalation=escalation_of(case, family, merchant_word, chinese),
        enclosures=enclosures_of(case, family, merchant, respondents, evidence),
        kept_by=_("Kept by %(who)s") % {"who": merchant_word},
        elements=element_rows(case, family, merchant, respondents, items, attempts, found, chinese),
    )
