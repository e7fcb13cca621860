"""Golden tests: every document of seven merchant stories, read back from the PDF with pdftotext.

For each story the text must say what is true for that case, and must not say
what is false for it (a party it does not have, a contact that never happened,
an argument without its fact, a repealed rule).
"""

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Evidence, Party, Step
from documents import letters
from escalation.models import Channel, Rung
from tests.factories import merchant, open_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

LAKALA = {"credit_code": "91110000TE0000001M", "address": "北京市海淀区测试路1号", "representative": "某某"}
AGENT_COMPANY = {
    "kind": "company",
    "name": "成都某某信息技术有限公司",
    "credit_code": "91510100MA6DEM000C",
    "address": "四川省成都市高新区测试大道2号",
    "representative": "刘某",
    "co_respondent": True,
}
# Everywhere, whatever the story: the repealed SAMR order, a channel's name as an addressee, a contact
# claimed without a record, a hard-coded witness line, an empty enclosure.
NEVER = ["暂行办法", "第20号", "中国支付清算协会举报：", "已先行", "无证人", "0份", "None", "{{"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")  # a gettext placeholder left unfilled


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)


def pdftotext(pdf, tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", "", result.stdout.decode())


def every_document(case, language, tmp_path):
    """{(kind, channel code): the text of the document as pdftotext reads it}."""
    texts = {}
    for letter in letters.available_letters(case):
        _html, pdf = letters.render_pdf(case, letter, language)
        texts[(letter.kind, letter.channel_code)] = text = pdftotext(pdf, tmp_path)
        assert len(text) > 300 and case.provider_name in text  # pdftotext read a whole letter
    assert len(texts) == 7  # the application and the six filings
    return texts


def check(text, must=(), never=()):
    for needle in must:
        assert re.sub(r"\s+", "", needle) in text, needle
    for needle in [*NEVER, *never]:
        assert re.sub(r"\s+", "", needle) not in text, needle
    assert not PLACEHOLDER.search(text), PLACEHOLDER.search(text)


def rung(position):
    return Rung.objects.get(position=position)


def contact(case, day, outcome=Step.Outcome.REFUSED, method=Step.Method.PHONE, **extra):
    return case.log_step(
        rung=rung(2),
        channel=Channel.objects.get(code="provider-service"),
        actor=case.owner,
        started_on=day,
        method=method,
        outcome=outcome,
        **extra,
    )


def exhibit(case, title="结算扣款记录"):
    Evidence.add(
        case, SimpleUploadedFile("a.txt", title.encode()), "text/plain", case.owner, title=title, source="银行流水"
    )


# ----- a company merchant -------------------------------------------------------------------------------


def test_a_company_claims_in_its_own_name(ladder, media, tmp_path):
    owner = merchant("boss@example.com", full_name="赵老板", id_number="11010519491231002X")
    case = open_case(
        owner,
        merchant_kind="company",
        merchant_name="成都好又多超市有限公司",
        merchant_credit_code="91510107MA62AB3C4P",
        merchant_representative="赵老板",
        merchant_representative_title="执行董事",
        promise_form="written",
        promised_by="provider",
        promise_target=Decimal("100000"),
        promise_period_months=6,
        volume_reached=Decimal("120000"),
    )
    case.record_policy_read(None, {"target_met": "yes", "fees_disclosed": "yes"}, owner)
    case.save_party("merchant", {"address": "四川省成都市锦江区测试街3号"}, owner)
    case.save_party("respondent", LAKALA, owner)
    case.save_details({"court_name": "成都市锦江区人民法院"}, owner)
    contact(case, dt.date(2026, 10, 10))
    exhibit(case)
    case.refresh_from_db()
    texts = every_document(case, "zh-hans", tmp_path)
    for text in texts.values():
        check(
            text,
            must=[
                "成都好又多超市有限公司",
                "统一社会信用代码：91510107MA62AB3C4P",
                "法定代表人：赵老板，职务：执行董事",
            ],
            never=["公民身份号码", "申请人：赵老板", "原告：赵老板", "投诉人：赵老板"],
        )
        assert "签名、盖章" in text  # a business signs and seals
    civil = texts[("civil_complaint", "basic-court")]
    check(
        civil,
        must=[
            "原告：成都好又多超市有限公司",
            "住所地：四川省成都市锦江区测试街3号",
            "营业执照复印件及法定代表人身份证明书",
        ],
        never=["原告身份证明复印件", "草稿"],
    )
    # A business cannot file a consumer complaint with the market regulator: it reports.
    check(
        texts[("complaint_market", "samr-12315")],
        must=["举报信", "举报人：成都好又多超市有限公司"],
        never=["生活消费需要使用"],
    )


# ----- an individual business with a trade name, and an agent ---------------------------------------------


def test_an_individual_business_claims_by_its_trade_name_with_the_agent_beside_the_institution(ladder, media, tmp_path):
    owner = merchant("wang@example.com", full_name="王堃")
    case = open_case(
        owner,
        merchant_kind="individual_business",
        merchant_name="成都市武侯区王记面馆",
        merchant_trade_name="王记面馆",
        merchant_credit_code="92510107MA62CD7E8P",
        merchant_representative="王堃",
        agent_name="成都某某信息技术有限公司",
    )
    case.save_party(
        "merchant",
        {
            "sex": "male",
            "birth_date": dt.date(1949, 12, 31),
            "ethnicity": "汉族",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "address": "四川省成都市武侯区测试巷4号",
        },
        owner,
    )
    case.save_party("respondent", LAKALA, owner)
    case.save_party("agent", AGENT_COMPANY, owner)
    case.save_details({"court_name": "成都市武侯区人民法院"}, owner)
    contact(case, dt.date(2026, 10, 10), outcome=Step.Outcome.REDIRECTED, answer_notes="客服说请联系服务商")
    exhibit(case)
    case.refresh_from_db()
    texts = every_document(case, "zh-hans", tmp_path)
    civil = texts[("civil_complaint", "basic-court")]
    check(
        civil,
        must=[
            "原告：成都市武侯区王记面馆（个体工商户）",
            "经营者：王堃",
            "经营者性别：男",
            "经营者公民身份号码：11010519491231002X",
            "被告一：拉卡拉支付股份有限公司",
            "被告二：成都某某信息技术有限公司",
            "判令被告一、被告二向原告支付299.00元",
            "本起诉状副本2份",
            "《民事诉讼法解释》第59条",
            "不得将该争议推给代理商处理",
        ],
        never=["原告：王堃", "草稿"],
    )
    check(
        texts[("refund_application", "")],
        must=["申请人：成都市武侯区王记面馆（个体工商户）", "被申请人一：拉卡拉支付股份有限公司"],
    )


# ----- a person with no business, sold a POS, several fees -------------------------------------------------


def test_a_person_with_no_business_and_several_fees(ladder, media, tmp_path):
    owner = merchant("li@example.com", full_name="李四")
    case = open_case(
        owner,
        merchant_kind="person",
        use="personal",
        promise_form="none",
        promised_by="unknown",
        charge_kind="activation_fee",
        charge_called="激活押金",
        amount=Decimal("99.00"),
        payment_method="cash_on_delivery",
        promise_details="电话推销说办POS机能提升信用卡额度",
    )
    case.record_policy_read(None, {"fees_disclosed": "no"}, owner)
    case.save_charge(
        None,
        {"kind": "flow_fee", "called": "流量费", "amount": Decimal("49.00"), "how": "deducted_from_settlement"},
        owner,
    )
    case.save_charge(
        None,
        {"kind": "service_fee", "called": "礼包", "amount": Decimal("299.00"), "refunded_amount": Decimal("100")},
        owner,
    )
    case.save_party("respondent", LAKALA, owner)
    contact(case, dt.date(2026, 10, 10))
    case.refresh_from_db()
    texts = every_document(case, "zh-hans", tmp_path)
    application = texts[("refund_application", "")]
    check(
        application,
        must=[
            "退款申请书",
            "以“激活押金”（激活费）名义现金支付99.00元",  # the seller's word beside what it is
            "以“流量费”名义扣除49.00元",
            "以“礼包”（服务费）名义",
            "其中100.00元（人民币壹佰元整）已退还",
            "合计447.00100.00347.00",
            "将347.00元（人民币叁佰肆拾柒元整）退还",
            "并无经营活动",
            "不得收取任何未予标明的费用",
        ],
        never=["退还押金申请书", "承诺退还", "格式条款", "已满足返还条件", "447.00元（"],
    )
    check(texts[("complaint_market", "samr-12315")], must=["投诉书", "系为生活消费需要", "组织调解"], never=["举报信"])


# ----- an oral promise, and a small-print clause missed by a margin ---------------------------------------------


def test_an_oral_promise_is_argued_as_a_promise_not_as_a_standard_term(ladder, media, tmp_path):
    owner = merchant("zhao@example.com", full_name="赵六")
    case = open_case(
        owner,
        promise_form="oral",
        promised_by="agent",
        promise_target=Decimal("50000"),
        promise_period_months=3,
        volume_reached=Decimal("30000"),
    )
    case.record_policy_read(None, {"target_met": "no", "fees_disclosed": "no"}, owner)
    case.save_party("respondent", LAKALA, owner)
    contact(case, dt.date(2026, 10, 10))
    case.refresh_from_db()
    application = every_document(case, "zh-hans", tmp_path)[("refund_application", "")]
    check(
        application,
        must=["代理商曾口头向申请人承诺退还上述款项", "为目标的60%", "第34条"],
        never=["书面承诺", "格式条款", "第496条", "已满足返还条件"],
    )


def test_a_small_print_clause_missed_by_a_margin_is_argued_as_a_standard_term(ladder, media, tmp_path):
    owner = merchant("sun@example.com", full_name="孙七")
    case = open_case(
        owner,
        promise_form="written",
        promised_by="provider",
        promise_target=Decimal("50000"),
        promise_period_months=3,
        volume_reached=Decimal("41000"),
        promise_source="商户协议第5条",
    )
    case.record_policy_read(None, {"target_met": "no", "fees_disclosed": "no"}, owner)
    case.save_party("respondent", LAKALA, owner)
    contact(case, dt.date(2026, 10, 10))
    case.refresh_from_db()
    application = every_document(case, "zh-hans", tmp_path)[("refund_application", "")]
    check(
        application,
        must=[
            "贵司曾书面承诺退还上述款项",
            "该承诺见于：商户协议第5条",
            "为目标的82%",
            "格式条款",
            "主张该条款不成为合同的内容",
            "《民法典》第496条第2款",
            "《民法典》第497条",
            "《民法典》第498条",
        ],
        never=["已满足返还条件", "口头", "第34条"],  # written: its fee was not "undisclosed"
    )


# ----- no contacts recorded ---------------------------------------------------------------------------


def test_with_no_contact_recorded_no_letter_claims_one(ladder, media, tmp_path):
    owner = merchant("qian@example.com", full_name="钱八")
    case = open_case(owner)
    case.save_party("respondent", LAKALA, owner)
    case.refresh_from_db()
    texts = every_document(case, "zh-hans", tmp_path)
    for text in texts.values():
        check(text, never=["此前", "曾通过以下方式", "联系支付机构客服"])
    # PBoC takes complaints the institution did not settle: the letter is a draft until there was one.
    check(texts[("complaint_financial", "pboc-branch")], must=["草稿", "先向支付机构本身投诉"])
    checklist = letters.checklist(case, letters.find_letter(case, "complaint_financial", "pboc-branch"), "zh-hans")
    assert "prior_complaint" in {item.code for item in checklist}


# ----- an English speaker ------------------------------------------------------------------------------------


def test_an_english_speaker_reads_letters_written_as_a_person_writes(ladder, media, tmp_path):
    owner = merchant("smith@example.com", full_name="John Smith", language="en")
    case = open_case(owner)
    case.save_party(
        "merchant", {"id_type": "passport", "id_number": "E12345678", "address": "成都市武侯区测试路5号"}, owner
    )
    case.save_party("respondent", LAKALA, owner)
    contact(case, dt.date(2026, 10, 10), method=Step.Method.APP, reference="APP-1")
    case.refresh_from_db()
    texts = every_document(case, "en", tmp_path)
    application = texts[("refund_application", "")]
    check(
        application,
        must=[
            "Application for the return of a deposit",
            "Applicant: John Smith",
            "Passport number: E1*****78",
            "10 October 2026: contacted the customer service of the payment institution by in-app chat",
            "The agent told the applicant orally that the money would be returned",
        ],
        never=["通过", "Reference translation", "Citizen ID"],
    )
    pboc = texts[("complaint_financial", "pboc-branch")]
    check(
        pboc,
        must=["中国人民银行四川省分行 (the Sichuan branch of the People's Bank of China)", "Reference translation"],
    )
    assert case.merchant.id_type == Party.IdType.PASSPORT
