"""Group complaints: start one from a case, join one, consent, choose representatives, issue the joint filing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import get_case_for, is_volunteer, queue_cases
from cases.models import Case, china_today
from groups import filing as joint
from groups.access import get_group_for, is_member, sees_as_helper
from groups.forms import AppointForm, JoinForm, StartForm
from groups.models import ComplaintGroup, GroupEvent, JointFiling, Membership
from lib.personal import mask_name

LANGUAGES = {"zh-hans", "en"}


def chosen_language(request):
    language = request.POST.get("language") or request.GET.get("language") or "zh-hans"
    return language if language in LANGUAGES else "zh-hans"


def groups_for_case(case):
    """The groups a case page offers (one query): those the case is in, and those against its provider.

    Each has ``is_mine`` (this case is an active member).
    """
    mine = Membership.objects.filter(group=OuterRef("pk"), case=case, left_at__isnull=True)
    alive = Membership.objects.filter(group=OuterRef("pk"), left_at__isnull=True)
    same = Q(provider=case.provider) if case.provider_id else Q(provider__isnull=True, provider_name=case.provider_name)
    return list(
        ComplaintGroup.objects.annotate(is_mine=Exists(mine), alive=Exists(alive))
        .filter(Q(is_mine=True) | (same & Q(alive=True)))
        .order_by("-is_mine", "-created_at")[:10]
    )


def joinable_cases(user, group):
    """The user's own open cases a group may take: against its provider, not in it already."""
    cases = (
        Case.objects.filter(owner=user, status=Case.Status.OPEN)
        .select_related("provider")
        .annotate(respondent_name=Case.respondent_name_subquery())
        .exclude(group_memberships__group=group, group_memberships__left_at__isnull=True)
    )
    return [case for case in cases if group.matches(case)]


def name_for(member, viewer_member, helper):
    """A member as the viewer may see them: their name only with their consent; a volunteer sees it masked."""
    values = {"number": member.number, "name": member.name}
    if viewer_member is not None and member.case.owner_id == viewer_member.case.owner_id:
        return _("You (member %(number)s)") % values
    if helper:
        return _("%(name)s (member %(number)s)") % {**values, "name": mask_name(member.name)}
    if member.shows_name:
        return _("%(name)s (member %(number)s)") % values
    return _("Member %(number)s") % values


def describe(event, labels):
    """One line of the group's timeline, naming members as the viewer may see them."""
    who = labels.get(event.member_id) or (
        _("Member %(number)s") % {"number": event.member_number} if event.member_number else ""
    )
    text = event.get_kind_display()
    data = event.data or {}
    if event.kind == GroupEvent.Kind.CHOSE or event.kind == GroupEvent.Kind.UNCHOSE:
        text += " · " + _("member %(number)s") % {"number": data.get("candidate")}
    if event.kind == GroupEvent.Kind.REPRESENTATIVE_CHOSEN and data.get("chosen_by"):
        text += " · " + str(Membership.ChosenBy(data["chosen_by"]).label)
    if event.kind == GroupEvent.Kind.FILING_ISSUED:
        recipient = data.get("recipient")
        label = JointFiling.Recipient(recipient).label if recipient in JointFiling.Recipient.values else ""
        text += " · " + _("%(recipient)s, version %(version)s") % {"recipient": label, "version": data.get("version")}
    return f"{who}: {text}" if who else text


def member_of(request, group, member_pk):
    """The signed-in user's own active membership ``member_pk`` of ``group``; 404 otherwise."""
    member = (
        Membership.objects.select_related("group", "case", "case__owner")
        .filter(pk=member_pk, group=group, case__owner=request.user, left_at__isnull=True)
        .first()
    )
    if member is None:
        raise Http404("No such member")
    return member


def back_to_group(group):
    return redirect("groups:group", group=group.pk)


# ----- starting and joining ---------------------------------------------------------------------------------


@login_required
def case_groups(request, case):
    """Complain together, from one case: the groups it is in, those against its provider, and starting one."""
    case = get_case_for(request.user, case, owner_only=True)
    return render(request, "groups/case_groups.html", {"case": case, "complaint_groups": groups_for_case(case)})


@login_required
def start(request, case):
    """Start a group from one of the merchant's open cases."""
    case = get_case_for(request.user, case, owner_only=True)
    form = StartForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        practice, text = form.chosen()
        try:
            group = ComplaintGroup.start(case, practice, text, request.user)
        except ValidationError as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(request, _("Your group is started. Share its invitation link with the others."))
            return back_to_group(group)
    return render(request, "groups/start.html", {"case": case, "form": form})


@login_required
@require_POST
def join_from_case(request, case, group):
    """Join a group the case page offers (same provider) with this case."""
    case = get_case_for(request.user, case, owner_only=True)
    group = get_object_or_404(ComplaintGroup, pk=group)
    if not group.matches(case) or not group.active_members.exists():
        raise Http404("No such group")
    try:
        group.join(case, request.user, confirmed=request.POST.get("confirm") == "on")
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
        return redirect("groups:case_groups", case=case.pk)
    messages.success(request, _("You joined the group. Now say what you agree to."))
    return back_to_group(group)


@login_required
def invite(request, token):
    """The invitation link a member shares: the group, and the user's cases that may join it."""
    group = ComplaintGroup.objects.filter(invite_token=token).select_related("provider").first()
    if group is None or not group.active_members.exists():
        raise Http404("No such group")
    if is_member(request.user, group):
        return back_to_group(group)
    cases = joinable_cases(request.user, group)
    form = JoinForm(request.POST or None, cases=cases) if cases else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            group.join(form.chosen_case(), request.user, confirmed=form.cleaned_data["confirm"])
        except ValidationError as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(request, _("You joined the group. Now say what you agree to."))
            return back_to_group(group)
    return render(
        request,
        "groups/invite.html",
        {"group": group, "form": form, "members": len(group.active_list())},
    )


# ----- the group page -----------------------------------------------------------------------------------


@login_required
def group_page(request, group):
    group = get_group_for(request.user, group)
    members = group.active_list()
    mine = group.membership_of(request.user)
    helper = sees_as_helper(request.user, group)
    labels = {member.pk: name_for(member, mine, helper) for member in members}
    chosen = set()
    if mine is not None:
        chosen = set(mine.choices.values_list("candidate", flat=True))
    support = {}
    for member in members:
        support[member.pk] = member.chosen_by_members.filter(voter__left_at__isnull=True).count()
    events = group.events.order_by("-created_at", "-id")[:50]
    filings = list(group.filings.select_related("issued_by_member", "issued_by_member__case"))
    context = {
        "group": group,
        "members": [
            {
                "member": member,
                "label": labels[member.pk],
                "support": support[member.pk],
                "chosen": member.pk in chosen,
            }
            for member in members
        ],
        "mine": mine,
        "helper": helper,
        "majority": group.majority,
        "timeline": [(event.created_at, describe(event, labels)) for event in events],
        "filings": [
            {"filing": item, "filed_copy": item.is_issuer(request.user) if mine else False} for item in filings
        ],
        "recipients": JointFiling.Recipient.choices,
        "invite_url": request.build_absolute_uri(reverse("groups:invite", args=[group.invite_token])),
        "appoint_form": AppointForm(group=group, labels=labels) if helper else None,
        "send_notes": {
            recipient: joint.send_notes(joint.family_for(recipient, group.filing_members), china_today())
            for recipient in JointFiling.Recipient.values
        }
        if mine is not None and mine.is_representative
        else {},
    }
    return render(request, "groups/group.html", context)


@login_required
@require_POST
def consent(request, group, member):
    group = get_group_for(request.user, group)
    member = member_of(request, group, member)
    agree = request.POST.get("agree") == "1"
    which = request.POST.get("consent")
    try:
        if which == "filing":
            member.set_filing_consent(agree, request.user)
        elif which == "name":
            member.set_name_consent(agree, request.user)
        else:
            raise Http404("No such consent")
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(request, _("Saved."))
    return back_to_group(group)


@login_required
@require_POST
def stand(request, group, member):
    group = get_group_for(request.user, group)
    member = member_of(request, group, member)
    try:
        member.stand(request.POST.get("willing") == "1", request.user)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    return back_to_group(group)


@login_required
@require_POST
def choose(request, group, member):
    group = get_group_for(request.user, group)
    member = member_of(request, group, member)
    candidate = Membership.objects.filter(
        pk=request.POST.get("candidate") or None, group=group, left_at__isnull=True
    ).first()
    if candidate is None:
        messages.error(request, _("Choose a member of this group."))
        return back_to_group(group)
    try:
        member.choose(candidate, request.POST.get("chosen") == "1", request.user)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    return back_to_group(group)


@login_required
@require_POST
def leave(request, group, member):
    group = get_group_for(request.user, group)
    member = member_of(request, group, member)
    member.leave(request.user)
    messages.success(request, _("You left the group. Your own case is unchanged."))
    return redirect("cases:case", case=member.case_id)


@login_required
@require_POST
def ask_for_help(request, group):
    group = get_group_for(request.user, group)
    if not is_member(request.user, group):
        raise Http404("No such group")
    group.ask_for_help(request.user)
    messages.success(request, _("A volunteer will help you choose your representatives."))
    return back_to_group(group)


@login_required
@require_POST
def appoint(request, group):
    """A volunteer appoints or replaces the representatives."""
    group = get_group_for(request.user, group)
    if not sees_as_helper(request.user, group):
        raise Http404("No such group")
    labels = {member.pk: name_for(member, None, True) for member in group.active_list()}
    form = AppointForm(request.POST, group=group, labels=labels)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back_to_group(group)
    try:
        group.appoint(form.cleaned_data["members"], request.user)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(request, _("The representatives are saved."))
    return back_to_group(group)


@login_required
def help_list(request):
    """For volunteers: the groups that asked for help, and those with a case in their part of the queue."""
    if not is_volunteer(request.user):
        raise Http404("Not a volunteer")
    queued = Membership.objects.filter(group=OuterRef("pk"), left_at__isnull=True, case__in=queue_cases(request.user))
    groups = (
        ComplaintGroup.objects.annotate(queued=Exists(queued))
        .filter(Q(help_requested_at__isnull=False) | Q(queued=True))
        .order_by("-help_requested_at", "-created_at")[:100]
    )
    return render(request, "groups/help_list.html", {"groups": groups})


# ----- the joint filing -------------------------------------------------------------------------------------


def representative_or_404(request, group):
    member = group.membership_of(request.user)
    if member is None or not member.is_representative:
        raise Http404("Not a representative")
    return member


def recipient_or_404(recipient):
    if recipient not in JointFiling.Recipient.values:
        raise Http404("No such recipient")
    return recipient


@login_required
def filing_preview(request, group, recipient):
    """The joint filing as HTML (the copy a representative files), from the same template as the PDF."""
    group = get_group_for(request.user, group)
    member = representative_or_404(request, group)
    recipient = recipient_or_404(recipient)
    language = chosen_language(request)
    extra = {
        "back_url": reverse("groups:group", args=[group.pk]),
        "issue_url": reverse("groups:filing_issue", args=[group.pk, recipient]),
    }
    html = joint.preview(group, recipient, language, member, shared=False, request=request, extra=extra)
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@login_required
@require_POST
def filing_issue(request, group, recipient):
    group = get_group_for(request.user, group)
    member = representative_or_404(request, group)
    recipient = recipient_or_404(recipient)
    filing = joint.issue(group, recipient, chosen_language(request), member, request.user)
    if filing.created:
        messages.success(
            request,
            _("Joint filing issued as version %(version)s. Download it, print it, and have every member sign it.")
            % {"version": filing.version},
        )
    else:
        messages.info(
            request, _("Unchanged since version %(version)s: download it below.") % {"version": filing.version}
        )
    return back_to_group(group)


@login_required
def filing_download(request, group, filing):
    """An issued joint filing: the filed copy to the representative who issued it, the members' copy otherwise."""
    group = get_group_for(request.user, group)
    filing = get_object_or_404(group.filings.select_related("issued_by_member__case"), pk=filing)
    filed_copy = filing.is_issuer(request.user)
    digest = filing.sha256 if filed_copy else filing.shared_sha256
    etag = f'"{digest}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        field = filing.pdf if filed_copy else filing.shared_pdf
        try:
            handle = field.open("rb")
        except FileNotFoundError:
            raise Http404("File missing") from None
        response = FileResponse(handle, content_type="application/pdf", filename=filing.filename(shared=not filed_copy))
        response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["ETag"] = etag
    return response
