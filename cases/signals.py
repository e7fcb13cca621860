"""Deadlines follow the ladder's calendar: entered holidays and an edited limitation rule move them.

Also the signals cases sends for the apps that build on it (cases imports none of them).
"""

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from cases import deadlines
from escalation.models import DeadlineRule
from escalation.signals import holidays_saved

# Sent inside the transaction that added a picture or a PDF to a case (Evidence.add), with ``evidence``:
# the reading app queues the reading of its words once that transaction commits.
evidence_to_read = Signal()


@receiver(holidays_saved, dispatch_uid="cases.recompute_after_holidays")
def recompute_after_holidays(sender, year, actor=None, **kwargs):
    """A year's holidays were entered: the deadlines that depend on them move (same transaction)."""
    deadlines.recompute_for_year(year, actor)


@receiver(post_save, sender=DeadlineRule, dispatch_uid="cases.recompute_limitations")
def recompute_limitations(sender, instance, created=False, raw=False, **kwargs):
    """The admin edited the limitation rule: every open case's limitation period follows it."""
    if instance.code == "limitation" and not created and not raw:
        from escalation import cache

        cache.forget()
        deadlines.recompute_limitations()
