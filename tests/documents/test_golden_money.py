"""Golden tests for the cases merchants really report (domain.md §8.7), read back from the PDFs.

A rate hike with no deposit, a "free" terminal paid in cash on delivery with a flow fee and a
deduction nobody explained, a seller who posed as bank staff (and the same case without it), a
full and a partial refund, a complaint without exhibits, and a company's complaint.
"""

import datetime as dt
from decimal import Decimal

import pytest

from cases.models import Case, Step
from cases.overcharge import Trade
from documents import letters
from tests.documents.test_golden_letters import LAKALA, check, contact, every_document, exhibit, pdftotext
from tests.factories import merchant, open_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


PERSON_DETAILS = {
    "sex": "male",
    "birth_date": dt.date(1949, 12, 31),
    "ethnicity": "汉族",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
}


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)


def rate_hike_case(owner, notice_given="no"):
    case = open_case(
        owner,
        obtained_via="official",
        agent_name="",
        amount=None,
        charge_kind="fee_overcharge",
        agreed_rate="0.60%",
        charged_rate="2.00%",
        promise_form="written",
        promised_by="provider",
        category="fees",
    )
    charge = case.save_charge(
        case.first_charge(),
        {"notice_days": 30, "notice_given": notice_given, "agreed_rate_source": "商户协议第4条"},
        owner,
    )
    trades = [
        Trade(dt.date(2026, 10, 20), Decimal("70000.00"), Decimal("1400.00")),
        Trade(dt.date(2026, 11, 14), Decimal("30580.00"), Decimal("611.60")),
    ]
    case.save_trades(charge, trades, owner)
    case.confirm_overcharge(charge, Decimal("1408.12"), owner)
    case.save_party("respondent", LAKALA, owner)
    case.save_party("merchant", PERSON_DETAILS, owner)
    case.save_details({"court_name": "北京市海淀区人民法院"}, owner)
    contact(case, dt.date(2026, 11, 19), answer_notes="客服说费率从1月起统一上调")
    exhibit(case, "结算明细截图")
    case.refresh_from_db()
    return case


def test_a_rate_hike_never_speaks_of_a_deposit_and_claims_the_overcharge_trade_by_trade(ladder, media, tmp_path):
    owner = merchant("rate@example.com", full_name="周九")
    case = rate_hike_case(owner)
    per_trade = ["70,000.001,400.00420.00980.00", "30,580.00611.60183.48428.12"]
    for language, total in (("zh-hans", "多收合计1,408.12"), ("en", "Total overcharged1,408.12")):
        for text in every_document(case, language, tmp_path).values():
            check(text, must=[*per_trade, total], never=["押金", "deposit", "Deposit", "承诺退还"])
            if language == "zh-hans":
                check(
                    text,
                    must=[
                        "约定的刷卡费率为0.60%（商户协议第4条）",
                        "调整费率须提前30日通知",
                        "未收到任何通知",
                        "合同的变更须经当事人协商一致",
                        "《民法典》第543条",
                    ],
                    never=["无人向", "未予标明"],
                )
    zh = every_document(case, "zh-hans", tmp_path)
    check(
        zh[("refund_application", "")],
        must=["退还多收手续费申请书", "将1,408.12元（人民币壹仟肆佰零捌元壹角贰分）退还"],
    )
    check(zh[("civil_complaint", "basic-court")], must=["判令被告向原告支付1,408.12元"], never=["草稿"])


def test_a_rate_hike_after_notice_does_not_claim_the_change_was_unannounced(ladder, media, tmp_path):
    case = rate_hike_case(merchant("told@example.com", full_name="吴十"), notice_given="yes")
    text = every_document(case, "zh-hans", tmp_path)[("refund_application", "")]
    check(text, must=["1,408.12"], never=["未收到任何通知", "未事先通知", "第543条", "押金"])


def test_an_overcharge_waits_for_the_merchant_to_confirm_the_new_total(ladder, media, tmp_path):
    owner = merchant("confirm@example.com", full_name="郑一")
    case = rate_hike_case(owner)
    charge = case.first_charge()
    case.save_trades(charge, [*charge.trade_list, Trade(dt.date(2026, 11, 20), Decimal("1000"), Decimal("20"))], owner)
    case.refresh_from_db()
    charge = case.first_charge()
    assert charge.amount is None and charge.computed_overcharge == Decimal("1422.12")
    application = letters.find_letter(case, "refund_application")
    assert "overcharge_confirmed" in {item.code for item in letters.checklist(case, application, "zh-hans")}
    _html, pdf = letters.render_pdf(case, application, "zh-hans")
    check(pdftotext(pdf, tmp_path), must=["草稿", "请确认按交易算出的多收金额"], never=["1,408.12元（"])
    with pytest.raises(ValueError):
        case.confirm_overcharge(charge, Decimal("1408.12"), owner)  # the total the merchant saw before
    case.confirm_overcharge(charge, Decimal("1422.12"), owner)
    case.refresh_from_db()
    assert letters.checklist(case, application, "zh-hans") == []


def test_a_free_terminal_paid_in_cash_with_a_flow_fee_and_an_unexplained_deduction(ladder, media, tmp_path):
    owner = merchant("free@example.com", full_name="冯二")
    case = open_case(
        owner,
        amount=Decimal("99.00"),
        charge_kind="deposit",
        charge_called="激活押金",
        payment_method="cash_on_delivery",
        charged_on=dt.date(2026, 8, 6),
        promise_form="oral",
        promised_by="agent",
        promise_details="电话里说机器免费送，99元激活押金快递到付，用满三个月退回。",
    )
    case.record_policy_read(None, {"fees_disclosed": "no"}, owner)
    case.save_charge(
        None,
        {
            "kind": "flow_fee",
            "called": "流量费",
            "amount": Decimal("49.00"),
            "how": "deducted_from_settlement",
            "taken_on": dt.date(2026, 10, 5),
            "disclosed": "no",
        },
        owner,
    )
    case.save_charge(
        None,
        {
            "kind": "other",
            "amount": Decimal("99.00"),
            "how": "deducted_from_settlement",
            "taken_on": dt.date(2026, 11, 4),
            "disclosed": "no",
        },
        owner,
    )
    case.save_party("respondent", LAKALA, owner)
    contact(case, dt.date(2026, 11, 10))
    case.refresh_from_db()
    application = every_document(case, "zh-hans", tmp_path)[("refund_application", "")]
    check(
        application,
        must=[
            "在收货时以“激活押金”（押金）名义现金支付99.00元",
            "以“流量费”名义扣除49.00元",
            "又被收取99.00元（人民币玖拾玖元整）（从结算款中直接扣除），申请人不清楚这笔钱的名目",
            "激活押金（押金）99.00—99.00",
            "流量费49.00—49.00",
            "合计247.000.00247.00",
            "代理商曾口头向申请人承诺退还“激活押金”99.00元",
            "收取“激活押金”99.00元、“流量费”49.00元、“其他款项”99.00元前",
            "将247.00元（人民币贰佰肆拾柒元整）退还",
        ],
        # The promise was about the 99 yuan, not about every sum; nothing was deceptive on record.
        never=["承诺退还上述款项", "以“其他款项”名义", "第148条", "欺骗"],
    )


# ----- deception ---------------------------------------------------------------------------------------------


def posed_as_bank_staff(owner, record):
    case = open_case(owner, promise_details="业务员说自己是银行的，办POS机能提额。")
    if record:
        case.record_deception(Case.PosedAs.BANK, "提额", owner)
    case.save_party("respondent", LAKALA, owner)
    contact(case, dt.date(2026, 11, 10))
    case.refresh_from_db()
    return case


def test_letters_state_the_deception_only_when_it_is_recorded(ladder, media, tmp_path):
    deceived = posed_as_bank_staff(merchant("bank@example.com", full_name="陈三"), record=True)
    for text in every_document(deceived, "zh-hans", tmp_path).values():
        check(
            text,
            must=[
                "推销该终端的人自称是银行工作人员，并称办理该终端可以提升",
                "在违背真实意思的情况下",
                "《民法典》第148条",
                "《民法典》第149条",
                "《民法典》第157条",
            ],
        )
    english = every_document(deceived, "en", tmp_path)[("refund_application", "")]
    check(
        english,
        must=["claimed to be a member of a bank's staff", ". The applicant took the terminal", "Civil Code, Art. 148"],
    )
    plain = posed_as_bank_staff(merchant("plain@example.com", full_name="褚四"), record=False)
    for text in every_document(plain, "zh-hans", tmp_path).values():
        check(text, never=["自称是", "欺骗", "欺诈", "第148条", "第149条"])


# ----- refunds ----------------------------------------------------------------------------------------------


def test_a_fully_refunded_case_claims_nothing_and_offers_no_letter(ladder, media, tmp_path):
    owner = merchant("back@example.com", full_name="卫五")
    case = open_case(owner)
    step = contact(case, dt.date(2026, 10, 10), outcome=Step.Outcome.PENDING)
    step.record_answer(Step.Outcome.REFUNDED, dt.date(2026, 10, 20), "收到退款299元", owner)
    assert case.resolve(Decimal("299.00"), dt.date(2026, 10, 20), step.rung, owner) is True
    case.refresh_from_db()
    assert case.first_charge().refunded_amount == Decimal("299.00") and case.claimed_total == 0
    assert case.nothing_owed
    civil = letters.find_letter(case, "civil_complaint", "basic-court")
    assert letters.issue_blocker(case, civil) == "nothing_owed"
    with pytest.raises(letters.LetterBlocked):
        letters.issue(case, civil, "zh-hans", owner)


def test_a_partly_refunded_case_claims_only_what_is_still_owed(ladder, media, tmp_path):
    owner = merchant("part@example.com", full_name="蒋六")
    case = open_case(owner, amount=Decimal("299.00"))
    case.save_charge(
        case.first_charge(),
        {"refunded_amount": Decimal("100.00"), "refunded_on": dt.date(2026, 11, 1)},
        owner,
    )
    case.save_party("respondent", LAKALA, owner)
    case.save_details({"court_name": "北京市海淀区人民法院"}, owner)
    contact(case, dt.date(2026, 10, 10))
    case.refresh_from_db()
    assert not case.nothing_owed
    texts = every_document(case, "zh-hans", tmp_path)
    check(
        texts[("civil_complaint", "basic-court")],
        must=[
            "判令被告向原告支付199.00元",
            "其中100.00元（人民币壹佰元整）已于2026年11月1日退还",
            "合计299.00100.00199.00",
        ],
        never=["支付299.00元"],
    )


def test_a_refund_promised_for_a_day_still_ahead_is_not_yet_a_refusal(ladder, media, tmp_path, time_machine):
    owner = merchant("wait@example.com", full_name="沈七")
    case = open_case(owner)
    contact(case, dt.date(2026, 12, 1), outcome=Step.Outcome.PROMISED, promised_on=dt.date(2026, 12, 10))
    case.save_party("respondent", LAKALA, owner)
    case.refresh_from_db()
    pboc = letters.find_letter(case, "complaint_financial", "pboc-branch")
    application = letters.find_letter(case, "refund_application")
    assert "promise_pending" in {item.code for item in letters.checklist(case, pboc, "zh-hans")}
    assert "promise_pending" not in {item.code for item in letters.checklist(case, application, "zh-hans")}
    _html, pdf = letters.render_pdf(case, pboc, "zh-hans")
    check(pdftotext(pdf, tmp_path), must=["草稿", "对方承诺在2026年12月10日前退款：请等到那一天"])
    time_machine.move_to(dt.datetime(2026, 12, 11, 10, tzinfo=dt.UTC), tick=False)
    case.refresh_from_db()
    assert "promise_pending" not in {item.code for item in letters.checklist(case, pboc, "zh-hans")}


# ----- what a filing window checks ------------------------------------------------------------------------


def test_a_complaint_without_exhibits_is_a_draft_that_says_what_is_missing(ladder, media, tmp_path):
    owner = merchant("noexhibit@example.com", full_name="韩八")
    case = open_case(owner)
    case.save_party("respondent", {"representative": "某某"}, owner)  # no domicile, no credit code
    case.save_details({"court_name": "北京市海淀区人民法院"}, owner)
    contact(case, dt.date(2026, 10, 10))
    case.refresh_from_db()
    civil = letters.find_letter(case, "civil_complaint", "basic-court")
    codes = {item.code for item in letters.checklist(case, civil, "zh-hans")}
    assert {"evidence", "respondent.address", "respondent.credit_code"} <= codes
    _html, pdf = letters.render_pdf(case, civil, "zh-hans")
    check(
        pdftotext(pdf, tmp_path),
        must=[
            "草稿",
            "证据：起诉至少需要协议或扣款记录",
            "被告：住所地（可在国家企业信用信息公示系统www.gsxt.gov.cn按名称查询）",
        ],
        never=["证据清单及证据材料"],  # no "0 items" line
    )
    exhibit(case)
    case.save_party("respondent", LAKALA, owner)
    case.refresh_from_db()
    codes = {item.code for item in letters.checklist(case, civil, "zh-hans")}
    assert not {"evidence", "respondent.address", "respondent.credit_code"} & codes
    _html, pdf = letters.render_pdf(case, civil, "zh-hans")
    check(pdftotext(pdf, tmp_path), must=["证据清单及证据材料1份", "北京市海淀区测试路1号"])


def test_a_company_complaint_has_a_seal_line_and_the_licence_copy(ladder, media, tmp_path):
    owner = merchant("co@example.com", full_name="杨九")
    case = open_case(
        owner,
        merchant_kind="company",
        merchant_name="成都好又多超市有限公司",
        merchant_credit_code="91510107MA62AB3C4P",
        merchant_representative="杨九",
    )
    case.save_party("respondent", LAKALA, owner)
    case.save_party("merchant", {"address": "四川省成都市锦江区测试街3号"}, owner)
    contact(case, dt.date(2026, 10, 10))
    exhibit(case)
    case.refresh_from_db()
    for language, must in (
        ("zh-hans", ["原告（签名、盖章）", "营业执照复印件及法定代表人身份证明书"]),
        ("en", ["Plaintiff (signature and seal)", "Reference translation: the Chinese text is the one to file."]),
    ):
        civil = every_document(case, language, tmp_path)[("civil_complaint", "basic-court")]
        check(civil, must=must, never=["原告：杨九"])
