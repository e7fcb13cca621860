from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import get_case_for
from cases.forms.steps import AnswerForm, DeliveryForm
from cases.models import Case, Step, china_today


@login_required
def case_list(request):
    cases = (
        Case.objects.filter(owner=request.user)
        .select_related("rung", "provider")
        .annotate(
            next_due_on=Min("steps__due_on", filter=Case.live_steps_condition()),
            respondent_name=Case.respondent_name_subquery(),
        )
        .order_by("-created_at")
    )
    return render(request, "cases/case_list.html", {"cases": cases, "today": china_today()})


@login_required
@require_POST
def case_new(request):
    try:
        case = Case.open(request.user)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
        return redirect("cases:case_list")
    return redirect("wizard:ladder_step", case=case.pk, step="intake")


@login_required
def case_detail(request, case):
    """Resume the case at its latest unfinished rung."""
    case = get_case_for(request.user, case, owner_only=True)
    return redirect("wizard:ladder_step", case=case.pk, step=case.resume_step())


@login_required
def case_timeline(request, case):
    case = get_case_for(request.user, case, owner_only=True)
    events = case.events.select_related("actor").order_by("-created_at", "-id")
    return render(request, "cases/timeline.html", {"case": case, "events": events})


def step_page(case, step):
    """The wizard page of the rung a step belongs to."""
    return reverse("wizard:ladder_step", args=[case.pk, Case.STEP_FOR_RUNG[step.rung.position]])


def report_errors(request, form, back):
    """Show a small form's errors as messages on the page it came from; nothing was saved."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(back)


@login_required
@require_POST
def record_answer(request, case, step):
    case = get_case_for(request.user, case, owner_only=True)
    step = get_object_or_404(case.steps, pk=step)
    form = AnswerForm(request.POST, step=step, prefix=f"answer-{step.pk}")
    back = step_page(case, step)
    if not case.is_open or not step.is_waiting:
        messages.info(request, _("This step already has an answer."))
        return redirect(back)
    if not form.is_valid():
        return report_errors(request, form, back)
    with transaction.atomic():
        step.record_answer(
            form.cleaned_data["outcome"],
            form.cleaned_data["answered_on"],
            form.cleaned_data["answer_notes"],
            request.user,
            promised_on=form.cleaned_data["promised_on"],
        )
    if step.outcome == Step.Outcome.PROMISED and step.promised_on and step.next_reminder_at:
        messages.success(
            request,
            _("Their promise is recorded. We will remind you on %(date)s to check that the money came.")
            % {"date": step.promised_on.isoformat()},
        )
    else:
        messages.success(request, _("Their answer is recorded."))
    if form.cleaned_data["outcome"] == Step.Outcome.REFUNDED:
        return redirect("wizard:ladder_step", case=case.pk, step="outcome")
    return redirect(back)


@login_required
@require_POST
def record_delivery(request, case, step):
    """The merchant records when the other side received a sent step; its deadline follows."""
    case = get_case_for(request.user, case, owner_only=True)
    step = get_object_or_404(case.steps.select_related("rule", "rung"), pk=step)
    step.case = case
    form = DeliveryForm(request.POST, step=step, prefix=f"delivery-{step.pk}")
    back = step_page(case, step)
    if not case.is_open:
        messages.info(request, _("This case is closed. Reopen it from its last page to continue."))
        return redirect(back)
    if not form.is_valid():
        return report_errors(request, form, back)
    step.record_delivery(form.cleaned_data["delivered_on"], form.cleaned_data["delivery_proof"], request.user)
    if step.is_waiting and step.counts_from_receipt and step.due_on:
        messages.success(
            request,
            _("The delivery date is recorded. Their time now runs until %(date)s.") % {"date": step.due_on.isoformat()},
        )
    else:
        messages.success(request, _("The delivery date is recorded."))
    return redirect(back)


@login_required
@require_POST
def case_reopen(request, case):
    case = get_case_for(request.user, case, owner_only=True)
    if not case.is_open:
        try:
            case.reopen(request.user)
        except ValidationError as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(request, _("The case is open again."))
    return redirect("cases:case", case=case.pk)


@login_required
@require_POST
def ask_for_help(request, case):
    case = get_case_for(request.user, case, owner_only=True)
    if case.is_open and case.enqueue(Case.QueueReason.HELP_REQUESTED, request.user):
        messages.success(request, _("A volunteer will look at your case. You will see their messages here."))
    else:
        messages.info(request, _("Your case is already with the volunteers."))
    return redirect("cases:case", case=case.pk)
