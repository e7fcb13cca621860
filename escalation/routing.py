"""Where may this merchant complain, in what order, and why?

``route()`` is a pure function: a case's facts and the channels in, an ordered
list of recommendations with reasons and warnings out. The mapping of
complaint categories to the provider's departments follows seed 004; the
eligibility rules and their sources follow ../shared/docs/domain.md.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from escalation.models import PROVINCE_OFFICIAL_NAMES, Category, Channel
from lib import chinatime

# Sources quoted in reasons; each is a reference a person can re-check, by name (domain.md holds the team's notes).
REGULATION = "《非银行支付机构监督管理条例》(国务院令第768号, 2023-12-09)"
SAMR_MEASURES = (
    "《市场监督管理投诉举报处理办法》(国家市场监督管理总局令第121号, in force 2026-04-15; it replaced Order No. 20)"
)
CONSUMER_LAW = "《消费者权益保护法》(2013)"
CIVIL_CODE_CONTRACTS = "《民法典》合同编"
CIVIL_CODE_GENERAL = "《民法典》总则编"
CIVIL_PROCEDURE = "《民事诉讼法》(2023-09-01)"
COURT_FEES = "《诉讼费用交纳办法》(2006)"
PBOC_MEASURES = "《中国人民银行金融消费者权益保护实施办法》(2020); 12363 local notices"
PCAC_RULES = "中支协发〔2022〕12号、〔2023〕81号"
# The 2023 reform of the State Council's institutions: NFRA set up on 2023-05-18 (domain.md §1.3).
NFRA_REFORM = (
    "国务院机构改革 (2023): 国家金融监督管理总局 — "
    "english.www.gov.cn/news/202305/18/content_WS6465bd1ac6d03ffcca6ed27f.html"
)
# Industry pages that send merchants to the complaint platforms (domain.md §1.7).
PLATFORM_PAGES = "dypos.net/news/935.html; posbl8.com/news/13930.html"
SEED_004 = "《拉卡拉POS机投诉归哪个部门管?》 (web article)"


@dataclass(frozen=True)
class Note:
    """One reason or warning, with the source a person can check and whether it was verified."""

    text: str
    source: str = ""
    verified: bool = True


# How the merchant got the terminal (the values of disputes' Case.ObtainedVia; escalation does not import disputes).
OFFICIAL = "official"
AGENT = "agent"


@dataclass(frozen=True)
class CaseFacts:
    category: str = Category.REFUND
    obtained_via: str = OFFICIAL  # OFFICIAL or AGENT
    amount: Decimal | None = None
    province: str | None = None
    personal_consumption: bool = False
    natural_person: bool = True
    contacted_institution: bool = False
    harm_known_on: datetime.date | None = None
    last_demand_on: datetime.date | None = None
    arbitration_clause: bool | None = None
    # The limitation period's end (clock.limitation_end, from the admin's rule), restarted by the
    # last written demand; and the same length counted from the harm alone, which 12315 applies.
    limitation_on: datetime.date | None = None
    harm_limit_on: datetime.date | None = None


@dataclass
class Recommendation:
    channel: Channel
    reasons: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    eligible: bool = True
    ready: bool = True
    display_name: str = ""

    @property
    def name(self):
        return self.display_name or self.channel.name


@dataclass(frozen=True)
class SmallClaims:
    threshold: Decimal | None
    eligible: bool | None  # None: the province's wage is not entered yet
    by_agreement: bool
    fee: Decimal
    fee_small_claims: Decimal
    wage_year: int | None = None
    wage_source: str = ""
    wage_verified: bool = False


@dataclass
class Route:
    department: Note
    recommendations: list
    small_claims: SmallClaims | None
    limitation_date: datetime.date | None


def pboc_branch_name(province):
    """中国人民银行XX分行, the 2024 naming of PBoC's provincial branches."""
    official = PROVINCE_OFFICIAL_NAMES.get(province or "")
    return f"中国人民银行{official}分行" if official else ""


def court_fee(amount):
    """Acceptance fee of a property case (诉讼费用交纳办法 Art. 13), in yuan."""
    bands = [
        (Decimal(10_000), None),  # the first 10,000: 50 yuan per case
        (Decimal(100_000), Decimal("0.025")),
        (Decimal(200_000), Decimal("0.02")),
        (Decimal(500_000), Decimal("0.015")),
        (Decimal(1_000_000), Decimal("0.01")),
        (Decimal(2_000_000), Decimal("0.009")),
        (Decimal(5_000_000), Decimal("0.008")),
        (Decimal(10_000_000), Decimal("0.007")),
        (Decimal(20_000_000), Decimal("0.006")),
        (None, Decimal("0.005")),
    ]
    amount = Decimal(amount)
    fee = Decimal(50)
    lower = Decimal(10_000)
    for upper, rate in bands[1:]:
        if amount <= lower:
            break
        top = amount if upper is None else min(amount, upper)
        fee += (top - lower) * rate
        lower = upper if upper is not None else amount
    return fee.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def small_claims(amount, wage):
    """Small-claims eligibility (民事诉讼法 Art. 165) and the fee estimate for ``amount``."""
    fee = court_fee(amount)
    halved = (fee / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if wage is None:
        return SmallClaims(None, None, False, fee, halved)
    threshold = (Decimal(wage.average_annual_wage) / 2).quantize(Decimal("1"))
    eligible = Decimal(amount) <= threshold
    by_agreement = not eligible and Decimal(amount) <= Decimal(wage.average_annual_wage) * 2
    return SmallClaims(threshold, eligible, by_agreement, fee, halved, wage.year, wage.source, wage.verified)


def provider_department(facts):
    """Which department of the provider to ask first, by complaint category (seed 004)."""
    texts = {
        Category.CHANNEL: _(
            "Start with the provider's customer service. If an agent sold you the terminal, also ask the agent's "
            "person in charge, and tell the provider what the agent did: the licensed institution stays "
            "responsible for disputes with its merchants."
        ),
        Category.TECHNICAL: _(
            "Ask the provider's technical support department: it investigates card-reading, "
            "failed-transaction and system problems."
        ),
        Category.OPERATION: _("Ask the provider's customer service centre for operating instructions."),
        Category.PRODUCT_QUALITY: _("Complain to the provider's product quality department."),
        Category.AFTER_SALES: _("Complain to the provider's after-sales service department."),
        Category.FEES: _(
            "Ask the provider's finance department or customer service to explain every fee and "
            "show where it was disclosed."
        ),
        Category.REFUND: _("Ask the provider's customer service or finance department for the refund, in writing."),
    }
    return Note(texts.get(facts.category, texts[Category.REFUND]), SEED_004)


def _provider(rec, facts):
    rec.reasons.append(provider_department(facts))
    rec.reasons.append(
        Note(_("The payment institution carries primary responsibility for handling complaints (Art. 35)."), REGULATION)
    )
    if facts.obtained_via == AGENT:
        rec.reasons.append(
            Note(
                _(
                    "Acquirers may not hand dispute handling over to their agents, so name the institution, not only "
                    "the agent."
                ),
                PCAC_RULES,
            )
        )


def _financial_regulator(rec, facts):
    branch = pboc_branch_name(facts.province)
    if branch:
        rec.display_name = f"{rec.channel.name} · {branch}"
    rec.reasons.append(
        Note(_("PBoC supervises non-bank payment institutions, through its branches (Art. 4)."), REGULATION)
    )
    if facts.category in {Category.FEES, Category.REFUND}:
        rec.reasons.append(
            Note(_("A payment institution must not charge any fee it has not clearly marked (Art. 34)."), REGULATION)
        )
    if not facts.contacted_institution:
        rec.ready = False
        rec.warnings.append(
            Note(
                _(
                    "Complain to the institution first: PBoC takes the complaint when the institution refuses it, "
                    "does not handle it in time, or its answer is unsatisfactory."
                ),
                PBOC_MEASURES,
                verified=True,
            )
        )
    if not facts.natural_person:
        rec.warnings.append(
            Note(
                _(
                    "A 'financial consumer' is a natural person; as a company you may be treated as a report rather "
                    "than a consumer complaint."
                ),
                PBOC_MEASURES,
                verified=False,
            )
        )
    rec.warnings.append(
        Note(
            _("Since the 2023 reform the split of complaints between PBoC and NFRA may change."),
            NFRA_REFORM,
            False,
        )
    )


def _banking_regulator(rec, facts):
    rec.reasons.append(
        Note(
            _("NFRA leads financial consumer protection since 2023; use it if the PBoC route does not answer."),
            NFRA_REFORM,
            verified=True,
        )
    )
    rec.warnings.append(
        Note(
            _("NFRA mainly handles banks and insurers; its reply time for payment institutions is not confirmed."),
            NFRA_REFORM,
            verified=False,
        )
    )


def _industry_association(rec, facts):
    if facts.obtained_via == AGENT or facts.category in {Category.FEES, Category.REFUND, Category.CHANNEL}:
        rec.reasons.append(
            Note(
                _(
                    "Agents must not charge 'network access' fees, nor order deductions from settlement funds "
                    "(PCAC 2022 rules Arts. 18, 24)."
                ),
                PCAC_RULES,
            )
        )
    rec.warnings.append(
        Note(
            _("This is a report to a self-regulator: it can discipline members but does not decide refunds."),
            PCAC_RULES,
        )
    )


def _market_regulator(rec, facts, today):
    """12315: a consumer complains (投诉); a merchant who used the POS for business reports (举报) instead."""
    if facts.personal_consumption:
        rec.reasons.append(
            Note(_("A consumer's complaint is mediated, with the consent of both sides."), SAMR_MEASURES)
        )
    else:
        rec.display_name = _("%(channel)s: a report") % {"channel": rec.channel.name}
        rec.reasons.append(
            Note(
                _(
                    "As a business you are not a consumer, but you may report the company's conduct (undisclosed "
                    "fees, false promises) to the market regulator (Order No. 121, Art. 3)."
                ),
                SAMR_MEASURES,
            )
        )
        rec.warnings.append(
            Note(
                _(
                    "A complaint (投诉) about a POS used for business is likely to be refused: send a report (举报). "
                    "A report can lead to an investigation, but it does not decide your refund."
                ),
                SAMR_MEASURES,
            )
        )
        return
    _too_late(rec, facts, today)


def _consumer_association(rec, facts, today):
    rec.reasons.append(Note(_("Mediation needs the consent of both sides."), CONSUMER_LAW))
    if not facts.personal_consumption:
        rec.eligible = False
        rec.warnings.append(
            Note(
                _(
                    "Consumer associations take complaints about purchases for personal consumption (Consumer "
                    "Protection Law Art. 2); a POS used for business is likely to be refused."
                ),
                CONSUMER_LAW,
            )
        )
    _too_late(rec, facts, today)


def _too_late(rec, facts, today):
    if facts.harm_limit_on and facts.harm_limit_on < today:
        rec.eligible = False
        rec.warnings.append(
            Note(
                _(
                    "Complaints made more than three years after you learned of the harm were refused under the old "
                    "rules; the current order's rule is not verified."
                ),
                SAMR_MEASURES,
                verified=False,
            )
        )


def _platform(rec, facts):
    rec.reasons.append(
        Note(_("Public pressure: providers often answer complaints posted there."), PLATFORM_PAGES, False)
    )
    rec.warnings.append(
        Note(
            _("Posts are public: hide your ID number, phone and merchant number. There is no legal deadline."),
            PLATFORM_PAGES,
        )
    )


def _court(rec, facts, small):
    rec.reasons.append(
        Note(
            _(
                "Contract law protects everyone, consumer or not: the provider must perform what it promised and "
                "is liable for breach (Civil Code Arts. 509, 577)."
            ),
            CIVIL_CODE_CONTRACTS,
        )
    )
    rec.reasons.append(
        Note(
            _(
                "Sue where the defendant is domiciled or where the contract is performed; for a sum of money, where "
                "the party receiving it is, unless the agreement validly names another court."
            ),
            CIVIL_PROCEDURE,
        )
    )
    if small is not None and small.eligible:
        rec.reasons.append(
            Note(_("Your amount fits the small-claims procedure: one instance, final, no appeal."), CIVIL_PROCEDURE)
        )
    if facts.arbitration_clause:
        rec.eligible = False
        rec.warnings.append(
            Note(
                _("Your agreement has an arbitration clause: the court will send the case to arbitration (Art. 127)."),
                CIVIL_PROCEDURE,
            )
        )


def _arbitration(rec, facts):
    if facts.arbitration_clause:
        rec.reasons.append(
            Note(_("Your agreement names arbitration, so this is the forum for the dispute."), CIVIL_PROCEDURE)
        )
    else:
        rec.eligible = False
        rec.warnings.append(
            Note(
                _("Arbitration needs an arbitration clause or agreement; check your merchant agreement."),
                CIVIL_PROCEDURE,
            )
        )


def route(facts, channels, wage=None, today=None):
    """Order the channels for this case, each with reasons and warnings.

    ``channels`` are the active channels (any iterable), ``wage`` the
    province's latest ``ProvinceWage`` or None. Eligible channels come before
    the ones likely to refuse the case, within each rung.
    """
    today = today or chinatime.today()
    small = small_claims(facts.amount, wage) if facts.amount else None
    recommendations = []
    for channel in channels:
        rec = Recommendation(channel)
        kind = channel.kind
        if kind == Channel.Kind.PROVIDER:
            _provider(rec, facts)
        elif kind == Channel.Kind.FINANCIAL_REGULATOR:
            _financial_regulator(rec, facts)
        elif kind == Channel.Kind.BANKING_REGULATOR:
            _banking_regulator(rec, facts)
        elif kind == Channel.Kind.INDUSTRY_ASSOCIATION:
            _industry_association(rec, facts)
        elif kind == Channel.Kind.MARKET_REGULATOR:
            _market_regulator(rec, facts, today)
        elif kind == Channel.Kind.CONSUMER_ASSOCIATION:
            _consumer_association(rec, facts, today)
        elif kind == Channel.Kind.PLATFORM:
            _platform(rec, facts)
        elif kind == Channel.Kind.COURT:
            _court(rec, facts, small)
        elif kind == Channel.Kind.ARBITRATION:
            _arbitration(rec, facts)
        recommendations.append(rec)
    recommendations.sort(
        key=lambda rec: (rec.channel.rung.position, not rec.eligible, rec.channel.pressure_only, rec.channel.position)
    )
    limit = facts.limitation_on
    if limit is not None and limit < today:
        for rec in recommendations:
            if rec.channel.kind in {Channel.Kind.COURT, Channel.Kind.ARBITRATION}:
                rec.warnings.append(
                    Note(
                        _("The three-year limitation period may have run out; the other side can raise it."),
                        CIVIL_CODE_GENERAL,
                    )
                )
    return Route(provider_department(facts), recommendations, small, limit)
