import math
import uuid

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import MobileTaken, PasswordResetRequest, Profile
from accounts.roles import MERCHANT
from accounts.throttle import client_address, confirm_password, lift_lock, login_wait, user_wait
from lib import chinatime
from lib.forms import FormDefaults
from lib.personal import normalize_id_number, normalize_mobile, validate_id_number, validate_mobile


class SignupForm(FormDefaults, forms.Form):
    """Who signs up. It never says whether the email or mobile already has an account (see views.accounts.signup)."""

    full_name = forms.CharField(label=_("Full name"), max_length=60)
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        validators=[validate_mobile],
        help_text=_("You log in with it; reminders come to it by text message."),
    )
    email = forms.EmailField(
        label=_("Email (optional)"), required=False, help_text=_("If you give one, reminders also come by email.")
    )
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, email_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        if email_required:  # no text messages on this site: the email is how the account is proved and logged into
            email = self.fields["email"]
            email.required = True
            email.label = _("Email")
            email.help_text = _("We send a code to it to open your account; you log in with it.")
            email.error_messages["required"] = _("Type your email: this site sends its codes by email.")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data["mobile"])

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", ValidationError(_("The two passwords differ."), code="password_mismatch"))
        if first and (cleaned.get("email") or cleaned.get("mobile")):
            user = get_user_model()(
                username=cleaned.get("email") or cleaned["mobile"],
                email=cleaned.get("email", ""),
                first_name=cleaned.get("full_name", ""),
            )
            try:
                password_validation.validate_password(first, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def pending(self, language):
        """What the account will be made of once the code comes back: the password only as its hash."""
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "mobile": data["mobile"],
            "email": data["email"],
            "password": make_password(data["password1"]),
            "language": language,
        }


def email_taken(email):
    """Whether an account logs in with this email (as its email or its username)."""
    User = get_user_model()
    return User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists()


def free_username(preferred):
    """``preferred`` if no account has it as its username, else a name nobody types (the account logs in otherwise)."""
    if not get_user_model().objects.filter(username__iexact=preferred).exists():
        return preferred
    return f"merchant-{uuid.uuid4().hex[:12]}"


def create_merchant(full_name, mobile, language, email="", password_hash=None, mobile_verified=False):
    """A merchant's account: the email is the login name when given, else the (verified) mobile number.

    Without a password (signed up by text message) the account logs in with codes until one is set.
    MobileTaken when another account verified the number first.
    """
    User = get_user_model()
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=free_username(email or mobile), email=email, password=None, first_name=full_name
            )
            if password_hash:
                user.password = password_hash
                user.save(update_fields=["password"])
            Profile.objects.create(
                user=user,
                full_name=full_name,
                mobile=mobile,
                mobile_verified_at=chinatime.now() if mobile_verified else None,
                language=language,
            )
            user.groups.add(Group.objects.get_or_create(name=MERCHANT)[0])
    except IntegrityError:
        if mobile_verified and Profile.verified_elsewhere(mobile):
            raise MobileTaken(mobile) from None
        raise
    return user


class MobileForm(FormDefaults, forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        validators=[validate_mobile],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
        error_messages={"required": _("Type your 11-digit mobile number.")},
    )

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data["mobile"])


class CodeForm(FormDefaults, forms.Form):
    code = forms.RegexField(
        label=_("The 6-digit code in the text message"),
        regex=r"^\s*\d{6}\s*$",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={
            "required": _("Type the 6-digit code from the text message."),
            "invalid": _("The code has 6 digits."),
        },
    )


class NameForm(FormDefaults, forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=60,
        error_messages={"required": _("Type your full name to open your account.")},
    )


def throttled(seconds):
    """The error for a password not even checked because of earlier failures (accounts.throttle)."""
    minutes = max(1, math.ceil(seconds / 60))
    return ValidationError(
        ngettext(
            "Too many wrong passwords. Try again in %(minutes)s minute, "
            "or log in with a code sent to your mobile, or reset your password by email.",
            "Too many wrong passwords. Try again in %(minutes)s minutes, "
            "or log in with a code sent to your mobile, or reset your password by email.",
            minutes,
        ),
        code="throttled",
        params={"minutes": minutes},
    )


class ThrottledLogin:
    """A login form that checks no password while the account must wait at this address (accounts.throttle).

    The wrong passwords themselves are counted by the ``user_login_failed`` signal.
    """

    def clean(self):
        wait = login_wait(self.cleaned_data.get("username"), self.request)
        if wait:
            raise throttled(wait)
        return super().clean()


class LoginForm(ThrottledLogin, FormDefaults, AuthenticationForm):
    username = forms.CharField(label=_("Email or mobile number"), max_length=254)


class AdminLoginForm(ThrottledLogin, AdminAuthenticationForm):
    """The admin's login (``admin.site.login_form``), under the same throttling as everyone's."""


def check_current_password(user, password, request):
    """True for the user's right password, retyped to change it or to delete the account.

    Throttled like a login: nothing is checked while the account must wait, and a wrong
    password counts as a failed login, so a borrowed session cannot guess it either.
    """
    wait = user_wait(user, request)
    if wait:
        raise throttled(wait)
    return confirm_password(user, password, request)


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change; the old password is checked under the login throttling."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not check_current_password(self.user, old_password, self.request):
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password

    def save(self, commit=True):
        user = super().save(commit)
        lift_lock(user)
        return user


class ResetPasswordForm(SetPasswordForm):
    """The new password chosen from a reset link; the link proves the owner, so it lifts any login wait."""

    def save(self, commit=True):
        user = super().save(commit)
        lift_lock(user)
        return user


class ResetRequestForm(PasswordResetForm):
    """Ask for a reset link: a few per client address and a few mails per email an hour.

    Past the address limit the form says so; past the email limit it sends nothing and the
    page reads exactly as when a mail went out, or when no account uses that email.
    """

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if PasswordResetRequest.too_many_from(client_address(self.request)):
            raise ValidationError(
                _("Too many reset links were asked for from your network. Try again in an hour."), code="throttled"
            )
        return cleaned

    def save(self, request=None, **kwargs):
        if PasswordResetRequest.accept(self.cleaned_data["email"], client_address(request)):
            super().save(request=request, **kwargs)


class ProfileForm(FormDefaults, forms.ModelForm):
    """The merchant's details. The ID number is never shown back in full: leave it empty to keep it.

    With ``verify_new_mobile`` (the site sends texts) a changed mobile number is not
    saved: it waits in ``mobile_to_verify`` for the code sent to it. Without, it is
    saved as a contact number only, unverified.
    """

    email = forms.EmailField(label=_("Email (optional)"), required=False)
    remove_id_number = forms.BooleanField(label=_("Remove the ID card number on file"), required=False)

    class Meta:
        model = Profile
        fields = [
            "full_name",
            "mobile",
            "postal_address",
            "id_number",
            "ethnicity",
            "occupation",
            "language",
            "email_reminders",
            "sms_reminders",
        ]
        widgets = {"id_number": forms.TextInput(attrs={"autocomplete": "off"})}

    FIELD_ORDER = ["full_name", "mobile", "email", "postal_address", "id_number", "remove_id_number"]

    def __init__(self, *args, verify_new_mobile=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.verify_new_mobile = verify_new_mobile
        self.mobile_to_verify = ""
        self.order_fields(self.FIELD_ORDER)
        self.fields["email"].initial = self.instance.user.email
        self.fields["mobile"].validators.append(validate_mobile)
        self.fields["mobile"].help_text = (
            _("Verified: you can log in with it.")
            if self.instance.mobile_verified
            else _("Not verified yet: it logs you in once a code we text to it proves it is yours.")
        )
        self.stored_mobile = self.instance.mobile
        self.stored_id_number = self.instance.id_number
        self.initial["id_number"] = ""
        if self.stored_id_number:
            self.fields["id_number"].help_text = _(
                "On file: %(masked)s. Leave empty to keep it, or type a new one to replace it."
            ) % {"masked": self.instance.masked_id_number}
        else:
            del self.fields["remove_id_number"]

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data["mobile"])
        if Profile.verified_elsewhere(mobile, self.instance.user_id):
            raise ValidationError(_("Another account uses this mobile number."), code="mobile_taken")
        return mobile

    def clean_id_number(self):
        number = normalize_id_number(self.cleaned_data["id_number"])
        if number:
            validate_id_number(number)
            return number
        if self.data.get(self.add_prefix("remove_id_number")):
            return ""
        return self.stored_id_number

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        User = get_user_model()
        others = User.objects.exclude(pk=self.instance.user_id)
        if email and (others.filter(email__iexact=email).exists() or others.filter(username__iexact=email).exists()):
            raise ValidationError(_("Another account uses this email."), code="email_taken")
        return email

    def clean(self):
        cleaned = super().clean()
        removes_email = "email" in cleaned and not cleaned["email"] and self.instance.user.email
        if removes_email and not self.keeps_verified_mobile(cleaned.get("mobile")):
            self.add_error(
                "email",
                ValidationError(
                    _("Keep your email until a text message has verified your mobile number: you log in with it."),
                    code="email_needed",
                ),
            )
        return cleaned

    def keeps_verified_mobile(self, mobile):
        """Whether a verified number still logs this account in after the save."""
        unchanged = mobile == self.stored_mobile or self.verify_new_mobile
        return unchanged and self.instance.mobile_verified

    def save(self, commit=True):
        profile = self.instance
        if profile.mobile != self.stored_mobile:
            if self.verify_new_mobile:
                self.mobile_to_verify, profile.mobile = profile.mobile, self.stored_mobile
            else:
                profile.mobile_verified_at = None
        profile = super().save(commit=commit)
        user = profile.user
        user.email = self.cleaned_data["email"]
        user.username = login_name(user, profile)
        user.first_name = profile.full_name
        if commit:
            user.save(update_fields=["email", "username", "first_name"])
        return profile


def login_name(user, profile):
    """The username: the email when there is one, else the verified mobile number, else the name it had."""
    if user.email:
        return user.email
    others = get_user_model().objects.exclude(pk=user.pk)
    if profile.mobile_verified and not others.filter(username__iexact=profile.mobile).exists():
        return profile.mobile
    return user.username


class ConfirmWithPassword(FormDefaults, forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, user, *args, request=None, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not check_current_password(self.user, password, self.request):
            raise forms.ValidationError(_("The password is not right."), code="password")
        return password
