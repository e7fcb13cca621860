"""Load the ladder content and a realistic demo: accounts for each role and cases at different rungs.

Safe to run again: everything is found by a fixed key and created only when missing.
Demo cases are built through the same model methods the app uses, with dates
relative to today, so a fresh demo always has a waiting deadline and a lapsed one.
"""

import datetime
import io
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from accounts.models import Profile
from accounts.roles import ensure_roles
from cases.forms.intake import intake_values
from cases.models import Case, Charge, Evidence, Party, Step, china_today
from cases.overcharge import Trade
from documents import letters
from documents.letters.fonts import ensure_fonts
from escalation.content import load_ladder
from escalation.models import Channel, PolicyText, Provider, Rung
from groups.models import ComplaintGroup
from reading import reader
from reading.models import OfferedFact
from review.models import Comment

DEMO_ADDRESS = "四川省成都市武侯区人民南路四段1号"
DEMO_NAMESPACE = uuid.UUID("6f1c2b1e-3d4a-4c7e-9a55-0d1f2e3c4b5a")

# (username, password, role, full name). Development only: the passwords are printed.
DEMO_USERS = [
    ("merchant", "demo-merchant-pass", "merchant", "王小明"),
    # Two more merchants sold terminals by the same agent: with 王小明 they complain together (共同投诉).
    ("merchant2", "demo-merchant2-pass", "merchant", "李秀英"),
    ("merchant3", "demo-merchant3-pass", "merchant", "陈大勇"),
    ("volunteer", "demo-volunteer-pass", "volunteer", "李志愿"),
    ("admin", "demo-admin-pass", "admin", "管理员"),
]


# The agent's chat in the demo's screenshot, as the demo cases tell it (intake below): a "free" terminal
# with a deposit, and the agent's promise to return it (domain.md §8).
DEMO_CHAT = [
    "刘经理（代理）",
    "机器免费送，只收押金299元",
    "三个月内刷满5万，押金全额退回。",
    "签约公司：拉卡拉支付股份有限公司",
]
DEMO_MOBILES = {"merchant2": "13800138002", "merchant3": "13800138003"}
# The other two members' shops, sums and stories (the same agent, 刘经理, and his promise).
GROUP_MEMBERS = [
    {
        "merchant_name": "成都市武侯区秀英小吃店",
        "merchant_trade_name": "秀英小吃店",
        "merchant_credit_code": "",
        "merchant_representative": "李秀英",
        "merchant_number": "822100058120077",
        "terminal_sn": "LKL0023517",
        "amount": Decimal("399.00"),
        "volume_reached": Decimal("52000"),
    },
    {
        "merchant_name": "成都市武侯区大勇五金店",
        "merchant_trade_name": "大勇五金店",
        "merchant_credit_code": "",
        "merchant_representative": "陈大勇",
        "merchant_number": "822100058120105",
        "terminal_sn": "LKL0023602",
        "amount": Decimal("299.00"),
        "volume_reached": Decimal("61000"),
    },
]


def days_ago(days):
    return china_today() - datetime.timedelta(days=days)


def intake(provider, **changes):
    """Flat intake answers (as the form has them) for an individual business with a trade name."""
    values = {
        "provider": provider,
        "obtained_via": Case.ObtainedVia.AGENT,
        "agent_name": "刘经理",
        "agent_contact": "微信 liu-pos-88",
        "merchant_kind": Party.Kind.INDIVIDUAL_BUSINESS,
        "merchant_name": "成都市武侯区小明水果店",
        "merchant_trade_name": "小明水果店",
        "merchant_credit_code": "92510107MA62CD7E8P",
        "merchant_representative": "王小明",
        "merchant_number": "822100058120001",
        "terminal_model": "拉卡拉 Q1",
        "terminal_sn": "LKL0023391",
        "activation_date": days_ago(400),
        "amount": Decimal("299.00"),
        "charge_kind": Charge.Kind.DEPOSIT,
        "payment_method": Charge.How.DEDUCTED,
        "charged_on": days_ago(399),
        "promise_form": Case.PromiseForm.ORAL,
        "promised_by": Case.PromisedBy.AGENT,
        "promise_target": Decimal("50000"),
        "promise_period_months": 3,
        "volume_reached": Decimal("68000"),
        "promise_details": None,  # the agent's words, with this case's own sum (below)
        "category": "refund",
        "province": "sichuan",
        "use": Case.Use.BUSINESS,
        "harm_known_on": days_ago(200),
    }
    values.update(changes)
    if values["promise_details"] is None:
        values["promise_details"] = f"刘经理说三个月内刷满5万，押金{values['amount']:.0f}元全额退回。"
    return intake_values(values)


# A person with no business who was sold a POS ("it raises your credit limit"), a company, a merchant whose card
# rate was raised without notice (no deposit at all), and a "free" terminal paid for in cash on delivery.
PERSON = {
    "merchant_kind": Party.Kind.PERSON,
    "use": Case.Use.PERSONAL,
    "obtained_via": Case.ObtainedVia.AGENT,
    "promise_form": Case.PromiseForm.NONE,
    "promised_by": Case.PromisedBy.UNKNOWN,
    "promise_target": None,
    "promise_period_months": None,
    "volume_reached": None,
    "promise_details": "业务员打电话说办POS机可以提升信用卡额度，激活时刷掉199元，后来每月扣流量费。",
    "merchant_number": "",
}
COMPANY = {
    "merchant_kind": Party.Kind.COMPANY,
    "merchant_name": "成都小明商贸有限公司",
    "merchant_credit_code": "91510107MA62AB3C4P",
    "merchant_representative": "王小明",
    "merchant_representative_title": "执行董事",
    "promise_form": Case.PromiseForm.WRITTEN,
    "promised_by": Case.PromisedBy.PROVIDER,
    "volume_reached": Decimal("41000"),
    "promise_details": "商户协议第5条：三个月内交易满5万元，押金全额退还。",
}

RATE_HIKE = {
    "obtained_via": Case.ObtainedVia.OFFICIAL,
    "agent_name": "",
    "agent_contact": "",
    "amount": None,
    "charge_kind": Charge.Kind.FEE_OVERCHARGE,
    "charge_called": "",
    "agreed_rate": "0.60%",
    "charged_rate": "2.00%",
    "payment_method": Charge.How.DEDUCTED,
    "charged_on": None,
    "promise_form": Case.PromiseForm.WRITTEN,
    "promised_by": Case.PromisedBy.PROVIDER,
    "promise_target": None,
    "promise_period_months": None,
    "volume_reached": None,
    "promise_details": "商户协议写明刷卡费率0.60%，调整费率要提前30天通知，我从没收到通知。",
    "promise_source": "商户协议第4条",
    "category": "fees",
}
RATE_HIKE_TRADES = [(45, "70000.00", "1400.00"), (20, "30580.00", "611.60")]
FREE_TERMINAL = {
    "obtained_via": Case.ObtainedVia.AGENT,
    "agent_name": "",
    "agent_contact": "电话 0755-8888xxxx",
    "amount": Decimal("99.00"),
    "charge_kind": Charge.Kind.DEPOSIT,
    "charge_called": "激活押金",
    "payment_method": Charge.How.CASH_ON_DELIVERY,
    "promise_form": Case.PromiseForm.ORAL,
    "promised_by": Case.PromisedBy.AGENT,
    "promise_target": None,
    "promise_period_months": 3,
    "volume_reached": None,
    "promise_details": "电话里说机器免费送，99元激活押金快递到付，用满三个月退回。",
}


CHECKLIST = {
    "target_met": "yes",
    "unsettled_transactions": "no",
    "arbitration_clause": "no",
    "forum_clause": "unsure",
    "fees_disclosed": "no",
}


class Command(BaseCommand):
    help = "Load the ladder content and demo accounts and cases (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even though DEBUG is off (demo passwords are public: never on a real site).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("seed_demo creates accounts with public passwords; it runs only with DEBUG=1.")
        with transaction.atomic():
            ensure_roles()
            load_ladder()
            users = {
                username: self.ensure_user(username, password, role, name)
                for username, password, role, name in DEMO_USERS
            }
            self.ensure_cases(users["merchant"], users["volunteer"])
            self.ensure_group([users["merchant"], users["merchant2"], users["merchant3"]])
        self.stdout.write("Demo accounts (development only):")
        for username, password, role, _name in DEMO_USERS:
            self.stdout.write(f"  {role:<10} {username} / {password}")

    def ensure_user(self, username, password, role, full_name):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": full_name,
                "email": f"{username}@example.com",
                "is_staff": role == "admin",
                "is_superuser": role == "admin",
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        mobile = DEMO_MOBILES.get(username, "13800138000")
        Profile.objects.get_or_create(
            user=user,
            defaults={"full_name": full_name, "mobile": mobile, "postal_address": DEMO_ADDRESS},
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    def add_read_screenshot(self, case, owner):
        """The agent's chat as a screenshot, read as the worker reads it: one fact confirmed, the rest offered."""
        activated = days_ago(400)  # the demo intake's activation date
        lines = [*DEMO_CHAT, f"{activated.year}年{activated.month}月{activated.day}日开通"]
        image = Image.new("RGB", (720, 70 * len(lines) + 40), "white")
        draw = ImageDraw.Draw(image)
        font = ImageFont.truetype(str(ensure_fonts()["normal"]), 34)
        for number, line in enumerate(lines):
            draw.text((30, 25 + number * 70), line, font=font, fill="black")
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        upload = SimpleUploadedFile("微信聊天截图.png", buffer.getvalue())
        evidence = Evidence.add(case, upload, "image/png", owner, title="与代理的微信聊天截图")
        reader.read_evidence(evidence.pk)  # here and now, so the demo shows what the worker would find
        deposit = OfferedFact.objects.filter(evidence=evidence, kind=OfferedFact.Kind.AMOUNT).first()
        if deposit is not None:
            deposit.confirm(owner)

    def new_case(self, owner, key):
        """The demo case ``key``, or None when it already exists."""
        pk = uuid.uuid5(DEMO_NAMESPACE, key)
        if Case.objects.filter(pk=pk).exists():
            return None
        return Case.open(owner, pk=pk)

    def ensure_cases(self, owner, helper):
        lakala = Provider.objects.get(name="拉卡拉支付股份有限公司")
        rungs = {rung.position: rung for rung in Rung.objects.all()}
        service = Channel.objects.get(code="provider-service")
        policy = PolicyText.for_rung(rungs[1], "zh-hans")
        revision = policy.current if policy else None

        # 1. Just started (a person with no business, two fees): the intake is done, the policy is next.
        if case := self.new_case(owner, "reading-policy"):
            values = intake(lakala, amount=Decimal("199.00"), charge_kind=Charge.Kind.ACTIVATION_FEE, **PERSON)
            case.save_intake(values, owner)
            case.save_charge(
                None,
                {
                    "kind": Charge.Kind.FLOW_FEE,
                    "called": "流量费",
                    "amount": Decimal("49.00"),
                    "period": "每年",
                    "how": Charge.How.DEDUCTED,
                    "taken_on": days_ago(35),
                },
                owner,
            )
            # The seller said the terminal would raise the card's limit: the merchant recorded the pitch.
            case.record_deception("", "提额", owner)

        # 2. Customer service promised a refund three days ago: four days left.
        if case := self.new_case(owner, "waiting-customer-service"):
            case.save_intake(intake(lakala), owner)
            case.record_policy_read(revision, CHECKLIST, owner)
            case.log_step(
                rung=rungs[2],
                channel=service,
                actor=owner,
                started_on=days_ago(3),
                method=Step.Method.PHONE,
                reference="LKL-20261118-0093",
                notes="客服说会在7天内核实并退回押金。",
                outcome=Step.Outcome.PROMISED,
            )
            self.add_read_screenshot(case, owner)

        # 3. A company: customer service's time ran out three days ago, the reminder sweep has something to send.
        if case := self.new_case(owner, "customer-service-lapsed"):
            case.save_intake(intake(lakala, amount=Decimal("399.00"), **COMPANY), owner)
            case.record_policy_read(revision, {**CHECKLIST, "target_met": "no"}, owner)
            case.log_step(
                rung=rungs[2],
                channel=service,
                actor=owner,
                started_on=days_ago(10),
                method=Step.Method.APP,
                reference="APP-5521",
                notes="在App里提交了退押金工单，至今没有处理。",
                outcome=Step.Outcome.PENDING,
            )

        if case:
            # The merchant asked for help; the volunteer took the case and wrote back.
            case.enqueue(Case.QueueReason.HELP_REQUESTED, owner)
            case.take(helper)
            Comment.post(case, helper, "请把App里工单的截图上传为证据，然后寄出书面申请。", Comment.Visibility.MERCHANT)

        # 4. The written application went out by EMS; the institution is late.
        if case := self.new_case(owner, "application-sent"):
            case.save_intake(intake(lakala, amount=Decimal("599.00")), owner)
            case.record_policy_read(revision, CHECKLIST, owner)
            case.log_step(
                rung=rungs[2],
                channel=service,
                actor=owner,
                started_on=days_ago(40),
                method=Step.Method.PHONE,
                outcome=Step.Outcome.REFUSED,
                notes="客服称押金政策由代理商负责，拒绝处理。",
            )
            case.log_step(
                rung=rungs[3],
                actor=owner,
                started_on=days_ago(30),  # 15 days from receipt lapsed well before today, holidays or not
                method=Step.Method.POST,
                reference="EA123456785CN",
                recipient="拉卡拉支付股份有限公司（注册地址）",
            )
            # The complaint to the PBoC branch waits for a volunteer's review.
            case.enter_rung(rungs[4], owner, reason="书面申请已逾期未答复")
            letters.submit_for_review(
                case, letters.find_letter(case, "complaint_financial", "pboc-branch"), "zh-hans", owner
            )

        # 5. A happy ending: refunded after the written application.
        if case := self.new_case(owner, "refunded"):
            case.save_intake(intake(lakala, amount=Decimal("299.00")), owner)
            case.record_policy_read(revision, CHECKLIST, owner)
            case.log_step(
                rung=rungs[2], channel=service, actor=owner, started_on=days_ago(70), outcome=Step.Outcome.REFUSED
            )
            step = case.log_step(
                rung=rungs[3],
                actor=owner,
                started_on=days_ago(60),
                method=Step.Method.POST,
                reference="EA987654321CN",
            )
            step.record_answer(Step.Outcome.REFUNDED, days_ago(50), "收到退款299元。", owner)
            case.resolve(Decimal("299.00"), days_ago(50), rungs[3], owner)

        # 6. The card rate raised without notice: no deposit at all, two trades overcharged, confirmed.
        if case := self.new_case(owner, "rate-hike"):
            case.save_intake(intake(lakala, **RATE_HIKE), owner)
            charge = case.save_charge(
                case.first_charge(),
                {"notice_days": 30, "notice_given": "no", "agreed_rate_source": "商户协议第4条"},
                owner,
            )
            trades = [Trade(days_ago(days), Decimal(amount), Decimal(fee)) for days, amount, fee in RATE_HIKE_TRADES]
            case.save_trades(charge, trades, owner)
            case.confirm_overcharge(charge, charge.computed_overcharge, owner)
            case.record_policy_read(revision, {**CHECKLIST, "target_met": "unsure"}, owner)
            case.log_step(
                rung=rungs[2],
                channel=service,
                actor=owner,
                started_on=days_ago(15),
                method=Step.Method.PHONE,
                outcome=Step.Outcome.REFUSED,
                notes="客服说费率从1月起统一上调，机器归代理商管。",
            )

        # 7. A "free" terminal: 99 yuan in cash to the courier, then a flow fee and a deduction nobody explained.
        if case := self.new_case(owner, "free-terminal"):
            case.save_intake(
                intake(lakala, charged_on=days_ago(120), activation_date=days_ago(121), **FREE_TERMINAL), owner
            )
            for values in (
                {
                    "kind": Charge.Kind.FLOW_FEE,
                    "called": "流量费",
                    "amount": Decimal("49.00"),
                    "taken_on": days_ago(60),
                },
                {
                    "kind": Charge.Kind.OTHER,
                    "called": "",
                    "amount": Decimal("99.00"),
                    "taken_on": days_ago(30),
                    "note": "结算款里少了99元，没有任何说明。",
                },
            ):
                case.save_charge(None, {"how": Charge.How.DEDUCTED, "disclosed": "no", **values}, owner)
            case.record_policy_read(revision, {**CHECKLIST, "target_met": "unsure"}, owner)

    def ensure_group(self, owners):
        """Three merchants sold terminals by the same agent complain together: all agree to the joint filing,
        two show their names, and 王小明 represents them (chosen by himself and 李秀英)."""
        pk = uuid.uuid5(DEMO_NAMESPACE, "group-liu")
        if ComplaintGroup.objects.filter(pk=pk).exists():
            return
        lakala = Provider.objects.get(name="拉卡拉支付股份有限公司")
        cases = [Case.objects.get(pk=uuid.uuid5(DEMO_NAMESPACE, "waiting-customer-service"))]
        for number, (owner, changes) in enumerate(zip(owners[1:], GROUP_MEMBERS, strict=True), 2):
            case = self.new_case(owner, f"group-member-{number}") or Case.objects.get(
                pk=uuid.uuid5(DEMO_NAMESPACE, f"group-member-{number}")
            )
            if not case.intake_completed_at:
                case.save_intake(intake(lakala, **changes), owner)
                upload = SimpleUploadedFile(f"扣款记录{number}.txt", f"押金 {changes['amount']:.0f} 元 已扣".encode())
                Evidence.add(case, upload, "text/plain", owner, title="结算扣款记录")
            cases.append(case)
        group = ComplaintGroup.start(cases[0], ComplaintGroup.Practice.AGENT, "刘经理", owners[0], pk=pk)
        for case, owner in zip(cases[1:], owners[1:], strict=True):
            group.join(case, owner, confirmed=True)
        group.forget()
        members = group.active_list()
        for member, owner in zip(members, owners, strict=True):
            member.set_filing_consent(True, owner)
        for member, owner in zip(members[:2], owners[:2], strict=True):
            member.set_name_consent(True, owner)
        members[0].stand(True, owners[0])
        for member, owner in zip(members[:2], owners[:2], strict=True):
            member.choose(members[0], True, owner)
