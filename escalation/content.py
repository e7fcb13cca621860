"""The ladder's seed content, in Chinese and English, loaded by ``manage.py load_ladder``
(and by ``seed_demo``, which ``make run`` calls).

Every fact comes from ../shared/docs/domain.md with its source and verification
mark; the routing of complaint categories from seed 004. Loading is idempotent
and never overwrites what an admin has edited: rows are found by their natural
key and created only when missing.
"""

from pathlib import Path

from django.db import transaction

from escalation.models import Channel, DeadlineRule, PolicyText, Provider, Rung, Verification

LAW = "LawRefBook (github.com/LawRefBook/Laws @ 2f4c5c2): "
REGULATION = LAW + "行政法规/非银行支付机构监督管理条例(2023-12-09).md"
SAMR_MEASURES = LAW + "部门规章/市场监督管理总局/市场监督管理投诉举报处理暂行办法(2022-03-24).md"
SAMR_121 = "《市场监督管理投诉举报处理办法》国家市场监督管理总局令第121号, in force 2026-04-15 (domain.md §8.1)"

# SAMR Order No. 121 replaced Order No. 20 on 2026-04-15 (domain.md §8.1). Its Art. 3 is checked; its time
# limits are not, so the old order's periods stay as admin-editable defaults marked unverified.
SAMR_DESCRIPTION_ZH = (
    "由被投诉方经营地或住所地的县级市场监管部门处理，可通过全国12315平台、12315热线、App或微信小程序提交。"
    "消费者为生活消费需要与经营者发生的争议可以投诉；把POS机用于经营的商户不是消费者，"
    "可以举报经营者涉嫌违法的行为（如收取未标明的费用、虚假承诺）。"
)
SAMR_DESCRIPTION_EN = (
    "Handled by the county-level market regulator where the respondent operates or is domiciled; file through "
    "the national 12315 platform, the 12315 hotline, app or WeChat mini-program. A consumer's dispute over "
    "personal consumption is a complaint; a merchant who uses the POS for business is not a consumer and may "
    "report the business's suspected breaches (undisclosed fees, false promises)."
)
SAMR_BASIS_ZH = "《市场监督管理投诉举报处理办法》（国家市场监督管理总局令第121号，2026年4月15日起施行）第3条；《消费者权益保护法》第46条"
SAMR_BASIS_EN = (
    "Measures for Handling Complaints and Reports in Market Regulation (SAMR Order No. 121, in force from "
    "15 April 2026), Art. 3; Consumer Protection Law Art. 46"
)
SAMR_ACCEPTANCE_NAME_ZH = "市场监管部门决定是否受理（旧规定7个工作日，待核实）"
SAMR_ACCEPTANCE_NAME_EN = "Market regulator decides whether to accept (7 working days under the old rules; unverified)"
SAMR_ACCEPTANCE_BASIS_ZH = (
    "原《市场监督管理投诉举报处理暂行办法》（已于2026年4月15日废止）规定收到投诉之日起7个工作日内决定是否受理；"
    "现行《市场监督管理投诉举报处理办法》（国家市场监督管理总局令第121号）的受理期限尚未核实，本站暂按7个工作日提醒，请核实现行规定。"
)
SAMR_ACCEPTANCE_BASIS_EN = (
    "The old Interim Measures (repealed on 15 April 2026) gave 7 working days from receipt to decide whether "
    "to accept; the time limit of the current SAMR Order No. 121 is not verified. The app reminds you after "
    "7 working days: check the current rule."
)
SAMR_MEDIATION_NAME_ZH = "市场监管部门调解（旧规定45个工作日，待核实）"
SAMR_MEDIATION_NAME_EN = "Market regulator mediation (45 working days under the old rules; unverified)"
SAMR_MEDIATION_BASIS_ZH = (
    "原《市场监督管理投诉举报处理暂行办法》（已于2026年4月15日废止）规定自受理之日起45个工作日内未达成调解协议的终止调解；"
    "现行《市场监督管理投诉举报处理办法》（国家市场监督管理总局令第121号）修改了调解时限，新期限尚未核实，请核实现行规定。"
)
SAMR_MEDIATION_BASIS_EN = (
    "The old Interim Measures (repealed on 15 April 2026) ended mediation 45 working days after acceptance; "
    "SAMR Order No. 121 changed the mediation time limit and the new one is not verified: check the current rule."
)
CONSUMER_LAW = LAW + "民法商法/消费者权益保护法(2013-10-25).md"
CIVIL_CODE_CONTRACTS = LAW + "民法典/合同编.md"
CIVIL_CODE_GENERAL = LAW + "民法典/总则.md"
CIVIL_PROCEDURE = LAW + "诉讼与非诉讼程序法/民事诉讼法(2023-09-01).md"
CIVIL_PROCEDURE_INTERPRETATION = LAW + "司法解释/最高人民法院关于适用《民事诉讼法》的解释(2022-04-02).md"
COURT_FEES = LAW + "行政法规/诉讼费用交纳办法(2006-12-19).md"
ONLINE_LITIGATION = LAW + "司法解释/人民法院在线诉讼规则(2021-06-16).md"
SHANGHAI_CONSUMER = LAW + "DLC/上海地方法规/地方性法规/上海/上海市消费者权益保护条例.md"
ZHEJIANG_CONSUMER = LAW + "DLC/浙江地方法规/地方性法规/浙江/浙江省实施《消费者权益保护法》办法(2017-03-31).md"
PCAC_2022 = "github.com/LuisChen1Q84/AgentSystem: 知识库/regulation_weixin/收单外包服务机构自律规范.md"
PCAC_2023 = "github.com/LuisChen1Q84/AgentSystem: 知识库/regulation_weixin/关于加强收单外包服务市场规范管理的意见.md"
PBOC_12363 = [
    "http://www.qinghai.gov.cn/zwgk/system/2014/03/20/010107748.shtml",
    "http://www.yixingjingji.com/news/guonei/426807.html",
    "http://m.zgkjsz.com/page/2014/0815/21069842.shtml",
]
PBOC_MEASURES = [
    "http://www.xqexn.cn/en/3688241/3688711/3688714/4101097/index.html",
    "https://www.appinchina.co/government-documents/implementing-measures-of-the-peoples-bank-of-china-for-protection-of-financial-consumers-rights-and-interests-2/",
]
PBOC_15_DAYS = "https://qianlo.com/view/11609-7.html"
NFRA = [
    "https://english.www.gov.cn/news/202305/18/content_WS6465bd1ac6d03ffcca6ed27f.html",
    "https://www.dataiw.cn/changshi/358585.html",
    "https://szcga.com/zhengceinfo.asp?ID=1173",
]
PCAC_REPORT = "https://freewechat.com/a/MjM5ODMxNzY0MA==/2650919569/5"
PLATFORMS = ["http://dypos.net/news/935.html", "https://www.posbl8.com/news/13930.html"]
SMALL_CLAIMS_FEE_NOTE = "domain.md §2(e), §7 item 11 (25 yuan inferred from the halving rule)"


def lines(*items):
    return "\n".join(items)


RUNGS = [
    {
        "position": 1,
        "code": Rung.Code.READ_POLICY,
        "title_zh": "了解政策",
        "title_en": "Read the policy",
        "summary_zh": "先把规则弄清楚：找出商户协议、收费说明和代理商当初的承诺，确认这笔钱在什么条件下退还、约定的费率是多少，以及您是否已经满足这些条件。",
        "summary_en": (
            "Get the rules straight first: find the merchant agreement, the fee disclosure and what the agent "
            "promised, and check when the money taken is to be returned, or what rate was agreed, and whether you have met "
            "those conditions."
        ),
        "prepare_zh": lines(
            "商户协议或入网协议（纸质版，或App里的电子版截图）",
            "收费说明、费率公示的截图",
            "代理商承诺返还的聊天记录、宣传单或海报",
            "激活日期和扣款记录（结算明细）",
            "交易流水：证明已达到约定的交易量",
        ),
        "prepare_en": lines(
            "The merchant or network-access agreement (paper, or screenshots of the in-app version)",
            "Screenshots of the fee list or rate disclosure",
            "Chats, flyers or posters in which the agent promised the refund",
            "The activation date and the deduction records (settlement statements)",
            "Your transaction history, showing the promised volume was reached",
        ),
    },
    {
        "position": 2,
        "code": Rung.Code.CUSTOMER_SERVICE,
        "title_zh": "联系客服",
        "title_en": "Contact customer service",
        "summary_zh": "直接联系持牌支付机构本身（不只是代理商）的客服，说清商户号、终端编号、遇到的问题和您的诉求，并记下工单号。",
        "summary_en": (
            "Contact the licensed payment institution itself, not only the agent: give your merchant number and "
            "terminal serial number, say what happened and what you want, and note the ticket number."
        ),
        "prepare_zh": lines(
            "商户号和终端SN号（机身背面或App里可以查到）",
            "开通时登记的姓名和手机号",
            "扣款记录和交易流水",
            "之前与代理商沟通的记录",
        ),
        "prepare_en": lines(
            "Your merchant number and the terminal serial number (on the back of the device or in the app)",
            "The name and mobile number you registered with",
            "Deduction records and transaction history",
            "Earlier messages with the agent",
        ),
    },
    {
        "position": 3,
        "code": Rung.Code.WRITTEN_APPLICATION,
        "title_zh": "书面申请",
        "title_en": "Written application",
        "summary_zh": "向支付机构的注册地址或官方邮箱寄送书面退款申请，写明事实、依据、请求和答复期限。书面催告会使诉讼时效重新计算，请务必保留寄送和签收凭证。",
        "summary_en": (
            "Send a written refund application to the institution's registered address or official email, "
            "stating the facts, the legal basis, your request and a reply deadline. A written demand restarts "
            "the limitation period, so keep proof of sending and delivery."
        ),
        "prepare_zh": lines(
            "书面退款申请书（本站可生成）",
            "附件：协议、扣款记录、承诺截图、交易流水的复印件",
            "EMS快递单号及签收记录，或电子邮件的发送记录",
        ),
        "prepare_en": lines(
            "The refund application letter (this site writes it)",
            "Attachments: copies of the agreement, deduction records, the promise and the transaction history",
            "The EMS tracking number and delivery record, or the sent email",
        ),
    },
    {
        "position": 4,
        "code": Rung.Code.THIRD_PARTY,
        "title_zh": "第三方投诉",
        "title_en": "Third-party complaint",
        "summary_zh": "支付机构拒绝处理、逾期不答复或答复不满意时，可以向中国人民银行当地分行（12363）投诉，也可以向国家金融监督管理总局（12378）、中国支付清算协会、12315或消费者协会反映，或在投诉平台发帖施压。",
        "summary_en": (
            "If the institution refuses, does not answer in time or answers unsatisfactorily, complain to the "
            "local branch of the People's Bank of China (12363); you may also turn to NFRA (12378), the Payment "
            "& Clearing Association, 12315 or the consumer association, or post on a complaint platform."
        ),
        "prepare_zh": lines(
            "前面各步的记录：联系日期、工单号、申请书和寄送凭证",
            "身份证件",
            "全部证据（协议、扣款记录、承诺截图、交易流水）",
        ),
        "prepare_en": lines(
            "The record of the earlier rungs: contact dates, ticket numbers, the application and proof of delivery",
            "Your ID",
            "All evidence (agreement, deductions, the promise, transaction history)",
        ),
    },
    {
        "position": 5,
        "code": Rung.Code.LITIGATION,
        "title_zh": "法律途径",
        "title_en": "Litigation or arbitration",
        "summary_zh": "向有管辖权的基层人民法院起诉（金额不大时通常适用小额诉讼程序），或者按照协议中的仲裁条款申请仲裁。诉讼时效一般为三年。",
        "summary_en": (
            "Sue at the competent basic people's court (small sums usually go through the small-claims "
            "procedure), or start arbitration if your agreement has an arbitration clause. The limitation period "
            "is usually three years."
        ),
        "prepare_zh": lines(
            "民事起诉状正本，以及按被告人数准备的副本",
            "身份证复印件",
            "证据清单和证据材料",
            "诉讼费（1万元以下的案件每件50元，适用简易程序减半）",
        ),
        "prepare_en": lines(
            "The civil complaint, plus one copy for each defendant",
            "A copy of your ID card",
            "The evidence list and the evidence",
            "The court fee (50 yuan for a claim up to 10,000 yuan, halved under the simplified procedure)",
        ),
    },
]

CHANNELS = [
    {
        "code": "provider-service",
        "rung": 2,
        "kind": Channel.Kind.PROVIDER,
        "position": 1,
        "name_zh": "支付机构客服",
        "name_en": "The provider's customer service",
        "description_zh": "持牌支付机构（收单机构）本身。它对商户投诉负首要处理责任，不能把争议处理甩给代理商。",
        "description_en": (
            "The licensed payment institution (the acquirer) itself. It carries primary responsibility for "
            "merchant complaints and may not hand disputes over to its agents."
        ),
        "contact": "",
        "eligibility": Channel.Eligibility.ANYONE,
        "legal_basis_zh": "《非银行支付机构监督管理条例》第35条（支付机构承担投诉处理主体责任）；中国支付清算协会2023年意见（收单机构不得将差错和争议处理外包）",
        "legal_basis_en": (
            "Regulation on the Supervision of Non-bank Payment Institutions, Art. 35 (primary responsibility for "
            "complaints); PCAC 2023 opinion (acquirers may not outsource error and dispute handling)"
        ),
        "sources": lines(REGULATION, PCAC_2023),
        "verification": Verification.PRIMARY,
    },
    {
        "code": "pboc-branch",
        "rung": 4,
        "kind": Channel.Kind.FINANCIAL_REGULATOR,
        "position": 1,
        "name_zh": "中国人民银行分行（12363）",
        "name_en": "People's Bank of China branch (12363)",
        "description_zh": "支付机构的监管部门。拨打12363（属地接听、属地受理），或写信给所在省（市）的中国人民银行分行。原则上须先向支付机构投诉。",
        "description_en": (
            "The supervisor of payment institutions. Call 12363 (answered and handled locally) or write to the "
            "PBoC branch of your province. In principle you must complain to the institution first."
        ),
        "contact": "12363",
        "working_hours_zh": "工作日约8:30–11:30、13:30–17:00，各省不同",
        "working_hours_en": "Working days, roughly 8:30–11:30 and 13:30–17:00; varies by province",
        "eligibility": Channel.Eligibility.NATURAL_PERSON,
        "requires_prior_complaint": True,
        "filing": Channel.Filing.FINANCIAL,
        "legal_basis_zh": "《非银行支付机构监督管理条例》第4条（人民银行监管非银行支付机构）；《中国人民银行金融消费者权益保护实施办法》（2020）",
        "legal_basis_en": (
            "Regulation on Non-bank Payment Institutions, Art. 4 (PBoC supervises them); PBoC Measures on "
            "Financial Consumer Protection (2020)"
        ),
        "sources": lines(REGULATION, *PBOC_MEASURES, *PBOC_12363),
        "verification": Verification.SECONDARY,
    },
    {
        "code": "nfra-12378",
        "rung": 4,
        "kind": Channel.Kind.BANKING_REGULATOR,
        "position": 2,
        "name_zh": "国家金融监督管理总局（12378）",
        "name_en": "National Financial Regulatory Administration (12378)",
        "description_zh": "2023年机构改革后统筹负责金融消费者权益保护，主要处理银行和保险机构的投诉；人民银行渠道没有结果时可作为备选。",
        "description_en": (
            "Since the 2023 reform it leads financial consumer protection, mainly for banks and insurers; an "
            "alternative when the PBoC route brings no result."
        ),
        "contact": "12378",
        "eligibility": Channel.Eligibility.NATURAL_PERSON,
        "filing": Channel.Filing.FINANCIAL,
        "legal_basis_zh": "2023年党和国家机构改革方案（金融消费者保护职责划入国家金融监督管理总局）",
        "legal_basis_en": "2023 institutional reform (financial consumer protection moved to NFRA)",
        "sources": lines(*NFRA),
        "verification": Verification.SECONDARY,
    },
    {
        "code": "pcac-report",
        "rung": 4,
        "kind": Channel.Kind.INDUSTRY_ASSOCIATION,
        "position": 3,
        "name_zh": "中国支付清算协会举报",
        "name_en": "Payment & Clearing Association of China: report",
        "description_zh": "行业自律组织的举报渠道，可以对会员单位进行自律惩戒，但不是纠纷解决机构，不一定能让您拿回钱。适合作为辅助施压手段。",
        "description_en": (
            "The self-regulator's reporting channel. It can discipline its members but does not resolve "
            "disputes, so it will not necessarily get your money back: use it as added pressure."
        ),
        "contact": "jubao@pcac.org.cn；010-66001918（2016年资料，可能已变更）",
        "web_address": "https://jubao.pcac.org.cn",
        "eligibility": Channel.Eligibility.ANYONE,
        "pressure_only": True,
        "filing": Channel.Filing.ASSOCIATION,
        "legal_basis_zh": "《收单外包服务机构自律规范（试行）》第18、20、24条；《关于加强收单外包服务市场规范管理的意见》（2023）",
        "legal_basis_en": "PCAC self-regulatory rules for acquiring outsourcers (2022) Arts. 18, 20, 24; PCAC 2023 opinion",
        "sources": lines(PCAC_REPORT, PCAC_2022, PCAC_2023, "https://m.3838pk.com/news/33914.html"),
        "verification": Verification.UNVERIFIED,
    },
    {
        "code": "samr-12315",
        "rung": 4,
        "kind": Channel.Kind.MARKET_REGULATOR,
        "position": 4,
        "name_zh": "市场监管部门（12315）",
        "name_en": "Market regulator (12315)",
        "description_zh": SAMR_DESCRIPTION_ZH,
        "description_en": SAMR_DESCRIPTION_EN,
        "contact": "12315",
        "web_address": "https://www.12315.cn",
        "eligibility": Channel.Eligibility.CONSUMER,
        "filing": Channel.Filing.MARKET,
        "legal_basis_zh": SAMR_BASIS_ZH,
        "legal_basis_en": SAMR_BASIS_EN,
        "sources": lines(SAMR_121, CONSUMER_LAW, "https://www.dhap.com.cn/info/23231/5026363.htm"),
        "verification": Verification.PRIMARY,
    },
    {
        "code": "consumer-association",
        "rung": 4,
        "kind": Channel.Kind.CONSUMER_ASSOCIATION,
        "position": 5,
        "name_zh": "当地消费者协会",
        "name_en": "Local consumer association",
        "description_zh": "受理消费者投诉并进行调查、调解；市场监管部门也可以委托消协调解。同样只适用于生活消费，办理时限由地方规定。",
        "description_en": (
            "Accepts consumer complaints, investigates and mediates; the market regulator may also hand "
            "mediation to it. Again for personal consumption only; time limits are set locally."
        ),
        "contact": "当地消协热线，或经12315转办",
        "eligibility": Channel.Eligibility.CONSUMER,
        "filing": Channel.Filing.MARKET,
        "legal_basis_zh": "《消费者权益保护法》第2、37、39条；各地消费者权益保护条例（如上海第56条、浙江第32条）",
        "legal_basis_en": "Consumer Protection Law Arts. 2, 37, 39; local regulations (e.g. Shanghai Art. 56, Zhejiang Art. 32)",
        "sources": lines(CONSUMER_LAW, SHANGHAI_CONSUMER, ZHEJIANG_CONSUMER),
        "verification": Verification.PRIMARY,
    },
    {
        "code": "heimao",
        "rung": 4,
        "kind": Channel.Kind.PLATFORM,
        "position": 6,
        "name_zh": "黑猫投诉（新浪）",
        "name_en": "Heimao Tousu (Sina)",
        "description_zh": "民营投诉平台，没有法定处理时限，但不少机构会回应平台上的投诉。帖子公开可见，请遮去身份证号、手机号和商户号。",
        "description_en": (
            "A private complaint platform with no legal deadline, though many providers answer there. Posts are "
            "public: hide your ID number, phone and merchant number."
        ),
        "web_address": "https://tousu.sina.com.cn",
        "eligibility": Channel.Eligibility.ANYONE,
        "pressure_only": True,
        "legal_basis_zh": "无（民营平台）",
        "legal_basis_en": "None (private platform)",
        "sources": lines(*PLATFORMS),
        "verification": Verification.UNVERIFIED,
    },
    {
        "code": "jutousu",
        "rung": 4,
        "kind": Channel.Kind.PLATFORM,
        "position": 7,
        "name_zh": "聚投诉（21CN）",
        "name_en": "Jutousu (21CN)",
        "description_zh": "民营投诉平台，没有法定处理时限。帖子公开可见，请遮去个人信息。",
        "description_en": "A private complaint platform with no legal deadline. Posts are public: hide personal data.",
        "web_address": "https://ts.21cn.com",
        "eligibility": Channel.Eligibility.ANYONE,
        "pressure_only": True,
        "legal_basis_zh": "无（民营平台）",
        "legal_basis_en": "None (private platform)",
        "sources": lines(*PLATFORMS),
        "verification": Verification.UNVERIFIED,
    },
    {
        "code": "basic-court",
        "rung": 5,
        "kind": Channel.Kind.COURT,
        "position": 1,
        "name_zh": "基层人民法院（小额诉讼）",
        "name_en": "Basic people's court (small claims)",
        "description_zh": "向被告住所地或合同履行地的基层人民法院起诉；争议标的为给付货币的，接收货币一方所在地视为合同履行地（协议另有有效约定的除外）。可以到院、邮寄或通过「人民法院在线服务」小程序立案。",
        "description_en": (
            "Sue at the basic people's court where the defendant is domiciled or where the contract is performed; "
            "for a sum of money, the receiving party's location counts as the place of performance unless the "
            "agreement validly says otherwise. File in person, by post or through the 人民法院在线服务 "
            "mini-program."
        ),
        "contact": "到院立案、邮寄立案，或「人民法院在线服务」微信小程序",
        "eligibility": Channel.Eligibility.ANYONE,
        "filing": Channel.Filing.CIVIL,
        "legal_basis_zh": "《民事诉讼法》第24、122–124、126、165–168条；民诉法解释第18、31、271–281条；《诉讼费用交纳办法》第13、15、16、22条；《人民法院在线诉讼规则》",
        "legal_basis_en": (
            "Civil Procedure Law Arts. 24, 122–124, 126, 165–168; its Interpretation Arts. 18, 31, 271–281; "
            "Measures on Litigation Fees Arts. 13, 15, 16, 22; Online Litigation Rules"
        ),
        "sources": lines(CIVIL_PROCEDURE, CIVIL_PROCEDURE_INTERPRETATION, COURT_FEES, ONLINE_LITIGATION),
        "verification": Verification.PRIMARY,
    },
    {
        "code": "arbitration",
        "rung": 5,
        "kind": Channel.Kind.ARBITRATION,
        "position": 2,
        "name_zh": "仲裁委员会（协议约定）",
        "name_en": "Arbitration commission (as agreed)",
        "description_zh": "商户协议中有有效仲裁条款的，法院会告知向仲裁机构申请仲裁。程序和期限按所约定仲裁委员会的规则办理（本站尚未整理）。",
        "description_en": (
            "If the merchant agreement has a valid arbitration clause, the court will send you to arbitration. "
            "Procedure and time limits follow the named commission's rules (not yet researched here)."
        ),
        "eligibility": Channel.Eligibility.ANYONE,
        "legal_basis_zh": "《民事诉讼法》第127条第2项；《非银行支付机构监督管理条例》第35条（鼓励调解、仲裁）",
        "legal_basis_en": "Civil Procedure Law Art. 127(2); Regulation on Non-bank Payment Institutions Art. 35",
        "sources": lines(CIVIL_PROCEDURE, REGULATION),
        "verification": Verification.PRIMARY,
    },
]

# Each rule belongs to a rung (by position) or to a channel (by code).
DEADLINE_RULES = [
    {
        "code": "customer-service",
        "rung": 2,
        "name_zh": "客服答复（本站默认7天）",
        "name_en": "Customer service reply (app default: 7 days)",
        "amount": 7,
        "unit": DeadlineRule.Unit.CALENDAR_DAYS,
        "starts_on": DeadlineRule.Start.SENT,
        "legal_basis_zh": "首次联系客服没有法定答复期限，7天是本站的默认值，不是法律规定。",
        "legal_basis_en": "No statute sets a reply time for a first contact; 7 days is this app's default, not law.",
        "sources": "domain.md §6 (rung 2)",
        "verification": Verification.APP_DEFAULT,
    },
    {
        "code": "written-application",
        "rung": 3,
        "name_zh": "书面申请答复（本站默认：收到后15天）",
        "name_en": "Reply to the written application (app default: 15 days from receipt)",
        "amount": 15,
        "unit": DeadlineRule.Unit.CALENDAR_DAYS,
        "starts_on": DeadlineRule.Start.DELIVERED,
        "legal_basis_zh": "法律没有规定答复期限；申请书请对方自收到之日起15日内答复，15天参照人民银行转办投诉的15日答复规则，是本站默认值，不是法律规定。寄出的书面催告使诉讼时效中断、重新计算（《民法典》第195条）。",
        "legal_basis_en": (
            "No statute fixes a reply time; the application asks for an answer within 15 days of receipt, which "
            "mirrors PBoC's 15-day rule for forwarded complaints and is this app's default, not law. A written "
            "demand interrupts and restarts the limitation period (Civil Code Art. 195)."
        ),
        "sources": lines("domain.md §6 (rung 3)", PBOC_15_DAYS, CIVIL_CODE_GENERAL),
        "verification": Verification.APP_DEFAULT,
    },
    {
        "code": "pboc-forwarded-reply",
        "channel": "pboc-branch",
        "name_zh": "人民银行转办投诉的答复（15日，最长60日）",
        "name_en": "Reply to a complaint forwarded by PBoC (15 days, at most 60)",
        "amount": 15,
        "maximum": 60,
        "unit": DeadlineRule.Unit.CALENDAR_DAYS,
        "starts_on": DeadlineRule.Start.DELIVERED,
        "legal_basis_zh": "金融机构应自收到人民银行分支机构转办投诉之日起15日内答复；情况复杂的经批准可以延长并告知理由，最长60日。该规定的确切条文及其对支付机构的适用尚未核实。",
        "legal_basis_en": (
            "The institution replies within 15 days of receiving a complaint forwarded by a PBoC branch; complex "
            "cases may be extended with notice, to 60 days at most. The exact article and its application to "
            "payment institutions are not verified."
        ),
        "sources": lines(PBOC_15_DAYS, *PBOC_MEASURES),
        "verification": Verification.SECONDARY,
    },
    {
        "code": "nfra-reply",
        "channel": "nfra-12378",
        "name_zh": "12378答复（据称约15个工作日，未核实）",
        "name_en": "12378 reply (said to be about 15 working days; unverified)",
        "amount": 15,
        "unit": DeadlineRule.Unit.WORKING_DAYS,
        "starts_on": DeadlineRule.Start.SENT,
        "legal_basis_zh": "有资料称12378一般15个工作日内答复，未经核实，仅作提醒用的默认值。",
        "legal_basis_en": "One source claims 12378 usually replies within 15 working days; unverified, a reminder default only.",
        "sources": lines(NFRA[2]),
        "verification": Verification.UNVERIFIED,
    },
    {
        "code": "pcac-acceptance",
        "channel": "pcac-report",
        "name_zh": "支付清算协会告知是否受理（5个工作日）",
        "name_en": "PCAC says whether it accepts the report (5 working days)",
        "amount": 5,
        "unit": DeadlineRule.Unit.WORKING_DAYS,
        "starts_on": DeadlineRule.Start.SENT,
        "escalation_unlocks": DeadlineRule.Unlock.ANYTIME,
        "legal_basis_zh": "协会2016年举报奖励办法：5个工作日内告知是否受理；调查30个工作日，复杂的最长60个工作日。现行规则未核实。",
        "legal_basis_en": (
            "PCAC's 2016 reporting rules: acceptance within 5 working days; investigation 30 working days, at "
            "most 60. Whether they still apply is unverified."
        ),
        "sources": PCAC_REPORT,
        "verification": Verification.SECONDARY,
    },
    {
        "code": "pcac-investigation",
        "channel": "pcac-report",
        "is_primary": False,
        "name_zh": "支付清算协会调查（30个工作日，最长60个）",
        "name_en": "PCAC investigation (30 working days, at most 60)",
        "amount": 30,
        "maximum": 60,
        "unit": DeadlineRule.Unit.WORKING_DAYS,
        "starts_on": DeadlineRule.Start.ACCEPTED,
        "escalation_unlocks": DeadlineRule.Unlock.ANYTIME,
        "legal_basis_zh": "协会2016年举报奖励办法。",
        "legal_basis_en": "PCAC's 2016 reporting rules.",
        "sources": PCAC_REPORT,
        "verification": Verification.SECONDARY,
    },
    {
        "code": "samr-acceptance",
        "channel": "samr-12315",
        "name_zh": SAMR_ACCEPTANCE_NAME_ZH,
        "name_en": SAMR_ACCEPTANCE_NAME_EN,
        "amount": 7,
        "unit": DeadlineRule.Unit.WORKING_DAYS,
        "starts_on": DeadlineRule.Start.DELIVERED,
        "legal_basis_zh": SAMR_ACCEPTANCE_BASIS_ZH,
        "legal_basis_en": SAMR_ACCEPTANCE_BASIS_EN,
        "sources": lines(SAMR_121, SAMR_MEASURES),
        "verification": Verification.UNVERIFIED,
    },
    {
        "code": "samr-mediation",
        "channel": "samr-12315",
        "is_primary": False,
        "name_zh": SAMR_MEDIATION_NAME_ZH,
        "name_en": SAMR_MEDIATION_NAME_EN,
        "amount": 45,
        "unit": DeadlineRule.Unit.WORKING_DAYS,
        "starts_on": DeadlineRule.Start.ACCEPTED,
        "legal_basis_zh": SAMR_MEDIATION_BASIS_ZH,
        "legal_basis_en": SAMR_MEDIATION_BASIS_EN,
        "sources": lines(SAMR_121, SAMR_MEASURES),
        "verification": Verification.UNVERIFIED,
    },
    {
        "code": "consumer-association",
        "channel": "consumer-association",
        "name_zh": "消协处理（本站默认：10个工作日提醒，60日后可升级）",
        "name_en": "Consumer association (app default: remind at 10 working days, escalate after 60 days)",
        "amount": 10,
        "unit": DeadlineRule.Unit.WORKING_DAYS,
        "starts_on": DeadlineRule.Start.SENT,
        "legal_basis_zh": "全国没有统一的法定时限，由地方规定，例如上海调解60日内完成、经双方同意可延长30日；浙江5个工作日内决定是否受理、受理后10个工作日内调解。",
        "legal_basis_en": (
            "No national deadline; local rules apply, e.g. Shanghai: mediation within 60 days, plus 30 with "
            "both sides' consent; Zhejiang: accept within 5 working days, mediate within 10 working days."
        ),
        "sources": lines("domain.md §2(c)", SHANGHAI_CONSUMER, ZHEJIANG_CONSUMER),
        "verification": Verification.APP_DEFAULT,
    },
    {
        "code": "consumer-association-escalate",
        "channel": "consumer-association",
        "is_primary": False,
        "name_zh": "消协处理超过60日（本站默认）",
        "name_en": "Consumer association after 60 days (app default)",
        "amount": 60,
        "unit": DeadlineRule.Unit.CALENDAR_DAYS,
        "starts_on": DeadlineRule.Start.SENT,
        "legal_basis_zh": "本站建议：60日仍无结果时考虑升级。",
        "legal_basis_en": "This app's suggestion: consider escalating after 60 days without a result.",
        "sources": "domain.md §2(c)",
        "verification": Verification.APP_DEFAULT,
    },
    {
        "code": "platform-follow-up",
        "channel": "heimao",
        "name_zh": "平台投诉跟进（本站默认7天）",
        "name_en": "Platform complaint follow-up (app default: 7 days)",
        "amount": 7,
        "unit": DeadlineRule.Unit.CALENDAR_DAYS,
        "starts_on": DeadlineRule.Start.SENT,
        "escalation_unlocks": DeadlineRule.Unlock.ANYTIME,
        "legal_basis_zh": "投诉平台没有法定时限；7天后提醒您查看回复。",
        "legal_basis_en": "Platforms have no legal deadline; you are reminded to check for a reply after 7 days.",
        "sources": "domain.md §1.7",
        "verification": Verification.APP_DEFAULT,
    },
    {
        "code": "platform-follow-up-jutousu",
        "channel": "jutousu",
        "name_zh": "平台投诉跟进（本站默认7天）",
        "name_en": "Platform complaint follow-up (app default: 7 days)",
        "amount": 7,
        "unit": DeadlineRule.Unit.CALENDAR_DAYS,
        "starts_on": DeadlineRule.Start.SENT,
        "escalation_unlocks": DeadlineRule.Unlock.ANYTIME,
        "legal_basis_zh": "投诉平台没有法定时限；7天后提醒您查看回复。",
        "legal_basis_en": "Platforms have no legal deadline; you are reminded to check for a reply after 7 days.",
        "sources": "domain.md §1.7",
        "verification": Verification.APP_DEFAULT,
    },
    {
        "code": "court-filing",
        "channel": "basic-court",
        "name_zh": "法院决定是否立案（7日）",
        "name_en": "Court decides whether to register the case (7 days)",
        "amount": 7,
        "unit": DeadlineRule.Unit.CALENDAR_DAYS,
        "starts_on": DeadlineRule.Start.DELIVERED,
        "legal_basis_zh": "《民事诉讼法》第126条：符合起诉条件的，应当在7日内立案；不符合的，7日内作出裁定书。另见《最高人民法院关于人民法院登记立案若干问题的规定》第8条。",
        "legal_basis_en": (
            "Civil Procedure Law Art. 126: a complying complaint is registered within 7 days; otherwise a ruling "
            "is made within 7 days. Also SPC rules on case registration (2015) Art. 8."
        ),
        "sources": CIVIL_PROCEDURE,
        "verification": Verification.PRIMARY,
    },
    {
        "code": "small-claims-conclusion",
        "channel": "basic-court",
        "is_primary": False,
        "name_zh": "小额诉讼审结（2个月，可延长1个月）",
        "name_en": "Small-claims judgment (2 months, plus 1 with approval)",
        "amount": 2,
        "maximum": 3,
        "unit": DeadlineRule.Unit.MONTHS,
        "starts_on": DeadlineRule.Start.ACCEPTED,
        "legal_basis_zh": "《民事诉讼法》第168条：小额诉讼案件应当在立案之日起2个月内审结，经院长批准可以延长1个月。",
        "legal_basis_en": (
            "Civil Procedure Law Art. 168: small-claims cases are concluded within 2 months of registration, "
            "extendable by 1 month with the court president's approval."
        ),
        "sources": CIVIL_PROCEDURE,
        "verification": Verification.PRIMARY,
    },
    {
        "code": "court-fee-prepayment",
        "channel": "basic-court",
        "is_primary": False,
        "name_zh": "预交诉讼费（收到通知后7日）",
        "name_en": "Prepay the court fee (7 days after the notice)",
        "amount": 7,
        "unit": DeadlineRule.Unit.CALENDAR_DAYS,
        "starts_on": DeadlineRule.Start.DELIVERED,
        "remind_days_before": 3,
        "legal_basis_zh": "《诉讼费用交纳办法》第22条：原告自接到预交通知次日起7日内交纳；经通知仍不预交的，按撤诉处理（民诉法解释第213条）。",
        "legal_basis_en": (
            "Measures on Litigation Fees Art. 22: prepay within 7 days of the notice; an unpaid fee after notice "
            "counts as withdrawal (Interpretation Art. 213)."
        ),
        "sources": lines(COURT_FEES, CIVIL_PROCEDURE_INTERPRETATION),
        "verification": Verification.PRIMARY,
    },
    {
        "code": "limitation",
        "rung": 5,
        "is_primary": False,
        "name_zh": "诉讼时效（3年，书面催告后重新计算）",
        "name_en": "Limitation period (3 years, restarted by a written demand)",
        "amount": 3,
        "unit": DeadlineRule.Unit.YEARS,
        "starts_on": DeadlineRule.Start.HARM_KNOWN,
        "remind_days_before": 90,
        "repeat_every_days": 0,
        "legal_basis_zh": "《民法典》第188条：诉讼时效期间为3年，自知道或者应当知道权利受到损害以及义务人之日起计算；第195条：权利人向义务人提出履行请求的，诉讼时效中断，重新计算。",
        "legal_basis_en": (
            "Civil Code Art. 188: 3 years from when you knew or should have known of the harm and of the obligor; "
            "Art. 195: a demand for performance interrupts the period, which then starts again."
        ),
        "sources": CIVIL_CODE_GENERAL,
        "verification": Verification.PRIMARY,
    },
]

PROVIDERS = [
    {
        "name": "拉卡拉支付股份有限公司",
        "short_name_zh": "拉卡拉",
        "short_name_en": "Lakala",
        "sources": lines(
            "domain.md §6 (rung 2)",
            "https://bobomg.com/a/la-qia-la-lian-xu-liang-yue-bei-yang-xing-chu-fa-gong-fa-kuan-jin-726mo-yuan.html",
        ),
    },
    {"name": "银联商务股份有限公司", "short_name_zh": "银联商务", "short_name_en": "China UMS"},
    {"name": "通联支付网络服务股份有限公司", "short_name_zh": "通联支付", "short_name_en": "Allinpay"},
    {"name": "上海盛付通电子支付服务有限公司", "short_name_zh": "盛付通", "short_name_en": "Shengpay"},
]

POLICY_DIR = Path(__file__).resolve().parent / "policies"


def policy_files():
    """Yield (rung position, language, title, body) for each seed policy text in ``policies/``."""
    for path in sorted(POLICY_DIR.glob("*.md")):
        position, language = path.stem.split(".", 1)
        heading, _, body = path.read_text(encoding="utf-8").partition("\n")
        yield int(position), language, heading.removeprefix("# ").strip(), body.strip() + "\n"


@transaction.atomic
def load_ladder():
    """Create whatever ladder content is missing; return how many rows were created.

    Existing rows are left alone, so an admin's edits survive every reload.
    """
    created = 0
    rungs = {}
    for fields in RUNGS:
        fields = dict(fields)
        rung, was_created = Rung.objects.get_or_create(code=fields.pop("code"), defaults=fields)
        rungs[rung.position] = rung
        created += was_created
    channels = {}
    for fields in CHANNELS:
        fields = dict(fields)
        fields["rung"] = rungs[fields["rung"]]
        channel, was_created = Channel.objects.get_or_create(code=fields.pop("code"), defaults=fields)
        channels[channel.code] = channel
        created += was_created
    for fields in DEADLINE_RULES:
        fields = dict(fields)
        if "rung" in fields:
            fields["rung"] = rungs[fields["rung"]]
        if "channel" in fields:
            fields["channel"] = channels[fields["channel"]]
        _, was_created = DeadlineRule.objects.get_or_create(code=fields.pop("code"), defaults=fields)
        created += was_created
    for fields in PROVIDERS:
        fields = dict(fields)
        _, was_created = Provider.objects.get_or_create(name=fields.pop("name"), defaults=fields)
        created += was_created
    from escalation.law import load_legal_bases

    created += load_legal_bases()
    for position, language, title, body in policy_files():
        policy, was_created = PolicyText.objects.get_or_create(
            rung=rungs[position], provider=None, language=language, defaults={"title": title}
        )
        if was_created:
            policy.revise(body, author=None)
            created += 1
    return created
