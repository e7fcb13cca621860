"""The volunteers' notes on a case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cases.models import Event
from reminders.models import Notification

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL: django-stubs' plugin resolves this alias to it.
    from django.contrib.auth.models import _User as User

    from cases.models import Case


class Comment(models.Model):
    """A volunteer's note on a case: internal, or a message the merchant is told about."""

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal note (volunteers only)")
        MERCHANT = "merchant", _("Message to the merchant")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="comments", verbose_name=_("case"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    visibility = models.CharField(_("visible to"), max_length=16, choices=Visibility.choices)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        db_table = "disputes_comment"
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:40]

    @classmethod
    def post(cls, case: Case, author: User | None, body: str, visibility: str) -> Comment:
        """Add a comment; a message to the merchant also notifies them."""
        with transaction.atomic():
            comment = cls.objects.create(case=case, author=author, body=body, visibility=visibility)
            case.record(Event.Kind.COMMENTED, author, comment=comment.pk, visibility=visibility)
            if visibility == cls.Visibility.MERCHANT:
                Notification.objects.create(
                    user=case.owner,
                    case=case,
                    kind=Notification.Kind.COMMENT,
                    data={"text": body[:200], "comment": comment.pk},
                )
        return comment
