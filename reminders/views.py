"""Reminders as the merchant meets them: in-app notices, one-click snooze, unsubscribe, the calendar feed."""

import datetime

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from cases.access import get_case_for
from cases.models import Case, Step
from lib import chinatime
from lib.emails import SNOOZE_MAX_AGE, SNOOZE_SALT, UNSUBSCRIBE_SALT, absolute
from reminders.models import Notification, new_calendar_token


def profiles():
    """Merchants' profiles, which hold the reminder settings and the calendar key.

    accounts.Profile sits above reminders in the one-way order of imports, so it is reached by name.
    """
    return apps.get_model("accounts", "Profile").objects


@login_required
def notification_list(request):
    notices = list(Notification.objects.filter(user=request.user).select_related("case")[:100])
    return render(request, "reminders/notifications.html", {"notices": notices})


@login_required
@require_POST
def notifications_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=chinatime.now())
    return redirect("reminders:notifications")


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def snooze(request, token):
    """The email's snooze link: GET asks, POST pauses this deadline's reminders for seven days.

    Mail scanners open every link in a message, so opening the link changes
    nothing. The signed key in the link is the authority, not a session: a page
    elsewhere that knew it could post it as well, so there is no CSRF token to
    lose in a phone's mail app.
    """
    try:
        data = signing.loads(token, salt=SNOOZE_SALT, max_age=SNOOZE_MAX_AGE)
    except signing.BadSignature:
        raise Http404("Bad or expired link") from None
    step = get_object_or_404(Step.objects.select_related("case"), pk=data.get("step"))
    can_snooze = step.is_waiting and step.case.is_open and step.next_reminder_at is not None
    done = request.method == "POST"
    snoozed = step.snooze(actor=step.case.owner) if done and can_snooze else False
    context = {"step": step, "can_snooze": can_snooze, "done": done, "snoozed": snoozed}
    return private(render(request, "reminders/snoozed.html", context))


@login_required
@require_POST
def snooze_step(request, case, step):
    case = get_case_for(request.user, case, owner_only=True)
    step = get_object_or_404(case.steps, pk=step)
    if step.snooze(actor=request.user):
        messages.success(request, _("No reminder for this deadline for seven days."))
    return redirect("cases:case", case=case.pk)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """Stop reminder emails (the in-app notices stay). GET asks; POST does it.

    Mail apps unsubscribe in one click (RFC 8058): the message's List-Unsubscribe-Post
    header makes them POST ``List-Unsubscribe=One-Click`` here, without a CSRF token,
    so the signed key in the link is the only authority.
    """
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise Http404("Bad link") from None
    user = get_object_or_404(get_user_model(), pk=data.get("user"))
    if request.method == "POST":
        profiles().update_or_create(
            user=user,
            defaults={"email_reminders": False},
            create_defaults={"email_reminders": False, "full_name": user.get_full_name()},
        )
        return private(render(request, "reminders/unsubscribed.html", {"done": True}))
    return private(render(request, "reminders/unsubscribed.html", {"done": False}))


def private(response):
    """Pages opened from a secret link: no browser or proxy keeps them (nor the link in its cache)."""
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def calendar_reset(request):
    """Revoke the calendar feed address and issue a new one."""
    profiles().filter(user=request.user).update(calendar_token=new_calendar_token())
    messages.success(request, _("Your calendar address is new: the old one no longer works."))
    return redirect("accounts:profile")


def calendar_feed(request, token):
    """Every open deadline as an all-day event; the UID stays the same when a deadline moves."""
    profile = get_object_or_404(profiles().select_related("user"), calendar_token=token)
    steps = (
        Step.objects.filter(
            Step.live_condition(), case__owner=profile.user, case__status=Case.Status.OPEN, due_on__isnull=False
        )
        .select_related("case", "channel", "rung", "rule")
        .order_by("due_on")
    )
    cases = Case.objects.filter(owner=profile.user, status=Case.Status.OPEN, limitation_on__isnull=False)
    calendar = Calendar()
    calendar.add("prodid", "-//dispute-ladder//deadlines//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("POS dispute deadlines"))
    stamp = chinatime.now()
    for step in steps:
        place = step.channel.name if step.channel else step.rung.title
        summary = _("Answer due: %(place)s (%(provider)s)") % {"place": place, "provider": step.case.provider_name}
        note = (
            _("Provisional: the holiday schedule for that year is not published yet.") if step.due_provisional else ""
        )
        calendar.add_component(
            all_day_event(
                f"step-{step.pk}@dispute-ladder", step.due_on, summary, absolute(f"/cases/{step.case.pk}/"), note, stamp
            )
        )
    for case in cases:
        summary = _("Limitation period ends (%(provider)s)") % {"provider": case.provider_name}
        calendar.add_component(
            all_day_event(
                f"limitation-{case.pk}@dispute-ladder",
                case.limitation_on,
                summary,
                absolute(f"/cases/{case.pk}/"),
                "",
                stamp,
            )
        )
    return private(HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8"))


def all_day_event(uid, day, summary, url, note, stamp):
    event = CalendarEvent()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    description = url if not note else f"{note}\n{url}"
    event.add("description", description)
    # A moved deadline is a new revision of the same event.
    event.add("sequence", day.toordinal())
    return event
