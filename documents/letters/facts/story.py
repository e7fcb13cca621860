"""What happened, in order: the terminal, the promise, the attempts made before the letter."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Answer, Case, Step
from documents.letters.facts.records import Attempt
from documents.letters.facts.words import capitalise, letter_date, plain, promised_sum, volume
from documents.models import Document
from escalation import rungs
from escalation.models import Channel


def terminal_sentences(case, merchant_word, company_word, respondent_name, chinese):
    sentences = []
    values = {
        "date": letter_date(case.activation_date, chinese),
        "who": merchant_word,
        "company": company_word,
        "name": respondent_name,
    }
    agent = case.agent
    if case.obtained_via == Case.ObtainedVia.AGENT:
        if agent is not None and agent.name:
            sentences.append(
                _("On %(date)s, %(who)s obtained a POS terminal of %(company)s (%(name)s) through its agent %(agent)s.")
                % {**values, "agent": agent.name}
            )
        else:
            sentences.append(
                _("On %(date)s, %(who)s obtained a POS terminal of %(company)s (%(name)s) through an agent.") % values
            )
    elif case.activation_date:
        sentences.append(
            _("On %(date)s, %(who)s obtained a POS terminal through the official channel of %(company)s (%(name)s).")
            % values
        )
    details = []
    if case.terminal_model:
        details.append(_("model %(model)s") % {"model": case.terminal_model})
    if case.terminal_sn:
        details.append(_("serial number %(sn)s") % {"sn": case.terminal_sn})
    if case.merchant_number:
        details.append(_("merchant number %(number)s") % {"number": case.merchant_number})
    if details:
        sentences.append(_("Terminal: %(details)s.") % {"details": ("，" if chinese else ", ").join(details)})
    return sentences


def promiser(case, company_word):
    if case.promised_by == Case.PromisedBy.AGENT:
        return _("the agent")
    if case.promised_by == Case.PromisedBy.PROVIDER:
        return company_word
    return ""


def promise_sentences(case, merchant_word, company_word, chinese):
    """What was promised, in the form it was made: writing, an advert, words, or nothing."""
    form = case.promise_form
    who = promiser(case, company_word)
    values = {"who": merchant_word, "promiser": who, "what": promised_sum(case, chinese)}
    sentences = []
    if case.only_overcharge:
        # A rate hike: the agreement sets the rate (money sentences); nothing was to be "returned".
        if case.promise_details:
            sentences.append(
                _("In the words of %(who)s: “%(details)s”") % {"who": merchant_word, "details": case.promise_details}
            )
        return [capitalise(sentence, chinese) for sentence in sentences]
    if form == Case.PromiseForm.WRITTEN:
        text = (
            _("%(promiser)s promised in writing that %(what)s would be returned.")
            if who
            else _("It was promised in writing that %(what)s would be returned.")
        )
    elif form == Case.PromiseForm.ADVERT:
        text = (
            _("%(promiser)s advertised that %(what)s would be returned.")
            if who
            else _("The sales material said that %(what)s would be returned.")
        )
    elif form == Case.PromiseForm.ORAL:
        text = (
            _("%(promiser)s told %(who)s orally that %(what)s would be returned.")
            if who
            else _("%(who)s was told orally that %(what)s would be returned.")
        )
    else:
        text = ""
    if text:
        sentence = text % values
        sentences.append(sentence[0].upper() + sentence[1:] if not chinese else sentence)
    target = case.promise_target
    period = period_words(case)
    if form != Case.PromiseForm.NONE and target:
        if period:
            sentences.append(
                _("The condition was a transaction volume of %(target)s within %(period)s.")
                % {"target": volume(target, chinese), "period": period}
            )
        else:
            sentences.append(
                _("The condition was a transaction volume of %(target)s.") % {"target": volume(target, chinese)}
            )
    if case.promise_details:
        sentences.append(
            _("In the words of %(who)s: “%(details)s”") % {"who": merchant_word, "details": case.promise_details}
        )
    if form != Case.PromiseForm.NONE and case.promise_source:
        sentences.append(_("The promise can be seen in: %(source)s.") % {"source": case.promise_source})
    if form != Case.PromiseForm.NONE and target:
        reached = case.volume_reached
        if case.target_met == Answer.YES:
            if reached:
                sentences.append(
                    _("%(who)s reached a transaction volume of %(reached)s within that period, meeting the condition.")
                    % {"who": merchant_word, "reached": volume(reached, chinese)}
                )
            else:
                sentences.append(_("%(who)s met the condition within that period.") % {"who": merchant_word})
        elif case.target_met == Answer.NO and reached:
            share = (reached / target * 100).quantize(Decimal("1")) if target else None
            sentences.append(
                _("%(who)s reached a transaction volume of %(reached)s, %(share)s%% of the target.")
                % {"who": merchant_word, "reached": volume(reached, chinese), "share": share}
            )
    if form == Case.PromiseForm.NONE:
        sentences.append(_("Nobody explained to %(who)s what %(what)s was for or when it would come back.") % values)
    return [capitalise(sentence, chinese) for sentence in sentences]


def period_words(case):
    if case.promise_within_days:
        return _("%(days)s days") % {"days": case.promise_within_days}
    if case.promise_period_months:
        return _("%(months)s months") % {"months": case.promise_period_months}
    return ""


METHOD_WORDS = {
    Step.Method.PHONE: gettext_lazy("by phone"),
    Step.Method.APP: gettext_lazy("by in-app chat or ticket"),
    Step.Method.ONLINE: gettext_lazy("online"),
    Step.Method.EMAIL: gettext_lazy("by email"),
    Step.Method.POST: gettext_lazy("by post (EMS)"),
    Step.Method.IN_PERSON: gettext_lazy("in person"),
}


def attempt_place(step, chinese):
    channel = step.channel
    if step.rung.position == rungs.APPLICATION:
        return ""
    if (step.extra or {}).get("to") == "agent":
        return _("the agent")
    if channel is None:
        return step.rung.title
    if channel.kind == Channel.Kind.PROVIDER:
        return _("the customer service of the payment institution")
    return channel.name_zh if chinese else f"{channel.name_zh} ({channel.name_en})"


def attempt_sentence(step, chinese):
    method = str(METHOD_WORDS.get(step.method, "")).strip()
    values = {"date": letter_date(step.started_on, chinese), "place": attempt_place(step, chinese), "method": method}
    if step.rung.position == rungs.APPLICATION:
        text = (
            _("%(date)s: sent a written refund application %(method)s")
            if method
            else _("%(date)s: sent a written refund application")
        )
    elif step.rung.position == rungs.THIRD_PARTY:
        text = _("%(date)s: complained to %(place)s %(method)s") if method else _("%(date)s: complained to %(place)s")
    elif step.rung.position == rungs.LITIGATION:
        text = _("%(date)s: filed with %(place)s %(method)s") if method else _("%(date)s: filed with %(place)s")
    else:
        text = _("%(date)s: contacted %(place)s %(method)s") if method else _("%(date)s: contacted %(place)s")
    sentence = text % values
    if step.reference:
        sentence += _(" (reference %(reference)s)") % {"reference": step.reference}
    if step.outcome == Step.Outcome.PENDING:
        sentence += _("; no answer yet")
    else:
        sentence += _("; result: %(outcome)s") % {"outcome": plain(Step.Outcome(step.outcome).label, chinese)}
        if step.answered_on and step.answered_on != step.started_on:
            sentence += _(" (%(date)s)") % {"date": letter_date(step.answered_on, chinese)}
    if step.answer_notes:
        sentence += _(": “%(notes)s”") % {"notes": step.answer_notes.strip().rstrip("。.！!；;，,")}
    return sentence + ("。" if chinese else ".")


def attempts_before(case, letter, today, chinese):
    """The attempts made before this document: never the document's own filing, nor a later step.

    Later means later in time (on or after the letter's date) and higher up the
    ladder (a refund application does not list the lawsuit).
    """
    result = []
    for step in case.step_list:
        if step.started_on >= today or not rungs.CUSTOMER_SERVICE <= step.rung.position <= letter.rung:
            continue
        if letter.kind == Document.Kind.CIVIL_COMPLAINT and step.rung.position == rungs.LITIGATION:
            continue  # the lawsuit itself
        if letter.channel is not None and step.channel_id == letter.channel.pk:
            continue  # the filing this document is
        result.append(Attempt(step.started_on, attempt_sentence(step, chinese)))
    return result
