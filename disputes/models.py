import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from escalation.models import Rung


class Case(models.Model):
    """One merchant's dispute over a deposit or fee that was not returned."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Money recovered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cases", verbose_name=_("owner")
    )
    rung = models.ForeignKey(Rung, on_delete=models.PROTECT, related_name="+", verbose_name=_("current rung"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self):
        return str(self.id)

    @classmethod
    def open(cls, owner, actor=None, pk=None):
        """Open a new case at the first rung and record it on the timeline."""
        with transaction.atomic():
            case = cls.objects.create(pk=pk or uuid.uuid4(), owner=owner, rung=Rung.objects.get(position=1))
            case.events.create(kind=Event.Kind.OPENED, actor=actor or owner)
        return case


class Event(models.Model):
    """One line of a case's timeline: what happened, when, and who did it."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.get_kind_display()
