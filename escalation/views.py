from django.db.models import Prefetch
from django.shortcuts import render

from escalation.models import Channel, DeadlineRule, PolicyText, Rung


def ladder(request):
    """The public ladder: each rung's policy text, channels and deadlines, with their sources."""
    rules = DeadlineRule.objects.order_by("-is_primary", "code")
    rungs = Rung.objects.prefetch_related(
        Prefetch(
            "channels",
            queryset=Channel.objects.filter(is_active=True).prefetch_related(
                Prefetch("deadline_rules", queryset=rules)
            ),
        ),
        Prefetch("deadline_rules", queryset=rules.filter(channel__isnull=True)),
    )
    texts = PolicyText.general_by_rung()
    sections = [(rung, texts.get(rung.pk)) for rung in rungs]
    return render(request, "escalation/ladder.html", {"sections": sections})
