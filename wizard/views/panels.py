"""What a rung's page offers: its letters (preview, review, issue) and the recommended places to turn."""

from django.urls import reverse
from django.utils import translation

from cases.models import china_today
from documents import letters
from documents.letters import bilingual
from documents.letters.facts import build as build_facts
from escalation import cache as ladder
from escalation import rungs
from escalation.models import LegalBasis
from wizard.views.facts import section_of


def fix_url(case, code):
    """Where the merchant fills in a fact a letter lacks (a checklist code), or "" when nothing to fill in."""
    section = section_of(code)
    if section:
        return f"{reverse('wizard:facts', args=[case.pk])}?open={section}#{section}"
    if code == "prior_complaint":
        return reverse("wizard:ladder_step", args=[case.pk, "customer_service"])
    if code == "evidence":
        return "#evidence"
    return ""


def letter_panel(case, position, evidence=None):
    """The letters of one rung, with their preview and issue addresses and the versions issued so far.

    ``evidence``: the case's evidence when the caller has read it already. The frozen HTML of
    reviews and issued versions is not read: the panel shows their state, never their text.
    """
    reviews = {}
    for review in case.letter_reviews.select_related("reviewer").defer("html").order_by("requested_at"):
        reviews[(review.kind, review.channel_id)] = review  # the latest wins
    issued = {}
    documents = case.documents.select_related("review__reviewer").defer("html", "review__html")
    for document in documents.order_by("-version"):
        issued.setdefault((document.kind, document.channel_id), []).append(document)
    panel = []
    language = translation.get_language() or "zh-hans"
    today = china_today()
    law = LegalBasis.in_force_on(today)
    evidence = list(case.evidence.all()) if evidence is None else evidence
    default_language = bilingual.default_language(case)  # Chinese with English for a merchant who reads English
    for letter in letters.available_letters(case):
        if letter.rung != position:
            continue
        facts = build_facts(case, letter, language, today, law=law, evidence=evidence)
        args = [case.pk, letter.kind] + ([letter.channel_code] if letter.channel else [])
        review = reviews.get((letter.kind, letter.channel.pk if letter.channel else None))
        blocked = letters.issue_blocker(case, letter, review) if review else None
        panel.append(
            {
                "letter": letter,
                "preview_url": reverse("documents:letter_preview", args=args),
                "issue_url": reverse("documents:letter_issue", args=args),
                "review_url": reverse("documents:letter_review", args=args),
                "review": review,
                "blocked": blocked,
                "changed_since_review": blocked == letters.Blocker.CHANGED,
                "issued": issued.get((letter.kind, letter.channel.pk if letter.channel else None), []),
                "checklist": [{"text": item.text, "url": fix_url(case, item.code)} for item in facts.checklist],
                "send": facts.send,
                "title": facts.title,
                "language": default_language,
                "languages": bilingual.CHOICES,
            }
        )
    return panel


# The recommendations of rungs 4 and 5, by their name in the template context.
RECOMMENDATIONS_AT = {"third_party_recommendations": rungs.THIRD_PARTY, "litigation_recommendations": rungs.LITIGATION}


def first_choice(recommendations):
    """The channel to go to first: the first one ready and likely to take the case, else the first likely one."""
    eligible = [r for r in recommendations or () if r.eligible]
    return next((r for r in eligible if r.ready), eligible[0] if eligible else None)


def first_choice_first(recommendations):
    """The recommendations in their order, but the one to go to first leads (shown open; the rest fold)."""
    choice = first_choice(recommendations)
    return sorted(recommendations, key=lambda r: r is not choice)


def open_first(panel, recommendations, case):
    """Put the letter for the channel to go to first at the top, unfolded; the others stay folded below it.

    A phone shows one letter to act on, not five (issue 17); a rung with one letter shows it open.
    Once it has been sent (a step recorded for it), it folds too: the record below is what matters then.
    """
    choice = first_choice(recommendations)
    if choice is not None:
        panel.sort(key=lambda item: item["letter"].channel != choice.channel)  # stable: the rest keep their order
    steps = case.step_list
    for index, item in enumerate(panel):
        letter = item["letter"]
        rung_id = ladder.rung(letter.rung).pk
        channel_id = letter.channel.pk if letter.channel else None
        sent = any(step.rung_id == rung_id and channel_id in {None, step.channel_id} for step in steps)
        item["open"] = index == 0 and not sent
    return panel
