"""Sign-in follows the profile: its language after login, and the volunteer flag when groups change."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from accounts.middleware import remember_language
from accounts.models import Profile


@receiver(user_logged_in, dispatch_uid="accounts.use_profile_language")
def use_profile_language(sender, request, user, **kwargs):
    """After login the pages follow the language saved on the profile."""
    profile = Profile.objects.filter(user=user).only("language").first()
    if profile and request is not None and hasattr(request, "session"):
        remember_language(request, profile.language)


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="accounts.forget_volunteer_flag")
def forget_volunteer_flag(sender, instance, action, pk_set=None, **kwargs):
    """A user's groups changed: the header's volunteer links follow at once in this process."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, get_user_model()):
        cache.delete(f"volunteer:{instance.pk}")
    else:  # a group's users changed
        cache.delete_many([f"volunteer:{pk}" for pk in pk_set or ()])
