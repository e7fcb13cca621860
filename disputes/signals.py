from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

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
