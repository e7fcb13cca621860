import datetime

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from escalation.holidays import ScheduleError, format_dates, parse_schedule
from escalation.models import (
    STALE_AFTER_DAYS,
    Channel,
    DeadlineRule,
    HolidayCalendar,
    HolidayDate,
    LegalBasis,
    PolicyRevision,
    PolicyText,
    Provider,
    ProvinceWage,
    Rung,
)
from lib import chinatime

SOURCED_FIELDSET = (
    _("Legal basis and sources"),
    {"fields": ("legal_basis_zh", "legal_basis_en", "sources", "verification")},
)


# Addresses typed without a scheme are taken as https (Django 6's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Rung)
class RungAdmin(admin.ModelAdmin):
    list_display = ["position", "title_zh", "title_en", "code"]
    list_display_links = ["position", "title_zh"]
    search_fields = ["title_zh", "title_en", "summary_zh", "summary_en"]
    list_filter = ["code"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False  # the five rungs are fixed; their texts are editable

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name_zh", "rung", "kind", "contact", "eligibility", "verification", "is_active"]
    list_filter = ["rung", "kind", "eligibility", "verification", "pressure_only", "is_active"]
    search_fields = ["name_zh", "name_en", "code", "contact", "description_zh", "description_en"]
    list_select_related = ["rung"]
    fieldsets = [
        (None, {"fields": ("rung", "code", "kind", "position", "is_active")}),
        (_("Names and description"), {"fields": ("name_zh", "name_en", "description_zh", "description_en")}),
        (
            _("Contact"),
            {"fields": ("contact", "web_address", "working_hours_zh", "working_hours_en")},
        ),
        (
            _("Who may use it"),
            {"fields": ("eligibility", "requires_prior_complaint", "pressure_only", "filing")},
        ),
        SOURCED_FIELDSET,
    ]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "short_name_zh", "credit_code", "service_phone", "details_verified", "checked_on"]
    list_filter = ["details_verified", "is_active"]
    search_fields = ["name", "short_name_zh", "short_name_en", "credit_code", "registered_address"]
    readonly_fields = ["added_by"]
    fieldsets = [
        (None, {"fields": ["name", "short_name_zh", "short_name_en", "is_active", "added_by"]}),
        (
            _("What letters print, each with its source and the date it was checked"),
            {
                "description": _(
                    "Check each detail against the 国家企业信用信息公示系统 (www.gsxt.gov.cn) or PBoC's list of "
                    "licensed payment institutions, and name that source."
                ),
                "fields": [
                    ("credit_code", "credit_code_source", "credit_code_checked_on"),
                    ("registered_address", "registered_address_source", "registered_address_checked_on"),
                    ("legal_representative", "legal_representative_source", "legal_representative_checked_on"),
                    ("complaints_to", "complaints_to_source", "complaints_to_checked_on"),
                ],
            },
        ),
        (
            _("Customer service"),
            {"fields": ["service_phone", "service_email", "service_web", "details_verified", "checked_on", "sources"]},
        ),
    ]
    actions = ["mark_checked"]

    @admin.action(description=_("Mark the selected providers' details as checked today"))
    def mark_checked(self, request, queryset):
        count = queryset.update(details_verified=True, checked_on=chinatime.today())
        self.message_user(
            request, ngettext("%d provider marked checked.", "%d providers marked checked.", count) % count
        )


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = [
        "name_zh",
        "rung",
        "channel",
        "amount",
        "unit",
        "maximum",
        "starts_on",
        "verification",
        "is_primary",
    ]
    list_filter = ["verification", "unit", "starts_on", "is_primary", "rung", "channel"]
    search_fields = ["name_zh", "name_en", "code", "legal_basis_zh", "legal_basis_en"]
    list_select_related = ["rung", "channel"]
    fieldsets = [
        (None, {"fields": ("code", "rung", "channel", "name_zh", "name_en", "is_primary")}),
        (_("The deadline"), {"fields": ("amount", "unit", "maximum", "starts_on", "escalation_unlocks")}),
        (_("Reminders"), {"fields": ("remind_days_before", "remind_on_due_date", "repeat_every_days")}),
        SOURCED_FIELDSET,
    ]


class StaleFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Not reviewed in %(days)s days") % {"days": STALE_AFTER_DAYS}),
            ("no", _("Reviewed recently")),
        ]

    def queryset(self, request, queryset):
        cutoff = chinatime.today() - datetime.timedelta(days=STALE_AFTER_DAYS)
        fresh = queryset.filter(current__reviewed_on__gte=cutoff)
        if self.value() == "yes":
            return queryset.exclude(pk__in=fresh.values("pk"))
        if self.value() == "no":
            return fresh
        return queryset


class PolicyTextForm(forms.ModelForm):
    body = forms.CharField(
        label=_("Text (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100}),
        help_text=_("Every save keeps the old text as a revision. Headings (##), lists, links and tables work; "
                    "HTML and script are removed."),
    )  # fmt: skip
    reviewed = forms.BooleanField(
        label=_("I have reviewed this text against its sources"),
        required=False,
        help_text=_("Stamps the saved revision with your name and today's date."),
    )

    class Meta:
        model = PolicyText
        fields = ["rung", "provider", "language", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.current:
            self.fields["body"].initial = self.instance.current.body


@admin.register(PolicyText)
class PolicyTextAdmin(admin.ModelAdmin):
    form = PolicyTextForm
    list_display = ["title", "rung", "provider", "language", "revision_number", "reviewed_on", "is_fresh"]
    list_filter = ["rung", "language", StaleFilter, "provider"]
    search_fields = ["title", "current__body"]
    list_select_related = ["rung", "provider", "current"]
    readonly_fields = ["preview", "history"]
    actions = ["mark_reviewed"]

    def get_fieldsets(self, request, obj=None):
        main = (None, {"fields": ("rung", "provider", "language", "title", "body", "reviewed")})
        if obj is None:
            return [main]
        return [main, (_("As merchants see it"), {"fields": ("preview",)}), (_("Revisions"), {"fields": ("history",)})]

    @admin.display(description=_("revision"), ordering="current__number")
    def revision_number(self, obj):
        return obj.current.number if obj.current else "—"

    @admin.display(description=_("reviewed on"), ordering="current__reviewed_on")
    def reviewed_on(self, obj):
        return obj.current.reviewed_on if obj.current else None

    @admin.display(description=_("reviewed in the last 180 days"), boolean=True)
    def is_fresh(self, obj):
        return not obj.is_stale()

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.current:
            return "—"
        # body_html was sanitised when the revision was saved (escalation.markup).
        return mark_safe(f'<div class="policy-preview">{obj.current.body_html}</div>')  # noqa: S308

    @admin.display(description=_("history"))
    def history(self, obj):
        rows = format_html_join(
            "",
            '<li><a href="{}">r{}</a> · {} · {} {}</li>',
            (
                (
                    reverse("admin:escalation_policyrevision_change", args=[revision.pk]),
                    revision.number,
                    timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M"),
                    revision.author or _("seed content"),
                    format_html(_("(reviewed by {} on {})"), revision.reviewed_by, revision.reviewed_on)
                    if revision.reviewed_on
                    else _("(not reviewed)"),
                )
                for revision in obj.revisions.select_related("author", "reviewed_by")
            ),
        )
        return format_html("<ul>{}</ul>", rows)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.revise(form.cleaned_data["body"], author=request.user, reviewed=form.cleaned_data["reviewed"])

    @admin.action(description=_("Mark the current text of the selected policies as reviewed"))
    def mark_reviewed(self, request, queryset):
        count = 0
        for policy in queryset.select_related("current"):
            if policy.current:
                policy.current.mark_reviewed(request.user)
                count += 1
        self.message_user(request, ngettext("%d text marked reviewed.", "%d texts marked reviewed.", count) % count)


@admin.register(PolicyRevision)
class PolicyRevisionAdmin(admin.ModelAdmin):
    """Old revisions stay readable; restoring one makes its text current again as a new revision."""

    list_display = ["policy", "number", "created_at", "author", "reviewed_by", "reviewed_on"]
    list_filter = ["policy__rung", "policy__language", "reviewed_on"]
    search_fields = ["policy__title", "body"]
    list_select_related = ["policy", "author", "reviewed_by"]
    readonly_fields = ["policy", "number", "body", "shown", "author", "created_at", "reviewed_by", "reviewed_on"]
    fields = readonly_fields
    actions = ["restore"]

    @admin.display(description=_("text as shown"))
    def shown(self, obj):
        return mark_safe(obj.body_html)  # noqa: S308 - sanitised on save

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("escalation.change_policytext"):
            actions.pop("restore", None)
        return actions

    @admin.action(description=_("Restore the selected revision (saved as a new revision)"))
    def restore(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one revision to restore."), level=messages.ERROR)
            return
        revision = queryset.select_related("policy").get()
        new = revision.policy.restore(revision, author=request.user)
        self.message_user(
            request,
            _("Revision %(old)s of “%(policy)s” is current again as revision %(new)s.")
            % {"old": revision.number, "policy": revision.policy, "new": new.number},
        )


class HolidayDateInline(admin.TabularInline):
    model = HolidayDate
    extra = 3


class HolidayScheduleForm(forms.Form):
    """A whole year's holidays and make-up working days, as the State Council notice lists them."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    source = forms.CharField(
        label=_("The notice"),
        max_length=300,
        help_text=_("The notice, e.g. 国务院办公厅关于2027年部分节假日安排的通知 (国办发明电〔2026〕X号)."),
    )
    holidays = forms.CharField(
        label=_("Holidays (days off)"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_("One holiday per line, copied from the notice, e.g. 国庆节：10月1日至7日放假调休，共7天。"),
    )
    workdays = forms.CharField(
        label=_("Make-up working days (调休上班)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        required=False,
        help_text=_("The weekend days worked, e.g. 9月20日（周日）、10月10日（周六）上班。"),
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            cleaned["schedule"] = parse_schedule(cleaned["year"], cleaned["holidays"], cleaned.get("workdays", ""))
        except ScheduleError as error:
            raise forms.ValidationError(error.problems, code="schedule") from None
        return cleaned


@admin.register(HolidayCalendar)
class HolidayCalendarAdmin(admin.ModelAdmin):
    list_display = ["year", "complete", "date_count", "source"]
    list_filter = ["complete"]
    search_fields = ["year", "source"]
    inlines = [HolidayDateInline]
    change_list_template = "admin/escalation/holidaycalendar/change_list.html"

    @admin.display(description=_("dates"))
    def date_count(self, obj):
        return obj.dates.count()

    def get_urls(self):
        from django.urls import path

        enter = self.admin_site.admin_view(self.enter_schedule)
        return [path("enter/", enter, name="escalation_holidaycalendar_enter"), *super().get_urls()]

    def enter_schedule(self, request):
        """Enter or replace a year's schedule in one form; saving recomputes the deadlines that depend on it."""
        from django.shortcuts import redirect
        from django.template.response import TemplateResponse

        if not self.has_add_permission(request) or not self.has_change_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        year = request.GET.get("year")
        initial = {"year": int(year) if year and year.isdigit() else chinatime.today().year + 1}
        existing = HolidayCalendar.objects.filter(year=initial["year"]).first()
        if existing is not None:
            dates = list(existing.dates.all())
            initial["source"] = existing.source
            initial["holidays"] = format_dates({d.date: d.name for d in dates if d.kind == HolidayDate.Kind.HOLIDAY})
            initial["workdays"] = format_dates({d.date: d.name for d in dates if d.kind == HolidayDate.Kind.WORKDAY})
        form = HolidayScheduleForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            schedule = form.cleaned_data["schedule"]
            HolidayCalendar.replace_schedule(schedule, form.cleaned_data["source"], actor=request.user)
            self.message_user(
                request,
                _(
                    "%(year)s: %(holidays)d holidays and %(workdays)d make-up working days saved; the deadlines "
                    "that depend on them were recomputed."
                )
                % {"year": schedule.year, "holidays": len(schedule.holidays), "workdays": len(schedule.workdays)},
                messages.SUCCESS,
            )
            return redirect("admin:escalation_holidaycalendar_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Enter a year's holidays"),
            "form": form,
        }
        return TemplateResponse(request, "admin/escalation/holidaycalendar/enter.html", context)


@admin.register(ProvinceWage)
class ProvinceWageAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "average_annual_wage", "verified", "source"]
    list_filter = ["province", "year", "verified"]
    search_fields = ["province", "source"]


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["code", "law_zh", "article_zh", "effective_from", "repealed_on", "verification"]
    list_filter = ["verification", "repealed_on"]
    search_fields = ["code", "law_zh", "law_en", "number", "text_zh", "text_en"]
    fieldsets = [
        (None, {"fields": ["code", ("law_zh", "short_zh"), ("law_en", "short_en"), "number"]}),
        (_("The article"), {"fields": [("article_zh", "article_en"), "text_zh", "text_en"]}),
        (_("In force"), {"fields": [("effective_from", "repealed_on")]}),
        (_("Sources"), {"fields": ["sources", "verification"]}),
    ]
