"""The numbers behind the volunteers' dashboard, its CSV export and the advice on a merchant's case page."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min, Q, Sum

from cases.models import Case, Step
from escalation import cache as ladder
from escalation import rungs
from escalation.models import Rung

ADVICE_MIN_CLOSED = 5


@dataclass
class Dashboard:
    by_rung_status: list = field(default_factory=list)  # [(rung title, {status: count})]
    status_totals: dict = field(default_factory=dict)
    overdue: int = 0
    refunded_count: int = 0
    recovered_amount: Decimal = Decimal("0")
    median_by_provider: list = field(default_factory=list)  # [(provider, median days, cases)]
    median_by_rung: list = field(default_factory=list)  # [(rung title, median days, cases)]


def refund_durations():
    """(provider name, rung position, days from first contact to refund) for every refunded case."""
    first_contact = Min("steps__started_on", filter=Q(steps__rung__position__gte=rungs.CUSTOMER_SERVICE))
    rows = (
        Case.objects.filter(status=Case.Status.RESOLVED, recovered_on__isnull=False)
        .annotate(first_contact=first_contact, respondent_name=Case.respondent_name_subquery())
        .values_list("provider__name", "respondent_name", "recovered_rung__position", "recovered_on", "first_contact")
    )
    for provider, other, rung, recovered_on, first in rows:
        if first is None:
            continue
        yield provider or other or "—", rung, max((recovered_on - first).days, 0)


def medians(pairs):
    """[(key, median, count)] sorted by key from (key, value) pairs."""
    grouped = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return [(key, statistics.median(values), len(values)) for key, values in sorted(grouped.items())]


def dashboard(today):
    rungs = {rung.position: rung.title for rung in Rung.objects.all()}
    counts = defaultdict(dict)
    totals = Counter()
    for position, status, number in Case.objects.values_list("rung__position", "status").annotate(n=Count("id")):
        counts[position][status] = number
        totals[status] += number
    result = Dashboard(
        by_rung_status=[(rungs[position], counts.get(position, {})) for position in sorted(rungs)],
        status_totals=dict(totals),
    )
    result.overdue = Step.objects.filter(Step.live_condition(), due_on__lt=today, case__status=Case.Status.OPEN).count()
    refunded = Case.objects.filter(status=Case.Status.RESOLVED).aggregate(n=Count("id"), amount=Sum("recovered_amount"))
    result.refunded_count = refunded["n"]
    result.recovered_amount = refunded["amount"] or Decimal("0")
    durations = list(refund_durations())
    result.median_by_provider = medians((provider, days) for provider, _rung, days in durations)
    result.median_by_rung = [
        (rungs.get(position, "—"), median, count)
        for position, median, count in medians((rung, days) for _provider, rung, days in durations if rung)
    ]
    return result


def csv_rows(data):
    """The dashboard's numbers as CSV rows: section, key, detail, value."""
    yield ["section", "key", "detail", "value"]
    for title, statuses in data.by_rung_status:
        for status in Case.Status.values:
            yield ["cases_by_rung_and_status", title, status, statuses.get(status, 0)]
    yield ["overdue_deadlines", "", "", data.overdue]
    yield ["refunded_cases", "", "", data.refunded_count]
    yield ["amount_recovered_yuan", "", "", f"{data.recovered_amount:.2f}"]
    for provider, median, count in data.median_by_provider:
        yield ["median_days_to_refund_by_provider", provider, f"cases={count}", median]
    for rung, median, count in data.median_by_rung:
        yield ["median_days_to_refund_by_rung", rung, f"cases={count}", median]


@dataclass(frozen=True)
class Advice:
    rung: str
    median_days: float
    refunds: int
    closed: int


def provider_advice(case):
    """'With this provider, refunds came most often at rung N, after a median of D days', once 5 cases closed.

    The figures are the same for every case of a provider and cost a scan of its
    closed cases: they are cached for ``STATS_CACHE_SECONDS``.
    """
    if case.provider_id is None:
        return None
    key = f"advice:{case.provider_id}"
    figures = cache.get(key) if settings.STATS_CACHE_SECONDS else None
    if figures is None:
        figures = advice_figures(case.provider_id)
        if settings.STATS_CACHE_SECONDS:
            cache.set(key, figures, settings.STATS_CACHE_SECONDS)
    if not figures:
        return None
    position, median_days, refunds, closed = figures
    return Advice(rung=ladder.rung(position).title, median_days=median_days, refunds=refunds, closed=closed)


def advice_figures(provider_id):
    """(rung position, median days, refunds, closed cases) for a provider, or () when there is too little."""
    closed = Case.objects.filter(provider_id=provider_id).exclude(status=Case.Status.OPEN).count()
    if closed < ADVICE_MIN_CLOSED:
        return ()
    first_contact = Min("steps__started_on", filter=Q(steps__rung__position__gte=rungs.CUSTOMER_SERVICE))
    refunds = list(
        Case.objects.filter(provider_id=provider_id, status=Case.Status.RESOLVED, recovered_on__isnull=False)
        .annotate(first_contact=first_contact)
        .values_list("recovered_rung__position", "recovered_on", "first_contact")
    )
    if not refunds:
        return ()
    rung_position = Counter(position for position, _on, _first in refunds if position).most_common(1)
    days = [max((on - first).days, 0) for _position, on, first in refunds if first]
    if not rung_position or not days:
        return ()
    return (rung_position[0][0], statistics.median(days), len(refunds), closed)
