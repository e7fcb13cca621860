"""The ladder wizard: one named-URL step per rung, plus intake and outcome.

It is a formtools ``NamedUrlWizardView`` with three differences from the stock
behaviour, which loses data:

* its storage is the database (``WizardState``), not the session, so a draft
  survives an expired session or a change of device;
* every POST is applied at once through the case's model methods, inside a
  transaction, before the response; whatever does not validate is kept as a
  draft, and "Back" keeps what was typed on the current step;
* each form carries a one-time token, so submitting twice records once.

After a step is applied the merchant goes to the latest unfinished rung
(``Case.resume_step``), which is also where ``/cases/<case>/`` leads.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, IntegrityError, transaction
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView

from cases.access import get_case_for
from cases.forms.evidence import EvidenceForm
from cases.forms.intake import INTAKE_PARTS, IntakeForm
from cases.forms.steps import (
    AnswerForm,
    ApplicationForm,
    ContactForm,
    DeliveryForm,
    FilingForm,
    LawsuitForm,
    OutcomeForm,
    PolicyForm,
)
from cases.models import Case, FormSubmission, WizardState, china_today
from documents.letters.court import court_options
from escalation import cache as ladder
from escalation import rungs
from escalation.models import Channel, PolicyText, ProvinceWage
from escalation.routing import route
from lib import chinatime
from wizard.views.context import case_context, page_annotations
from wizard.views.panels import RECOMMENDATIONS_AT, first_choice_first, letter_panel, open_first

STEPS = [
    ("intake", IntakeForm),
    ("policy", PolicyForm),
    ("customer_service", ContactForm),
    ("application", ApplicationForm),
    ("third_party", FilingForm),
    ("litigation", LawsuitForm),
    ("outcome", OutcomeForm),
]
RUNG_STEPS = {step: position for position, step in Case.STEP_FOR_RUNG.items()}


def draft_bytes(data):
    """The size of the wizard's data as JSON with non-ASCII escaped: at least what the database stores."""
    return len(json.dumps(data))


class CaseStorage(BaseStorage):
    """Wizard storage in the database, one row per case; written only when something changed."""

    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.case = request.wizard_case
        try:
            state = self.case.wizard_state  # read with the case
        except WizardState.DoesNotExist:
            state = None
        self.exists = state is not None
        if state and state.data:
            self.data = state.data
        else:
            self.init_data()
        self._saved = repr(self.data)

    def clear_step(self, step):
        self.data[self.step_data_key].pop(step, None)

    def set_step_data(self, step, cleaned_data):
        """Keep a step's draft unless the case's drafts would outgrow MAX_DRAFT_BYTES; say whether it was kept.

        When it is not, the step's earlier draft stays as it was. A draft that makes the
        whole smaller is always kept, so a row stored before the limit can shrink.
        """
        drafts = self.data[self.step_data_key]
        before, size_before = drafts.get(step), draft_bytes(self.data)
        super().set_step_data(step, cleaned_data)
        size = draft_bytes(self.data)
        if settings.MAX_DRAFT_BYTES <= 0 or size <= settings.MAX_DRAFT_BYTES or size <= size_before:
            return True
        if before is None:
            drafts.pop(step, None)
        else:
            drafts[step] = before
        return False

    def save(self):
        if repr(self.data) == self._saved:
            return
        if self.exists:
            WizardState.objects.filter(case=self.case).update(data=self.data, updated_at=chinatime.now())
        else:
            WizardState.objects.create(case=self.case, data=self.data)
            self.exists = True
        self._saved = repr(self.data)

    def update_response(self, response):
        super().update_response(response)
        self.save()


def rung_step_condition(step):
    """Rung steps drop out once the money is back (``condition_dict``)."""

    def condition(wizard):
        return not wizard.money_back

    condition.__name__ = f"show_{step}"
    return condition


@method_decorator(login_required, name="dispatch")
class LadderWizard(NamedUrlWizardView):
    form_list = STEPS
    storage_name = "wizard.views.wizard.CaseStorage"
    condition_dict = {step: rung_step_condition(step) for step in RUNG_STEPS if step != "policy"}

    def dispatch(self, request, *args, **kwargs):
        self.case = get_case_for(
            request.user,
            kwargs["case"],
            owner_only=True,
            related=["owner__profile", "wizard_state"],
            annotations=page_annotations() if request.method == "GET" else None,  # a POST mostly redirects
        )
        request.wizard_case = self.case
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self, request, *args, **kwargs):
        return "ladder"

    @cached_property
    def money_back(self):
        return self.case.money_back

    def get_form_list(self):
        """formtools asks for the steps again at every turn (``self.steps``); they stand for the request."""
        if "_form_list" not in self.__dict__:
            self.__dict__["_form_list"] = super().get_form_list()
        return self.__dict__["_form_list"]

    def get_step_url(self, step):
        if step == self.done_step_name:
            step = "outcome"
        return reverse(self.url_name, kwargs={"case": self.case.pk, "step": step})

    def step_urls(self):
        """{step: its URL} for every step, with one ``reverse`` (the steps differ only in the last segment)."""
        marker = "step-name"
        pattern = reverse(self.url_name, kwargs={"case": self.case.pk, "step": marker})
        return {
            name: self.get_step_url(name) if name == self.done_step_name else pattern.replace(marker, name)
            for name in self.get_form_list()
        }

    def resume_url(self):
        return self.get_step_url(self.case.resume_step())

    def get_template_names(self):
        return [f"wizard/{self.steps.current}.html"]

    def get_form_kwargs(self, step=None):
        kwargs = {"case": self.case}
        if step in RUNG_STEPS and step != "policy":
            kwargs["early"] = self.early_blocker(step)
        return kwargs

    def get_form_initial(self, step):
        case = self.case
        if step == "intake":
            return IntakeForm.initial_for(case)
        if step == "policy":
            initial = {name: getattr(case, name) for name in Case.CHECKLIST_FIELDS}
            if self.policy and self.policy.current:
                initial["revision"] = self.policy.current.pk
            return initial
        if step == "outcome":
            return {"recovered_amount": case.amount, "recovered_on": china_today(), "recovered_rung": case.rung_id}
        if step == "litigation":
            return {"started_on": china_today(), "channel": Channel.objects.filter(code="basic-court").first()}
        return {"started_on": china_today()}

    @cached_property
    def policy(self):
        return PolicyText.for_rung(ladder.rung(rungs.POLICY), provider=self.case.provider)

    # ----- requests ----------------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step not in self.get_form_list():
            return redirect(self.resume_url())
        self.storage.current_step = step
        draft = self.storage.get_step_data(step)
        form = self.get_form(step, data=draft)
        if step == "intake":
            # The intake starts at its first part; a kept draft shows that part's mistakes only.
            if form.is_bound:
                form.errors_only_in(INTAKE_PARTS[0][1])
            return self.render(form, draft=draft is not None, part=0)
        return self.render(form, draft=draft is not None)

    def post(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step not in self.get_form_list():
            return redirect(self.resume_url())
        self.storage.current_step = step
        if not self.case.is_open and step != "outcome":
            messages.info(request, _("This case is closed. Reopen it from its last page to continue."))
            return redirect(self.resume_url())
        form = self.get_form(step, data=request.POST, files=request.FILES)
        goto = request.POST.get("wizard_goto_step")
        if goto in self.get_form_list():
            # Back (or a jump): keep what was typed here, then go.
            self.keep_draft(step, form)
            return redirect(self.get_step_url(goto))
        if step == "intake" and "goto_part" in request.POST:
            return self.intake_part(form)
        if "discard-draft" in request.POST:
            self.storage.clear_step(step)
            return redirect(self.get_step_url(step))
        if not form.is_valid():
            self.keep_draft(step, form)
            return self.render(form)
        token = form.cleaned_data["token"]
        try:
            with transaction.atomic():
                FormSubmission.claim(self.case, token)
                self.apply(step, form)
        except DatabaseError as error:
            self.case.refresh_from_db()  # drop what the failed transaction changed in memory
            if not (isinstance(error, IntegrityError) and FormSubmission.was_used(token)):
                self.keep_draft(step, form)
                messages.error(request, _("We could not save this just now. What you typed is kept: please try again."))
                return self.render(form)
            # The same form again (a double tap, a stale tab): it was applied the first time.
        self.storage.clear_step(step)
        return redirect(self.resume_url())

    def keep_draft(self, step, form):
        """Keep what was typed on ``step`` as its draft: the form's own fields only, within MAX_DRAFT_BYTES.

        Anything else posted is dropped. A draft past the limit is not kept (the earlier
        one stays) and the merchant is told; nothing saved on the case changes.
        """
        names = {form.add_prefix(name) for name in form.fields}
        draft = {key: form.data.getlist(key) for key in form.data if key in names}
        if not self.storage.set_step_data(step, draft):
            messages.error(
                self.request,
                _(
                    "What you typed on this step is too long to keep as a draft (at most %(limit)s), so it was "
                    "not kept. Your saved case is unchanged: shorten the text, then save the step."
                )
                % {"limit": filesizeformat(settings.MAX_DRAFT_BYTES)},
            )

    def intake_part(self, form):
        """Move between the parts of the intake: forward only when the part shown has no mistake.

        What was typed is kept as the step's draft either way; the case changes only
        when the last part is saved, with every answer checked again.
        """
        last = len(INTAKE_PARTS) - 1
        try:
            shown = min(max(int(self.request.POST.get("shown_part", 0)), 0), last)
            target = min(max(int(self.request.POST["goto_part"]), 0), last)
        except ValueError:
            shown = target = 0
        self.keep_draft("intake", form)
        if target > shown and not form.errors_only_in(INTAKE_PARTS[shown][1]):
            return self.render(form, part=shown)
        form.errors_only_in(())
        return self.render(form, part=target)

    # ----- applying a step ---------------------------------------------------------------------------

    def apply(self, step, form):
        """Save one step through the case's model methods."""
        data = form.cleaned_data
        user = self.request.user
        if step == "intake":
            self.case.save_intake(form.values(), user)
            messages.success(self.request, _("Your case details are saved."))
        elif step == "policy":
            checklist = {name: data[name] for name in Case.CHECKLIST_FIELDS}
            revision = data.get("revision") or (self.policy.current if self.policy else None)
            self.case.record_policy_read(revision, checklist, user)
        elif step == "outcome":
            self.done([form], form_dict={"outcome": form})
        else:
            rung = ladder.rung(RUNG_STEPS[step])
            channel = data.get("channel")
            if step == "customer_service":
                channel = ladder.provider_channel(rung)
            details = {
                name: data[name]
                for name in ("method", "reference", "recipient", "notes", "outcome", "promised_on")
                if name in data
            }
            step = self.case.log_step(
                rung=rung,
                channel=channel,
                actor=user,
                started_on=data["started_on"],
                early_reason=data.get("early_reason", ""),
                **details,
            )
            if step.next_reminder_at:
                messages.success(self.request, _("Recorded. We will remind you when their time is up."))
            else:
                messages.success(self.request, _("Recorded."))

    def done(self, form_list, **kwargs):
        """The last step: the case ends with money back, or is withdrawn."""
        data = form_list[0].cleaned_data
        if data["result"] == OutcomeForm.RECOVERED:
            netted = self.case.resolve(
                data["recovered_amount"], data["recovered_on"], data["recovered_rung"], self.request.user
            )
            messages.success(self.request, _("Congratulations: the case is closed with your money back."))
            if not netted and self.case.claimed_total:
                messages.info(
                    self.request,
                    _(
                        "Part of the money is still owed. If you reopen the case to claim the rest, say on the page "
                        "“Parties and money” which sums came back."
                    ),
                )
        else:
            self.case.withdraw(data["withdrawn_reason"], self.request.user)
            messages.info(self.request, _("The case is closed. Everything stays here if you need it again."))

    # ----- a later rung, early ----------------------------------------------------------------------

    def early_blocker(self, step):
        """Why acting at this step's rung now would be early (``Case.entry_blocker``), or None.

        Looking at the page is always allowed and changes nothing; recording an
        action there asks for a reason (``DatedActionForm(early=...)``).
        """
        position = RUNG_STEPS.get(step)
        if position is None or position == rungs.POLICY or not self.case.is_open:
            return None
        return self.case.entry_blocker(ladder.rung(position))

    # ----- context ------------------------------------------------------------------------------------

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(case_context(self.case, self.request))
        step = self.steps.current
        context["step"] = step
        context["fold_form"] = step in {"application", "third_party", "litigation"}
        if step == "intake":
            part = kwargs.get("part")
            context["part"] = part
            context["last_part"] = len(INTAKE_PARTS) - 1
            context["intake_parts"] = [
                (index, heading, [form[name] for name in names], note)
                for index, (heading, names, note) in enumerate(INTAKE_PARTS)
            ]
        context["step_urls"] = self.step_urls()
        context["evidence_form"] = EvidenceForm(case=self.case)
        position = RUNG_STEPS.get(step)
        if position:
            rung = ladder.rung(position)
            context["step_rung"] = rung
            here = sorted(
                (s for s in self.case.step_list if s.rung_id == rung.pk), key=lambda s: s.started_on, reverse=True
            )
            records = [
                (
                    s,
                    AnswerForm(step=s, prefix=f"answer-{s.pk}") if s.is_waiting else None,
                    DeliveryForm(step=s, prefix=f"delivery-{s.pk}") if s.is_waiting and s.counts_from_receipt else None,
                )
                for s in here
            ]
            # The latest record and every one still waiting for an answer show; the older ones fold.
            context["rung_steps"] = [r for i, r in enumerate(records) if i == 0 or r[0].is_waiting]
            context["earlier_steps"] = [r for i, r in enumerate(records) if i > 0 and not r[0].is_waiting]
            context["early"] = self.early_blocker(step)
        if step == "policy":
            context["policy"] = self.policy
        if step in {"third_party", "litigation"}:
            channels = Channel.objects.filter(
                is_active=True, rung__position__in=[rungs.CUSTOMER_SERVICE, rungs.THIRD_PARTY, rungs.LITIGATION]
            ).select_related("rung")
            wage = ProvinceWage.latest_for(self.case.province) if self.case.province else None
            context["route"] = result = route(self.case.routing_facts(), channels, wage=wage, today=china_today())
            for key, at in RECOMMENDATIONS_AT.items():
                context[key] = first_choice_first([r for r in result.recommendations if r.channel.rung.position == at])
            context["limitation_rule"] = self.case.limitation_rule()
            context["courts"], context["court_note"] = court_options(self.case)
        if step == "customer_service":
            context["provider"] = self.case.provider
        if position in {rungs.APPLICATION, rungs.THIRD_PARTY, rungs.LITIGATION}:
            recommendations = next((context[key] for key, at in RECOMMENDATIONS_AT.items() if at == position), None)
            panel = letter_panel(self.case, position, evidence=context["evidence"])
            # Nothing left to claim: no letter is offered, the ones issued before stay.
            context["letters_withheld"] = self.case.nothing_owed and bool(panel)
            if self.case.nothing_owed:
                panel = [item for item in panel if item["issued"]]
            context["step_letters"] = open_first(panel, recommendations, self.case)
        return context


ladder_wizard = LadderWizard.as_view(url_name="wizard:ladder_step", done_step_name="finished")
