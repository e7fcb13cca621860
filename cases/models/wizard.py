from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from cases.models.case import Case


class WizardState(models.Model):
    """The wizard's storage for one case, in the database rather than the session.

    It keeps what the merchant typed but has not yet saved (a draft per step),
    so nothing is lost when the session expires or they switch devices.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="wizard_state", primary_key=True)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "disputes_wizardstate"
        verbose_name = _("wizard draft")
        verbose_name_plural = _("wizard drafts")

    def __str__(self) -> str:
        return str(self.case_id)


class FormSubmission(models.Model):
    """A one-time form token already processed: a second submission of the same form does nothing."""

    token = models.UUIDField(primary_key=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "disputes_formsubmission"

    def __str__(self) -> str:
        return str(self.token)

    @classmethod
    def claim(cls, case: Case, token: uuid.UUID | str) -> None:
        """Record ``token`` as used, inside the transaction that applies the form.

        A token used before raises IntegrityError, which aborts that whole
        transaction: the form is applied once (``was_used`` tells the caller why).
        No savepoint: this costs one INSERT.
        """
        cls.objects.create(token=token, case=case)

    @classmethod
    def was_used(cls, token: uuid.UUID | str) -> bool:
        return cls.objects.filter(token=token).exists()
