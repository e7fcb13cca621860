"""Surviving mutants that change nothing a caller can observe, each with why.

An entry names the function, the line as written and the line as mutated (stripped of indentation),
and, when the same line is written twice in the function, the line just before it; it matches a mutant
by those, not by mutmut's number, so it still holds when the function changes elsewhere. `make mutation`
does not test the mutants an entry matches (they would survive: that is what equivalent means) and the
report lists them with why, and the entries that matched nothing, so a stale one is seen.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Equivalent:
    function: str  # mutmut's key: "escalation.clock.x_add_days", "cases.models.steps.xǁStepǁsnooze"
    before: str
    after: str
    why: str
    preceding: str = ""  # the unchanged line just before, when ``before`` is written more than once

    def matches(self, function, removed, added, preceding=""):
        if self.preceding and preceding != self.preceding:
            return False
        return function == self.function and removed == (self.before,) and added == (self.after,)


def each(function, before, afters, why):
    return [Equivalent(function, before, after, why) for after in afters]


CLOCK = "escalation.clock"
HOLIDAYS = "escalation.holidays"
WRITTEN = "lib.written"
UPLOADS = "cases.uploads"
THROTTLE = "accounts.throttle"
SWEEP = "reminders.sweep"

EQUIVALENT: list[Equivalent] = [
    # ----- the clock ----------------------------------------------------------------------------------
    *each(
        f"{CLOCK}.x_library_knows",
        "chinese_calendar.is_workday(datetime.date(year, 1, 1))",
        [
            "chinese_calendar.is_workday(datetime.date(year, 2, 1))",
            "chinese_calendar.is_workday(datetime.date(year, 1, 2))",
        ],
        "chinese-calendar knows a year whole: any day of it answers whether the year is known",
    ),
    # ----- the holiday notice ----------------------------------------------------------------------------
    *each(
        f"{HOLIDAYS}.x__expand",
        'raise ValueError("range")',
        ["raise ValueError(None)", 'raise ValueError("XXrangeXX")', 'raise ValueError("RANGE")'],
        "_read catches the ValueError and writes its own message: the exception's text is never shown",
    ),
    Equivalent(
        f"{HOLIDAYS}.x__read",
        'leftover = DATE_EXPRESSION.sub("", rest)',
        'leftover = DATE_EXPRESSION.sub("XXXX", rest)',
        "the leftover is only searched for digits, and the letters put in place of the dates are not digits",
    ),
    Equivalent(
        f"{HOLIDAYS}.x__read",
        'rest = DAY_COUNT.sub("", ASIDE.sub("", rest))',
        'rest = DAY_COUNT.sub("XXXX", ASIDE.sub("", rest))',
        "共N天 stands after the dates in a notice: letters in its place change no date and add no digit",
    ),
    # ----- amounts in words --------------------------------------------------------------------------------
    *each(
        f"{WRITTEN}.x__section_value",
        "unit = 10**4  # units must fall: 百 after 千, never 千 after 百",
        [
            "unit = 11**4  # units must fall: 百 after 千, never 千 after 百",
            "unit = 10**5  # units must fall: 百 after 千, never 千 after 百",
        ],
        "the starting unit only has to lie above 千 (1000) and at or above 10⁴: every unit may come first, as before",
    ),
    Equivalent(
        f"{WRITTEN}.x__section_value",
        "zero = False",
        "zero = None",
        "None and False are both false, and `zero or digit == 0` gives a bool from the first digit on",
    ),
    Equivalent(
        f"{WRITTEN}.x__words_value",
        "high = _words_value(head) if head else None",
        "high = _words_value(head) if (head) or True else None",
        "_words_value('') is None: calling it on nothing gives what not calling it gives",
    ),
    Equivalent(
        f"{WRITTEN}.x__words_value",
        'low = _words_value(tail.lstrip("零〇")) if tail.strip("零〇") else 0',
        'low = _words_value(tail.lstrip(None)) if tail.strip("零〇") else 0',
        "zeros left at the front of the lower part read as nothing in _section_value too (零五 is 5)",
    ),
    Equivalent(
        f"{WRITTEN}.x_amount_from_words",
        'yuan_text, sep, rest = words, "", ""',
        'yuan_text, sep, rest = words, "", "XXXX"',
        "rest is set again on both paths (a 元 found or not) before it is read",
    ),
    Equivalent(
        f"{WRITTEN}.x_amount_from_words",
        "yuan_text, sep, rest = words.partition(mark)",
        "yuan_text, sep, rest = words.rpartition(mark)",
        "with two 元 the text is no amount either way: one is left in the yuan or in the rest, and both refuse it",
    ),
    Equivalent(
        f"{WRITTEN}.x_amount_from_words",
        'yuan = _words_value(yuan_text) if yuan_text.strip("零〇") else 0',
        "yuan = _words_value(yuan_text) if yuan_text.strip(None) else 0",
        "yuan written only with zeros (零, 〇〇) reads as 0 through _words_value as well",
    ),
    Equivalent(
        f"{WRITTEN}.x_amount_from_words",
        "head, _, rest = rest.partition(unit)",
        "head, _, rest = rest.rpartition(unit)",
        "a 角, 毛 or 分 written twice is refused either way (the rest, or the digit before it, is left over)",
    ),
    # ----- uploads -------------------------------------------------------------------------------------------
    *each(
        f"{UPLOADS}.x_looks_like_text",
        'for encoding in ("utf-8", "gb18030"):',
        ['for encoding in ("UTF-8", "gb18030"):', 'for encoding in ("utf-8", "GB18030"):'],
        "Python's codec names are case-insensitive",
    ),
    Equivalent(
        f"{UPLOADS}.x_looks_like_text",
        'if b"\\x00" in data or data.lstrip()[:20].lower().startswith(MARKUP):',
        'if b"\\x00" in data or data.lstrip()[:21].lower().startswith(MARKUP):',
        "every markup prefix looked for is shorter than 20 bytes",
    ),
    *each(
        f"{UPLOADS}.x_pdf_problem",
        "reader = PdfReader(io.BytesIO(data), strict=False)",
        ["reader = PdfReader(io.BytesIO(data), strict=None)", "reader = PdfReader(io.BytesIO(data), )"],
        "None and the default are pypdf's lenient mode, as False is",
    ),
    Equivalent(
        f"{UPLOADS}.x_pdf_pages",
        "upload.seek(0)",
        "upload.seek(1)",
        "pypdf seeks to absolute positions itself: where the upload stood before it reads changes nothing",
        preceding='"""The page count of a PDF (for the evidence list), or None when it cannot be read."""',
    ),
    Equivalent(
        f"{UPLOADS}.x_check_pdf",
        "upload.seek(0)",
        "upload.seek(1)",
        "the check then reads the file without its first byte, the % of %PDF: the lenient reader repairs the "
        "offsets and the raw scan sees the same names (the same verdict on every test PDF)",
        preceding='"""Refuse PDFs that are encrypted, unreadable, or carry scripts, actions, attached files or XFA '
        'forms."""',
    ),
    # ----- login throttling ----------------------------------------------------------------------------------
    *each(
        f"{THROTTLE}.x_account_key",
        'return keyed_hash("name:" + (username or "").strip().lower())',
        [
            'return keyed_hash("XXname:XX" + (username or "").strip().lower())',
            'return keyed_hash("NAME:" + (username or "").strip().lower())',
            'return keyed_hash("name:" + (username or "").strip().upper())',
        ],
        "the prefix only keeps login names apart from account ids (user:…), and upper or lower case "
        "folds names alike: every failure is counted under one key per name, as before",
    ),
    Equivalent(
        f"{THROTTLE}.x_note_failure",
        "FailedLogin.objects.create(account=account, address=client_address(request), at=chinatime.now())",
        "FailedLogin.objects.create(account=account, address=client_address(request), )",
        "FailedLogin.at defaults to chinatime.now: the same clock",
    ),
    Equivalent(
        f"{THROTTLE}.x_wait_after",
        "delay = min(settings.LOGIN_DELAY_SECONDS * 2 ** min(beyond, 20), settings.LOGIN_DELAY_MAX_SECONDS)",
        "delay = min(settings.LOGIN_DELAY_SECONDS * 2 ** min(beyond, 21), settings.LOGIN_DELAY_MAX_SECONDS)",
        "2²⁰ times the delay is already years past any maximum: the cap only keeps the power small",
    ),
    Equivalent(
        f"{THROTTLE}.x_client_address",
        'hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")',
        'hops = request.META.get("HTTP_X_FORWARDED_FOR", "XXXX").split(",")',
        "without the header the one hop, empty or XXXX, names no address either way: the connecting one stands",
    ),
    Equivalent(
        f"{THROTTLE}.x_client_address",
        'return str(ipaddress.ip_network(f"{address}/64", strict=False))',
        'return str(ipaddress.ip_network(f"{address}/64", strict=None))',
        "None is false, as False is",
    ),
    Equivalent(
        f"{THROTTLE}.x_parse_ip",
        'text = (text or "").strip()',
        'text = (text or "XXXX").strip()',
        "nothing and XXXX are both no address",
    ),
    *each(
        f"{THROTTLE}.x_parse_ip",
        'text = text.split(":", 1)[0]  # an IPv4 address with a port',
        [
            'text = text.split(":", )[0]  # an IPv4 address with a port',
            'text = text.rsplit(":", 1)[0]  # an IPv4 address with a port',
            'text = text.split(":", 2)[0]  # an IPv4 address with a port',
        ],
        "this line runs only when the text holds exactly one colon: every way of splitting there gives the same "
        "first part",
    ),
    # ----- the case ------------------------------------------------------------------------------------------
    Equivalent(
        "cases.models.case.xǁCaseǁrespondent_name_subquery",
        'Party.objects.filter(case=models.OuterRef("pk"), role=Party.Role.RESPONDENT).values("name")[:1]',
        'Party.objects.filter(case=models.OuterRef("pk"), role=Party.Role.RESPONDENT).values("name")[:2]',
        "a case has one party per role (the one_party_per_role constraint): there is never a second row",
    ),
    # ----- a step's deadline and reminders -------------------------------------------------------------------
    Equivalent(
        "cases.models.steps.xǁStepǁreminder_moments",
        "if start <= moment < at_china_hour(due):",
        "if start <= moment <= at_china_hour(due):",
        "due soon is planned only when remind_days_before is at least 1: it is always a day or more before the "
        "due date, never on it",
    ),
    *each(
        "cases.models.steps.xǁStepǁrecord_answer",
        "self.schedule(ladder.overrides(), remind=self.is_live() and self.case.is_open)",
        [
            "self.schedule(None, remind=self.is_live() and self.case.is_open)",
            "self.schedule(remind=self.is_live() and self.case.is_open)",
        ],
        "record_answer schedules only a promise by a date, whose deadline is that date: the holiday overrides "
        "are never read there",
    ),
    Equivalent(
        "cases.models.case_ladder.xǁLadderMovesǁreopen",
        'step.save(update_fields=["next_reminder_at"])',
        "step.save(update_fields=None)",
        "the step was read from the database a line before: saving every field writes back what was just read",
    ),
    # ----- the sweep -------------------------------------------------------------------------------------------
    Equivalent(
        f"{SWEEP}.x_remind_limitation",
        "case=case, step=None, kind=Reminder.Kind.LIMITATION, sequence=days, due_on=case.limitation_on",
        "case=case, kind=Reminder.Kind.LIMITATION, sequence=days, due_on=case.limitation_on",
        "limitation reminders are the only ones of their kind and never have a step: the lookup finds the same "
        "rows, and a new one gets no step by default",
    ),
    *each(
        f"{SWEEP}.x_remind_step",
        'step = Step.objects.select_related("case__owner", "rung", "channel", "rule").get(pk=pk)',
        [
            'step = Step.objects.select_related("rung", "channel", "rule").get(pk=pk)',
            'step = Step.objects.select_related("case__owner", "channel", "rule").get(pk=pk)',
            'step = Step.objects.select_related("case__owner", "rung", "rule").get(pk=pk)',
            'step = Step.objects.select_related("case__owner", "rung", "channel", ).get(pk=pk)',
        ],
        "what is not read with the step is read when it is needed: one more query, the same result",
    ),
    *each(
        f"{SWEEP}.x_deliver",
        'reminder = Reminder.objects.select_related("case__owner__profile", "step__channel", "step__rung").get(pk=pk)',
        [
            'reminder = Reminder.objects.select_related("step__channel", "step__rung").get(pk=pk)',
            'reminder = Reminder.objects.select_related("case__owner__profile", "step__rung").get(pk=pk)',
            'reminder = Reminder.objects.select_related("case__owner__profile", "step__channel", ).get(pk=pk)',
        ],
        "what is not read with the reminder is read when the message needs it: more queries, the same message",
    ),
    Equivalent(
        f"{SWEEP}.x_remind_limitation",
        'case = Case.objects.select_related("owner").get(pk=pk)',
        "case = Case.objects.select_related(None).get(pk=pk)",
        "the owner is then read when the notice needs it: one more query, the same result",
    ),
]
