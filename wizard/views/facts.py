"""The page "Parties and money": who the parties are, as letters name them, and each sum taken.

Every form posts to its own address and goes through a Case method that
writes a timeline event; a form with errors is shown again on the page with
what was typed, and nothing is saved.
"""

import copy
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import get_case_for
from cases.forms.facts import (
    AgentForm,
    CaseDetailsForm,
    ChargeForm,
    DeceptionForm,
    PersonDetails,
    RespondentForm,
    TradeForm,
)
from cases.models import Party
from cases.overcharge import trade_rows
from documents import letters
from escalation import rungs
from wizard.views.context import case_context


def forms_for(case, bound=None):
    """Every form of the page, unbound but for ``bound`` (name -> a form with the posted data)."""
    merchant = case.merchant or Party(case=case, role=Party.Role.MERCHANT, kind=Party.Kind.PERSON)
    respondent = case.respondent or Party(case=case, role=Party.Role.RESPONDENT)
    agent = case.agent or Party(case=case, role=Party.Role.AGENT, kind=Party.Kind.COMPANY)
    forms = {
        "person": PersonDetails(instance=copy.copy(merchant), prefix="person"),
        "respondent": RespondentForm(instance=copy.copy(respondent), prefix="respondent"),
        "agent": AgentForm(instance=copy.copy(agent), prefix="agent"),
        "details": CaseDetailsForm(instance=copy.copy(case), prefix="details"),
        "charge": ChargeForm(prefix="charge"),
        "charges": [
            (charge, ChargeForm(instance=copy.copy(charge), prefix=f"charge-{charge.pk}"))
            for charge in case.charge_list
        ],
        "trade_forms": {
            charge.pk: TradeForm(charge=charge, prefix=f"trade-{charge.pk}")
            for charge in case.charge_list
            if charge.is_overcharge
        },
        "deception": DeceptionForm(initial={"posed_as": case.posed_as, "pitch": bool(case.pitch)}, prefix="deception"),
    }
    forms.update(bound or {})
    return forms


def forms_in(value):
    """The forms in a page's bound forms: a form, or lists, tuples and dicts holding forms."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        for item in value:
            yield from forms_in(item)
    elif isinstance(value, BaseForm):
        yield value


# Where each thing a letter may lack is filled in: a section of this page (its id), by the checklist's code.
SECTION_OF = {
    "merchant": "person",
    "respondent": "respondent",
    "agent": "agent",
    "money": "money",
    "trades": "money",
    "overcharge_confirmed": "money",
    "court": "details",
}
# The section of each form a POST may send back with errors.
SECTION_OF_FORM = {"charge": "money", "charges": "money", "trade_forms": "money"}


def section_of(code):
    """The section of "Parties and money" where a missing fact (a checklist code) is filled in, or None."""
    return SECTION_OF.get(code.split(".", 1)[0])


def missing_by_section(case):
    """What the next letters still lack, by section: {section: [text, ...]}, each fact once.

    The next letters are those of the case's rung, or the refund application before rung 3.
    """
    language = translation.get_language() or "zh-hans"
    position = max(case.rung.position, rungs.APPLICATION)
    found = {}
    for letter in letters.available_letters(case):
        if letter.rung != position:
            continue
        for missing in letters.checklist(case, letter, language):
            section = section_of(missing.code)
            if section:
                found.setdefault(section, {}).setdefault(missing.code, missing.text)
    return {section: list(texts.values()) for section, texts in found.items()}


def page(request, case, bound=None, status=200):
    context = case_context(case, request)
    context.update(forms_for(case, bound))
    context["invalid_forms"] = [form for form in forms_in(bound or {}) if form.errors]
    # Every section folds behind its heading on a phone; one with errors, or the one asked for, opens.
    opened = {SECTION_OF_FORM.get(name, name) for name, value in (bound or {}).items() if list(forms_in(value))}
    opened.add(request.GET.get("open", ""))
    context["opened"] = opened
    context["missing"] = missing_by_section(case) if case.is_open and not case.nothing_owed else {}
    for charge, _form in context["charges"]:
        charge.trade_form = context["trade_forms"].get(charge.pk)
        charge.trade_rows = trade_rows(charge) if charge.is_overcharge else []
    provider = case.provider
    context["provider"] = provider
    if provider is not None:
        context["provider_facts"] = [
            (provider._meta.get_field(name).verbose_name, *provider.fact(name)) for name in provider.SOURCED_FIELDS
        ]
    return render(request, "wizard/facts.html", context, status=status)


def editable_case(request, case):
    case = get_case_for(request.user, case, owner_only=True)
    if not case.is_open:
        messages.info(request, _("This case is closed. Reopen it from its last page to continue."))
        return case, redirect("cases:case", case=case.pk)
    return case, None


@login_required
def case_facts(request, case):
    case = get_case_for(request.user, case, owner_only=True)
    return page(request, case)


@login_required
@require_POST
def save_person(request, case):
    case, closed = editable_case(request, case)
    if closed:
        return closed
    merchant = case.merchant or Party(case=case, role=Party.Role.MERCHANT, kind=Party.Kind.PERSON)
    form = PersonDetails(request.POST, instance=copy.copy(merchant), prefix="person")
    if not form.is_valid():
        return page(request, case, {"person": form}, status=400)
    values = form.values()
    if merchant.is_business:
        values.pop("name", None)  # a business's name is its registered name, set in the intake
    case.save_party(Party.Role.MERCHANT, values, request.user)
    messages.success(request, _("Your details are saved."))
    return redirect("wizard:facts", case=case.pk)


@login_required
@require_POST
def save_respondent(request, case):
    case, closed = editable_case(request, case)
    if closed:
        return closed
    respondent = case.respondent or Party(case=case, role=Party.Role.RESPONDENT)
    form = RespondentForm(request.POST, instance=copy.copy(respondent), prefix="respondent")
    if not form.is_valid():
        return page(request, case, {"respondent": form}, status=400)
    case.save_party(Party.Role.RESPONDENT, form.values(), request.user)
    messages.success(request, _("The company's details are saved."))
    return redirect("wizard:facts", case=case.pk)


@login_required
@require_POST
def save_agent(request, case):
    case, closed = editable_case(request, case)
    if closed:
        return closed
    agent = case.agent or Party(case=case, role=Party.Role.AGENT, kind=Party.Kind.COMPANY)
    if "remove" in request.POST:
        case.save_party(Party.Role.AGENT, None, request.user)
        messages.success(request, _("The agent is removed from the case."))
        return redirect("wizard:facts", case=case.pk)
    form = AgentForm(request.POST, instance=copy.copy(agent), prefix="agent")
    if not form.is_valid():
        return page(request, case, {"agent": form}, status=400)
    case.save_party(Party.Role.AGENT, form.values(), request.user)
    messages.success(request, _("The agent's details are saved."))
    return redirect("wizard:facts", case=case.pk)


@login_required
@require_POST
def save_details(request, case):
    case, closed = editable_case(request, case)
    if closed:
        return closed
    form = CaseDetailsForm(request.POST, instance=copy.copy(case), prefix="details")
    if not form.is_valid():
        return page(request, case, {"details": form}, status=400)
    case.save_details(form.cleaned_data, request.user)
    messages.success(request, _("Saved."))
    return redirect("wizard:facts", case=case.pk)


@login_required
@require_POST
def add_charge(request, case):
    case, closed = editable_case(request, case)
    if closed:
        return closed
    form = ChargeForm(request.POST, prefix="charge")
    if not form.is_valid():
        return page(request, case, {"charge": form}, status=400)
    case.save_charge(None, form.values(), request.user)
    messages.success(request, _("The sum is added."))
    return redirect(facts_anchor(case))


@login_required
@require_POST
def edit_charge(request, case, charge):
    case, closed = editable_case(request, case)
    if closed:
        return closed
    charge = get_object_or_404(case.charges, pk=charge)
    if "delete" in request.POST:
        if case.first_charge() == charge:
            messages.error(request, _("The first sum is part of your case details: change it there."))
        else:
            case.delete_charge(charge, request.user)
            messages.success(request, _("The sum is removed."))
        return redirect(facts_anchor(case))
    form = ChargeForm(request.POST, instance=copy.copy(charge), prefix=f"charge-{charge.pk}")
    if not form.is_valid():
        bound = forms_for(case)
        bound["charges"] = [(item, form if item.pk == charge.pk else edit) for item, edit in bound["charges"]]
        return page(request, case, {"charges": bound["charges"]}, status=400)
    case.save_charge(charge, form.values(), request.user)
    messages.success(request, _("The sum is saved."))
    return redirect(facts_anchor(case))


def facts_anchor(case, charge=None):
    """The page with the money section open, at the charge worked on: its trades come one after another."""
    anchor = f"charge-{charge.pk}" if charge else "money"
    return f"{reverse('wizard:facts', args=[case.pk])}?open=money#{anchor}"


def editable_overcharge(request, case, charge):
    """(case, charge, refusal): the owner's open case and its card-fee overcharge (404 for any other charge).

    Trades belong only to card fees above the agreed rate; any other sum is refused with a message.
    """
    case, closed = editable_case(request, case)
    if closed:
        return case, None, closed
    charge = get_object_or_404(case.charges, pk=charge)
    if not charge.is_overcharge:
        messages.error(request, _("Trades belong to card fees above the agreed rate: this sum is not one."))
        return case, charge, redirect(facts_anchor(case, charge))
    return case, charge, None


@login_required
@require_POST
def add_trade(request, case, charge):
    case, charge, refused = editable_overcharge(request, case, charge)
    if refused:
        return refused
    form = TradeForm(request.POST, charge=charge, prefix=f"trade-{charge.pk}")
    if not form.is_valid():
        bound = forms_for(case)
        bound["trade_forms"][charge.pk] = form
        return page(request, case, {"trade_forms": bound["trade_forms"]}, status=400)
    case.save_trades(charge, [*charge.trade_list, form.cleaned_data["trade"]], request.user)
    messages.success(request, _("The trade is added. Check the total, then confirm it."))
    return redirect(facts_anchor(case, charge))


@login_required
@require_POST
def remove_trade(request, case, charge):
    case, charge, refused = editable_overcharge(request, case, charge)
    if refused:
        return refused
    trades = charge.trade_list
    try:
        index = int(request.POST.get("index", ""))
        trades[index]  # noqa: B018 - an index outside the list is refused below
    except (ValueError, IndexError):
        messages.error(request, _("That trade is no longer in the list."))
        return redirect(facts_anchor(case, charge))
    case.save_trades(charge, trades[:index] + trades[index + 1 :], request.user)
    messages.success(request, _("The trade is removed."))
    return redirect(facts_anchor(case, charge))


@login_required
@require_POST
def confirm_overcharge(request, case, charge):
    """The merchant confirms the total they saw; a list changed in between is shown again, not claimed."""
    case, charge, refused = editable_overcharge(request, case, charge)
    if refused:
        return refused
    try:
        case.confirm_overcharge(charge, Decimal(request.POST.get("total", "")), request.user)
    except (ValueError, ArithmeticError):
        messages.error(request, _("The trades changed since you looked: check the new total, then confirm it."))
    else:
        messages.success(request, _("Confirmed: your letters claim this overcharge."))
    return redirect(facts_anchor(case, charge))


@login_required
@require_POST
def save_deception(request, case):
    case, closed = editable_case(request, case)
    if closed:
        return closed
    form = DeceptionForm(request.POST, prefix="deception")
    if not form.is_valid():
        return page(request, case, {"deception": form}, status=400)
    changed = case.record_deception(form.cleaned_data["posed_as"], form.pitch_text(case), request.user)
    if changed and case.deceived:
        messages.success(request, _("Saved. See “A police report is possible” at the top of your case pages."))
    else:
        messages.success(request, _("Saved."))
    return redirect("wizard:facts", case=case.pk)
