from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .personal import normalize_mobile


def find_user(login):
    """The account a login name means: the username, the email address or the profile's mobile number."""
    User = get_user_model()
    login = (login or "").strip()
    if not login:
        return None
    return (
        User.objects.filter(username__iexact=login).first()
        or User.objects.filter(email__iexact=login).order_by("pk").first()
        or User.objects.filter(profile__mobile=normalize_mobile(login)).order_by("pk").first()
    )


class EmailOrMobileBackend(ModelBackend):
    """Log in with the email address (the username) or the mobile number on the profile."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # The same work as a real check: no timing hint that the account exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
