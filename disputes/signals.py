from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import remember_language
from .models import Profile


@receiver(user_logged_in, dispatch_uid="disputes.use_profile_language")
def use_profile_language(sender, request, user, **kwargs):
    """After login the pages follow the language saved on the profile."""
    profile = Profile.objects.filter(user=user).only("language").first()
    if profile and request is not None and hasattr(request, "session"):
        remember_language(request, profile.language)
