import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import PasswordResetRequest, Profile
from ..personal import normalize_id_number, normalize_mobile, validate_id_number, validate_mobile
from ..roles import MERCHANT
from ..throttle import client_address, confirm_password, lift_lock, login_wait, user_wait
from .common import FormDefaults


class SignupForm(FormDefaults, forms.Form):
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

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        User = get_user_model()
        if email and (
            User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists()
        ):
            raise ValidationError(_("An account with this email already exists: log in instead."), code="email_taken")
        return email

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data["mobile"])
        if mobile_taken(mobile):
            raise ValidationError(
                _("An account with this mobile number already exists: log in instead."), code="mobile_taken"
            )
        return mobile

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

    def save(self, language):
        data = self.cleaned_data
        return create_merchant(
            data["full_name"], data["mobile"], language, email=data["email"], password=data["password1"]
        )


def mobile_taken(mobile):
    User = get_user_model()
    return Profile.objects.filter(mobile=mobile).exists() or User.objects.filter(username=mobile).exists()


def create_merchant(full_name, mobile, language, email="", password=None):
    """A merchant's account: the email is the login name when given, else the mobile number.

    Without a password (signed up by text message) the account logs in with codes until one is set.
    """
    User = get_user_model()
    user = User.objects.create_user(username=email or mobile, email=email, password=password, first_name=full_name)
    Profile.objects.create(user=user, full_name=full_name, mobile=mobile, language=language)
    user.groups.add(Group.objects.get_or_create(name=MERCHANT)[0])
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
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=60,
        error_messages={"required": _("Type your full name to open your account.")},
    )

    def __init__(self, *args, new_account=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not new_account:
            del self.fields["full_name"]


def throttled(seconds):
    """The error for a password not even checked because of earlier failures (disputes.throttle)."""
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
    """A login form that checks no password while the account must wait at this address (disputes.throttle).

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
    """The merchant's details. The ID number is never shown back in full: leave it empty to keep it."""

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.FIELD_ORDER)
        self.fields["email"].initial = self.instance.user.email
        self.fields["mobile"].validators.append(validate_mobile)
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
        others = Profile.objects.exclude(pk=self.instance.pk)
        if (
            others.filter(mobile=mobile).exists()
            or get_user_model().objects.filter(username=mobile).exclude(pk=self.instance.user_id).exists()
        ):
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

    def save(self, commit=True):
        profile = super().save(commit=commit)
        user = profile.user
        # The login name is the email when there is one, else the mobile number.
        user.email = self.cleaned_data["email"]
        user.username = user.email or profile.mobile
        user.first_name = profile.full_name
        if commit:
            user.save(update_fields=["email", "username", "first_name"])
        return profile
