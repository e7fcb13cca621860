"""The volunteers' side: the review queue, a case as a volunteer sees it, letter sign-off, the dashboard."""

import csv
import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import get_case_for, is_volunteer, queue_cases
from cases.models import Case, Event, Step, china_today
from documents.models import LetterReview
from lib import chinatime
from review import stats
from review.forms import CommentForm, QueueFilter, ReviewDecisionForm
from review.models import Comment

ACCESS_EVENT_EVERY = datetime.timedelta(minutes=30)


def volunteer_required(view):
    """Signed-in volunteers and admins only; everyone else gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_volunteer(request.user):
            raise Http404("Not found")
        return view(request, *args, **kwargs)

    return wrapper


@volunteer_required
def queue(request):
    today = china_today()
    form = QueueFilter(request.GET or None)
    # Per-case subqueries, not a GROUP BY: the database walks the queued_at index and
    # stops after the first page, however long the queue is. A case is overdue when its
    # next due date has passed (derived from it, not a second subquery that PostgreSQL
    # would answer by hashing every overdue step in the database).
    # Only live steps count (Step.is_live): waiting, not superseded, at the rung the case is on.
    waiting = Step.objects.filter(
        case=OuterRef("pk"), rung=OuterRef("rung"), outcome__in=Step.WAITING, superseded=False, due_on__isnull=False
    )
    cases = (
        queue_cases(request.user)
        .select_related("rung", "provider", "assigned_to", "owner__profile")
        .annotate(next_due_on=Subquery(waiting.order_by("due_on").values("due_on")[:1]))
        .annotate(respondent_name=Case.respondent_name_subquery())
        .annotate(overdue=ExpressionWrapper(Q(next_due_on__lt=today), output_field=BooleanField()))
        .order_by("queued_at")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["rung"]:
            cases = cases.filter(rung=data["rung"])
        if data["provider"]:
            cases = cases.filter(provider=data["provider"])
        if data["overdue"]:
            cases = cases.filter(overdue=True)
        if data["unassigned"]:
            cases = cases.filter(assigned_to__isnull=True)
        if data["mine"]:
            cases = cases.filter(assigned_to=request.user)
    # Counted from the assigned cases (few, found by the assigned_to index), not by
    # walking every queued case.
    assigned = Case.objects.filter(assigned_to__isnull=False, status=Case.Status.OPEN, queued_at__isnull=False)
    workload = (
        get_user_model()
        .objects.filter(pk__in=assigned.values("assigned_to"))
        .annotate(
            open_cases=Subquery(
                assigned.filter(assigned_to=OuterRef("pk"))
                .values("assigned_to")
                .annotate(count=Count("pk"))
                .values("count")
            )
        )
        .order_by("-open_cases", "username")
    )
    page = queue_page(request)
    shown = list(cases[(page - 1) * QUEUE_PAGE : page * QUEUE_PAGE + 1])  # one more tells whether a next page exists
    links = request.GET.copy()
    links.pop("page", None)
    context = {
        "cases": shown[:QUEUE_PAGE],
        "filter": form,
        "workload": workload,
        "today": today,
        "page": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if len(shown) > QUEUE_PAGE else None,
        "filter_query": links.urlencode(),
    }
    return render(request, "review/queue.html", context)


QUEUE_PAGE = 50


def queue_page(request):
    """The page number asked for; anything but a positive number means the first page."""
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


@volunteer_required
def case_detail(request, case):
    """A case as a volunteer sees it (personal data masked); opening it is noted on the timeline."""
    case = get_case_for(request.user, case)
    recent = case.events.filter(
        kind=Event.Kind.OPENED_BY_VOLUNTEER, actor=request.user, created_at__gte=chinatime.now() - ACCESS_EVENT_EVERY
    )
    if case.owner_id != request.user.pk and not recent.exists():
        case.record(Event.Kind.OPENED_BY_VOLUNTEER, request.user)
    context = {
        "case": case,
        "steps": case.steps.select_related("rung", "channel").order_by("started_on", "created_at"),
        "documents": case.documents.select_related("channel", "review__reviewer").order_by("kind", "-version"),
        "evidence": case.evidence.all(),
        "reviews": case.letter_reviews.select_related("channel", "reviewer", "requested_by"),
        "comments": case.comments.select_related("author"),
        "events": case.events.select_related("actor").order_by("-created_at", "-id")[:30],
        "comment_form": CommentForm(initial={"visibility": Comment.Visibility.INTERNAL}),
        "decision_form": ReviewDecisionForm(),
        "profile": getattr(case.owner, "profile", None),
        "today": china_today(),
    }
    return render(request, "review/case.html", context)


@volunteer_required
@require_POST
def take(request, case):
    case = get_case_for(request.user, case)
    if case.take(request.user):
        messages.success(request, _("The case is yours now."))
    else:
        messages.error(request, _("Someone else took this case first."))
    return redirect("review:case", case=case.pk)


@volunteer_required
@require_POST
def release(request, case):
    case = get_case_for(request.user, case)
    if case.assigned_to_id not in (None, request.user.pk) and not request.user.is_superuser:
        raise Http404("Not yours")
    case.release(request.user)
    messages.success(request, _("The case left the queue. Thank you."))
    return redirect("review:queue")


@volunteer_required
@require_POST
def comment(request, case):
    case = get_case_for(request.user, case)
    form = CommentForm(request.POST)
    if form.is_valid():
        Comment.post(case, request.user, form.cleaned_data["body"], form.cleaned_data["visibility"])
        messages.success(request, _("Comment saved."))
    else:
        messages.error(request, _("A comment needs some text and who may see it."))
    return redirect("review:case", case=case.pk)


@volunteer_required
def review_letter(request, case, review):
    """The letter as the merchant submitted it, their personal details masked unless they agreed to show them."""
    case = get_case_for(request.user, case)
    review = get_object_or_404(case.letter_reviews, pk=review)
    return HttpResponse(review.volunteer_html(), content_type="text/html; charset=utf-8")


@volunteer_required
@require_POST
def decide(request, case, review):
    case = get_case_for(request.user, case)
    review = get_object_or_404(case.letter_reviews, pk=review, status=LetterReview.Status.PENDING)
    form = ReviewDecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    approve = request.POST.get("decision") == "approve"
    if not approve and not note.strip():
        messages.error(request, _("Say what should change, so the merchant can fix it."))
        return redirect("review:case", case=case.pk)
    review.decide(request.user, approve=approve, note=note)
    messages.success(request, _("Approved: the merchant can issue it now.") if approve else _("Changes requested."))
    return redirect("review:case", case=case.pk)


@volunteer_required
def dashboard(request):
    data = stats.dashboard(china_today())
    return render(request, "review/dashboard.html", {"data": data, "statuses": Case.Status.choices})


@volunteer_required
def dashboard_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dispute-ladder-dashboard.csv"'
    response.write("\ufeff")  # a byte-order mark: Excel in Chinese then reads UTF-8, not GBK
    writer = csv.writer(response)
    for row in stats.csv_rows(stats.dashboard(china_today())):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


# What makes a spreadsheet read a cell as a formula (a tab or CR can hide one), and a Chinese
# keyboard's full-width signs, in case a spreadsheet reads them as the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_safe(cell):
    """Text that a spreadsheet would run as a formula, as plain text: a leading single quote.

    The CSV carries names merchants typed (a respondent's name); a volunteer who
    opens it must not run "=HYPERLINK(...)" or a DDE command. Numbers stay numbers.
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell
