from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from cases.deadlines import HOLIDAYS_REASON, LIMITATION_RULE_REASON
from cases.models import Case, Event, Step
from documents.models import LetterReview
from escalation import cache as ladder
from escalation.models import localized_suffix
from reminders.models import Notification, Reminder

register = template.Library()


@register.filter
def yuan(value):
    """1200 -> '¥1,200.00'."""
    if value in (None, ""):
        return ""
    return f"¥{Decimal(value):,.2f}"


def rung_title(position):
    rung = ladder.content().rungs.get(position)
    return rung.title if rung else str(position)


@register.simple_tag
def describe_event(event):
    """A one-line, translated description of a timeline event."""
    data = event.data or {}
    kind = event.kind
    if kind == Event.Kind.RUNG_ENTERED:
        return _("Moved up to rung %(rung)s") % {"rung": rung_title(data.get("rung"))}
    if kind == Event.Kind.RUNG_ENTERED_EARLY:
        return _("Moved up early to rung %(rung)s. Reason: %(reason)s") % {
            "rung": rung_title(data.get("rung")),
            "reason": data.get("reason", ""),
        }
    if kind == Event.Kind.STEP_LOGGED:
        channel = data.get("channel_en") if localized_suffix() == "en" else data.get("channel")
        text = _("%(rung)s: recorded (%(outcome)s)") % {
            "rung": channel or rung_title(data.get("rung")),
            "outcome": Step.Outcome(data.get("outcome", "pending")).label,
        }
        if data.get("due_on"):
            text += " · " + _("answer due by %(date)s") % {"date": data["due_on"]}
        if data.get("restarts_limitation"):
            text += " · " + _("the written demand restarts the limitation period")
        return text
    if kind == Event.Kind.ANSWER_RECORDED:
        text = _("Answer recorded: %(outcome)s") % {"outcome": Step.Outcome(data.get("outcome", "pending")).label}
        if data.get("promised_on"):
            text += " · " + _("refund promised by %(date)s") % {"date": data["promised_on"]}
        return text
    if kind == Event.Kind.DELIVERY_RECORDED:
        text = _("Delivery recorded: they received it on %(date)s") % {"date": data.get("on", "")}
        if data.get("due_on") and data.get("due_on") != data.get("due_before"):
            text += " · " + _("answer now due by %(date)s") % {"date": data["due_on"]}
        return text
    if kind == Event.Kind.DEADLINE_RECOMPUTED:
        return _("Deadline recomputed (%(reason)s): %(before)s → %(after)s") % {
            "reason": recompute_reason_label(data.get("reason")),
            "before": data.get("due_before") or "—",
            "after": data.get("due_on") or "—",
        }
    if kind == Event.Kind.POLICY_READ:
        if data.get("revision"):
            return _("Read the policy (revision %(revision)s) and checked the agreement") % {
                "revision": data["revision"]
            }
        return _("Checked the agreement")
    if kind in {Event.Kind.EVIDENCE_ADDED, Event.Kind.EVIDENCE_REMOVED, Event.Kind.EVIDENCE_DESCRIBED}:
        label = _("Exhibit %(number)s") % {"number": data.get("exhibit")}
        return f"{event.get_kind_display()}: {label} {data.get('title', '')}"
    if kind == Event.Kind.FACTS_OFFERED:
        return _("%(exhibit)s: %(count)s facts found in its text, waiting for you to confirm them") % {
            "exhibit": _("Exhibit %(number)s") % {"number": data.get("exhibit")},
            "count": data.get("facts", 0),
        }
    if kind in {Event.Kind.FACT_CONFIRMED, Event.Kind.FACT_DISMISSED}:
        where = _("Exhibit %(number)s") % {"number": data.get("exhibit")}
        if data.get("line"):
            where += " · " + _("line %(line)s") % {"line": data["line"]}
        value = f" {data['value']}" if data.get("value") else ""
        return f"{event.get_kind_display()}:{value} ({where})"
    if kind in {Event.Kind.EVIDENCE_READ, Event.Kind.EVIDENCE_NOT_READ}:
        return f"{event.get_kind_display()}: " + _("Exhibit %(number)s") % {"number": data.get("exhibit")}
    if kind == Event.Kind.RESOLVED:
        return _("Money recovered: %(amount)s") % {"amount": yuan(data.get("amount"))}
    if kind == Event.Kind.DOCUMENT_ISSUED:
        from documents.models import Document

        kinds = dict(Document.Kind.choices)
        text = _("Issued: %(document)s, version %(version)s") % {
            "document": kinds.get(data.get("document_kind"), ""),
            "version": data.get("version"),
        }
        if data.get("certificate_sha256"):
            text += " · " + _("signed by %(name)s with the certificate %(subject)s (SHA-256 %(fingerprint)s)") % {
                "name": data.get("signed_by", ""),
                "subject": data.get("certificate", ""),
                "fingerprint": data["certificate_sha256"],
            }
        return text
    if kind == Event.Kind.REMINDER_SENT:
        return _("Reminder sent: %(kind)s (deadline %(date)s)") % {
            "kind": reminder_label(data.get("reminder_kind")),
            "date": data.get("due_on", ""),
        }
    if kind == Event.Kind.SNOOZED:
        return _("Reminders paused until %(date)s") % {"date": data.get("until", "")}
    if kind == Event.Kind.QUEUED:
        return _("A volunteer will look at this case (%(reason)s)") % {"reason": queue_reason_label(data.get("reason"))}
    if kind == Event.Kind.WITHDRAWN:
        return _("Case withdrawn: %(reason)s") % {"reason": data.get("reason", "")}
    if kind == Event.Kind.REVIEW_REQUESTED and data.get("shares_personal_data"):
        return _("Letter submitted for review, with the ID number, mobile and address shown to volunteers")
    if kind in GROUP_EVENTS:
        return group_event(kind, data)
    return event.get_kind_display()


GROUP_EVENTS = {
    Event.Kind.GROUP_JOINED,
    Event.Kind.GROUP_LEFT,
    Event.Kind.GROUP_CONSENT,
    Event.Kind.GROUP_REPRESENTATIVE,
}


def group_event(kind, data):
    """A group complaint's change, as the member's own case timeline tells it."""
    values = {"number": data.get("member", "")}
    if kind == Event.Kind.GROUP_JOINED:
        if data.get("started"):
            return _("Started a group complaint (member %(number)s)") % values
        return _("Joined a group complaint (member %(number)s)") % values
    if kind == Event.Kind.GROUP_LEFT:
        return _("Left the group complaint; this case is unchanged")
    if kind == Event.Kind.GROUP_CONSENT:
        if data.get("consent") == "filing":
            if data.get("given"):
                return _("Agreed to be in the group's joint filing")
            return _("Withdrew from the group's joint filing")
        if data.get("given"):
            return _("Agreed to show your name to the group's members")
        return _("No longer shows your name to the group's members")
    if data.get("representative"):
        return _("Became a representative of the group complaint")
    return _("No longer a representative of the group complaint")


@register.filter
def money(value):
    """1200 -> '1,200.00' (figures as letters write them)."""
    from lib.written import figures

    return figures(value) if value not in (None, "") else ""


@register.filter
def letter_date(day):
    """A date as letters write it: 2026年11月21日, or 21 November 2026 in English."""
    from lib.written import chinese_date, english_date

    if not day:
        return ""
    return english_date(day) if localized_suffix() == "en" else chinese_date(day)


@register.filter
def rmb_upper(amount):
    from lib.written import rmb_upper as upper

    return upper(amount) if amount not in (None, "") else ""


@register.simple_tag
def page_counter_css():
    """The CSS ``content`` of the page footer, e.g. "第 " counter(page) " 页 / 共 " counter(pages) " 页"."""
    import re

    from django.utils.safestring import mark_safe

    label = _("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", label)
    css = []
    for part in parts:
        if part == "%(page)s":
            css.append("counter(page)")
        elif part == "%(pages)s":
            css.append("counter(pages)")
        elif part:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"').replace("<", "").replace(">", "")
            css.append(f'"{escaped}"')
    return mark_safe(" ".join(css))  # noqa: S308 - built from our own catalogue, quotes escaped


def reminder_label(kind):
    from reminders.models import Reminder

    return dict(Reminder.Kind.choices).get(kind, kind or "")


def recompute_reason_label(reason):
    """Why deadlines were recomputed: "holidays:2027" -> "the 2027 holiday schedule was entered"."""
    reason = reason or ""
    if reason.startswith(HOLIDAYS_REASON.partition("{")[0]):
        return _("the %(year)s holiday schedule was entered") % {"year": reason.partition(":")[2]}
    if reason == LIMITATION_RULE_REASON:
        return _("the limitation rule was changed")
    return reason


def queue_reason_label(reason):
    labels = dict(Case.QueueReason.choices)
    return str(labels[reason]) if reason in labels else reason or ""


@register.simple_tag
def describe_notice(notice):
    """An in-app notice in the reader's language."""
    data = notice.data or {}
    if notice.kind.startswith("reminder_"):  # Notification.Kind.of_reminder
        kind = notice.kind.removeprefix("reminder_")
        if kind == Reminder.Kind.LIMITATION:
            return _("Your limitation period ends on %(date)s: sue or send a written demand before then.") % {
                "date": data.get("due_on", "")
            }
        texts = {
            Reminder.Kind.DUE_SOON: _("Deadline soon: they have until %(date)s to answer."),
            Reminder.Kind.LAPSED: _("Their time is up (%(date)s): you may now go to the next rung."),
            Reminder.Kind.REPEAT: _("Still no answer since %(date)s: record it, or go to the next rung."),
            Reminder.Kind.PROMISE: _("They promised to refund you by %(date)s: did the money come? Record it."),
        }
        return texts.get(kind, "%(date)s") % {"date": data.get("due_on", "")}
    if notice.kind == Notification.Kind.PURGE_NOTICE:
        return _("This closed case will be deleted on %(date)s. Download your data before then to keep a copy.") % {
            "date": data.get("on", "")
        }
    if notice.kind == Notification.Kind.REVIEW:
        if data.get("status") == LetterReview.Status.APPROVED:
            return _("A volunteer approved your letter: you can issue it now.")
        return _("A volunteer asked for changes to your letter: %(note)s") % {"note": data.get("note", "")}
    if notice.kind == Notification.Kind.COMMENT:
        return _("A volunteer wrote to you: %(text)s") % {"text": data.get("text", "")}
    return notice.kind


@register.filter
def reminder_kind(kind):
    return reminder_label(kind)


@register.filter
def mask_name(name):
    """'王小明' -> '王*明', '张三' -> '张*': enough for a volunteer to tell cases apart."""
    from lib.personal import mask_name as mask

    return mask(name or "")


@register.simple_tag(name="queue_reason")
def queue_reason_tag(reason):
    return queue_reason_label(reason)


@register.filter
def mask_mobile(value):
    from lib.personal import mask_mobile as mask

    return mask(value) if value else ""


@register.simple_tag
def bar_chart(rows, title, unit=""):
    from lib.charts import bar_chart as chart

    return chart(rows, title, unit)


@register.filter
def pairs_status(by_rung_status, status):
    """[(rung, {status: n})] -> [(rung, n)] for one status."""
    return [(rung, counts.get(status, 0)) for rung, counts in by_rung_status]


@register.filter
def median_pairs(rows):
    """[(key, median, count)] -> [(key, median)]."""
    return [(key, median) for key, median, _count in rows]


@register.simple_tag
def firstof_status(counts, status):
    return counts.get(status, 0)


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms):
    """At the top of a page, each problem of the given forms in plain words, linked to its field.

    A list of forms (a formset, the bound forms of a page) counts as its forms.
    """
    flat = []
    for item in forms:
        if isinstance(item, list | tuple):
            flat.extend(item)
        elif item is not None:
            flat.append(item)
    problems = []
    for form in flat:
        if not getattr(form, "errors", None):
            continue
        problems.extend(("", "", error) for error in form.non_field_errors())
        for field in form:
            label = str(field.label or "").rstrip("?？:： ")
            problems.extend((field.auto_id, label, error) for error in field.errors)
    return {"problems": problems}


@register.filter(name="public_source")
def public_source_filter(source):
    """A source as a merchant reads it: "; "-separated references without the team's internal ones."""
    from escalation.models import public_source

    return "; ".join(part for part in map(public_source, str(source or "").split("; ")) if part)


@register.filter
def shown_facts(facts):
    """The facts read from an exhibit that are still shown: those not set aside (reading.models.OfferedFact)."""
    return [fact for fact in facts if not fact.is_dismissed]


@register.filter
def facts_waiting(facts):
    """How many of ``facts`` wait for the owner's answer."""
    return sum(1 for fact in facts if fact.is_offered)


@register.filter
def any_text(evidence):
    """Whether words were read from any of ``evidence`` (then its list page has something to search)."""
    return any(item.found_text for item in evidence)
