from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from lib.personal import MOBILE_RE, normalize_mobile


def find_user(login):
    """The account a login name means: a verified mobile number, else the username or the email address.

    A mobile number logs in only once a text-message code verified it, and then
    before any username that happens to be the same number: an account that
    merely typed someone's number cannot catch their logins.
    """
    User = get_user_model()
    login = (login or "").strip()
    if not login:
        return None
    mobile = normalize_mobile(login)
    if MOBILE_RE.match(mobile):
        verified = User.objects.filter(profile__mobile=mobile, profile__mobile_verified_at__isnull=False).first()
        if verified is not None:
            return verified
    return (
        User.objects.filter(username__iexact=login).first()
        or User.objects.filter(email__iexact=login).order_by("pk").first()
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
