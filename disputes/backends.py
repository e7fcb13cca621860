from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .personal import normalize_mobile


class EmailOrMobileBackend(ModelBackend):
    """Log in with the email address (the username) or the mobile number on the profile."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        login = username.strip()
        user = (
            User.objects.filter(username__iexact=login).first()
            or User.objects.filter(email__iexact=login).order_by("pk").first()
            or User.objects.filter(profile__mobile=normalize_mobile(login)).order_by("pk").first()
        )
        if user is None:
            User().set_password(password)  # same work as a real check: no timing hint that the account exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
