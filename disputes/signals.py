from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from escalation.models import DeadlineRule
from escalation.signals import holidays_saved

from . import deadlines
from .middleware import remember_language
from .models import Profile


@receiver(user_logged_in, dispatch_uid="disputes.use_profile_language")
def use_profile_language(sender, request, user, **kwargs):
    """After login the pages follow the language saved on the profile."""
    profile = Profile.objects.filter(user=user).only("language").first()
    if profile and request is not None and hasattr(request, "session"):
        remember_language(request, profile.language)


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="disputes.forget_volunteer_flag")
def forget_volunteer_flag(sender, instance, action, pk_set=None, **kwargs):
    """A user's groups changed: the header's volunteer links follow at once in this process."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, get_user_model()):
        cache.delete(f"disputes:volunteer:{instance.pk}")
    else:  # a group's users changed
        cache.delete_many([f"disputes:volunteer:{pk}" for pk in pk_set or ()])


@receiver(holidays_saved, dispatch_uid="disputes.recompute_after_holidays")
def recompute_after_holidays(sender, year, actor=None, **kwargs):
    """A year's holidays were entered: the deadlines that depend on them move (same transaction)."""
    deadlines.recompute_for_year(year, actor)


@receiver(post_save, sender=DeadlineRule, dispatch_uid="disputes.recompute_limitations")
def recompute_limitations(sender, instance, created=False, raw=False, **kwargs):
    """The admin edited the limitation rule: every open case's limitation period follows it."""
    if instance.code == "limitation" and not created and not raw:
        from escalation import cache

        cache.forget()
        deadlines.recompute_limitations()
