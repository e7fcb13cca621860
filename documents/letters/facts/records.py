"""The records a letter is printed from: parties, claims, attempts, arguments, the checklist."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from cases.models import Party
from lib.written import figures, rmb_upper

ZERO = Decimal("0")


@dataclass
class Line:
    """One labelled line of a party block; ``missing`` lines print a blank to fill in."""

    label: str
    value: str = ""
    missing: bool = False
    code: str = ""  # the party field it prints, for the checklist


@dataclass
class PartyRecord:
    role: str
    kind: str
    name: str
    heading: str  # 原告 / 申请人 …, with a number when there are two on one side
    lines: list = field(default_factory=list)

    @property
    def signs_with_seal(self):
        """A business signs and seals (签字盖章); a person only signs."""
        return self.kind != Party.Kind.PERSON


@dataclass
class ClaimItem:
    label: str
    called: str
    taken: Decimal | None
    refunded: Decimal | None
    claimed: Decimal | None
    taken_on: datetime.date | None
    how: str
    rate: str = ""
    period: str = ""
    note: str = ""
    name: str = ""  # the seller's word beside the legal description
    kind: str = ""
    agreed_rate: str = ""
    charged_rate: str = ""
    trades: list = field(default_factory=list)  # overcharge.trade_rows of a fee_overcharge
    trades_total: Decimal | None = None

    @property
    def claimed_figures(self):
        return figures(self.claimed) if self.claimed is not None else ""


@dataclass
class Attempt:
    on: datetime.date
    text: str


@dataclass
class Argument:
    code: str
    text: str
    bases: list = field(default_factory=list)


@dataclass
class Missing:
    code: str
    text: str


@dataclass
class Facts:
    letter_kind: str
    family: str  # application, pboc, nfra, samr_complaint, samr_report, consumer_association, pcac, civil
    language: str
    today: datetime.date
    title: str
    addressee: str
    merchant: PartyRecord
    respondents: list
    claims: list
    total_taken: Decimal
    total_refunded: Decimal
    total_claimed: Decimal
    terminal: list  # sentences about the terminal
    money: list  # sentences about how each sum was taken
    promise: list  # sentences about the promise
    story: str
    attempts: list
    arguments: list
    bases: list
    requests: list
    checklist: list
    send: list
    witnesses: str
    evidence: list
    reply_days: int | None = None
    attempts_intro: str = ""
    story_intro: str = ""
    standing: list = field(default_factory=list)  # who writes, and why this body: per recipient
    escalation: str = ""  # the application's last word: what comes next if no answer
    enclosures: list = field(default_factory=list)
    kept_by: str = ""
    elements: list = field(default_factory=list)  # the civil complaint's element table (要素式), when asked for

    @property
    def parties(self):
        return [self.merchant, *self.respondents]

    @property
    def draft(self):
        return bool(self.checklist)

    @property
    def total_figures(self):
        return figures(self.total_claimed)

    @property
    def total_upper(self):
        return rmb_upper(self.total_claimed)
