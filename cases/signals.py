"""Deadlines follow the ladder's calendar: entered holidays and an edited limitation rule move them."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from cases import deadlines
from escalation.models import DeadlineRule
from escalation.signals import holidays_saved


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
