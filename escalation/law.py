"""The legal bases letters may cite, seeded from shared/docs/domain.md (§8 first).

Each record names the law, its number and article, says in one sentence what
the article provides (faithful to the text, not a paraphrase that adds to it),
and carries its dates, sources and verification mark. Admins edit them in the
admin; ``load_legal_bases`` only creates the ones that are missing.
"""

import datetime

from escalation.content import (
    CIVIL_CODE_CONTRACTS,
    CIVIL_CODE_GENERAL,
    CIVIL_PROCEDURE,
    CIVIL_PROCEDURE_INTERPRETATION,
    CONSUMER_LAW,
    PBOC_MEASURES,
    REGULATION,
    SAMR_MEASURES,
    lines,
)

D = datetime.date
CIVIL_CODE = {
    "law_zh": "《中华人民共和国民法典》",
    "law_en": "Civil Code of the People's Republic of China",
    "short_zh": "《民法典》",
    "short_en": "Civil Code",
    "effective_from": D(2021, 1, 1),
    "verification": "primary",
}
PAYMENT_REGULATION = {
    "law_zh": "《非银行支付机构监督管理条例》",
    "law_en": "Regulation on the Supervision and Administration of Non-bank Payment Institutions",
    "short_zh": "《非银行支付机构监督管理条例》",
    "short_en": "Regulation on Non-bank Payment Institutions",
    "number": "国务院令第768号",
    "effective_from": D(2024, 5, 1),
    "sources": REGULATION,
    "verification": "primary",
}
PCAC_2022 = {
    "law_zh": "《收单外包服务机构自律规范（试行）》",
    "law_en": "Self-regulatory Rules for Acquiring Outsourcing Service Providers (trial)",
    "number": "中支协发〔2022〕12号",
    "effective_from": D(2022, 5, 1),
    "sources": "github.com/LuisChen1Q84/AgentSystem: 知识库/regulation_weixin/收单外包服务机构自律规范.md (domain.md §3)",
    "verification": "primary",
}
PCAC_2023 = {
    "law_zh": "《关于加强收单外包服务市场规范管理的意见》",
    "law_en": "Opinion on Strengthening the Regulation of the Acquiring Outsourcing Market",
    "number": "中支协发〔2023〕81号",
    "effective_from": D(2023, 5, 19),
    "sources": "github.com/LuisChen1Q84/AgentSystem: 知识库/regulation_weixin/关于加强收单外包服务市场规范管理的意见.md "
    "(domain.md §3)",
    "verification": "primary",
}
SAMR_121 = {
    "law_zh": "《市场监督管理投诉举报处理办法》",
    "law_en": "Measures for Handling Complaints and Reports in Market Regulation",
    "number": "国家市场监督管理总局令第121号",
    "effective_from": D(2026, 4, 15),
    "sources": "国家市场监督管理总局令第121号, published 2025-12-30, in force 2026-04-15 (domain.md §8.1)",
    "verification": "primary",
}
SAMR_20 = {
    "law_zh": "《市场监督管理投诉举报处理暂行办法》",
    "law_en": "Interim Measures for Handling Complaints and Reports in Market Regulation",
    "number": "国家市场监督管理总局令第20号",
    "effective_from": D(2020, 1, 1),
    "repealed_on": D(2026, 4, 15),
    "sources": lines(SAMR_MEASURES, "Repealed by 总局令第121号 from 2026-04-15 (domain.md §8.1)"),
    "verification": "primary",
}

LEGAL_BASES = [
    {
        **CIVIL_CODE,
        "code": "civil-code-509",
        "article_zh": "第509条",
        "article_en": "Art. 509",
        "text_zh": "当事人应当按照约定全面履行自己的义务。",
        "text_en": "The parties shall fully perform their obligations as agreed.",
        "sources": CIVIL_CODE_CONTRACTS,
    },
    {
        **CIVIL_CODE,
        "code": "civil-code-577",
        "article_zh": "第577条",
        "article_en": "Art. 577",
        "text_zh": "当事人一方不履行合同义务或者履行合同义务不符合约定的，应当承担继续履行、采取补救措施或者赔偿损失等违约责任。",
        "text_en": (
            "A party that fails to perform a contractual obligation, or performs it not as agreed, bears liability "
            "for breach, such as continuing to perform, taking remedial measures or compensating losses."
        ),
        "sources": CIVIL_CODE_CONTRACTS,
    },
    {
        **CIVIL_CODE,
        "code": "civil-code-473",
        "article_zh": "第473条",
        "article_en": "Art. 473",
        "text_zh": "商业广告和宣传的内容符合要约条件的，构成要约。",
        "text_en": "The content of a commercial advertisement or promotion that meets the conditions of an offer is an offer.",
        "sources": CIVIL_CODE_CONTRACTS,
    },
    {
        **CIVIL_CODE,
        "code": "civil-code-496",
        "article_zh": "第496条第2款",
        "article_en": "Art. 496(2)",
        "text_zh": (
            "提供格式条款的一方应当采取合理的方式提示对方注意与对方有重大利害关系的条款，按照对方的要求予以说明；"
            "未履行提示或者说明义务，致使对方没有注意或者理解与其有重大利害关系的条款的，对方可以主张该条款不成为合同的内容。"
        ),
        "text_en": (
            "The party supplying standard terms must draw the other party's attention, in a reasonable way, to "
            "terms of major interest to it and explain them on request; if it fails to, so that the other party did "
            "not notice or understand such a term, the other party may claim that the term is not part of the contract."
        ),
        "sources": CIVIL_CODE_CONTRACTS,
    },
    {
        **CIVIL_CODE,
        "code": "civil-code-497",
        "article_zh": "第497条",
        "article_en": "Art. 497",
        "text_zh": "提供格式条款一方不合理地免除或者减轻其责任、加重对方责任、限制对方主要权利，或者排除对方主要权利的，该格式条款无效。",
        "text_en": (
            "A standard term is void where the party supplying it unreasonably exempts or reduces its own "
            "liability, increases the other party's liability, restricts the other party's main rights, or excludes "
            "them."
        ),
        "sources": CIVIL_CODE_CONTRACTS,
    },
    {
        **CIVIL_CODE,
        "code": "civil-code-498",
        "article_zh": "第498条",
        "article_en": "Art. 498",
        "text_zh": "对格式条款有两种以上解释的，应当作出不利于提供格式条款一方的解释。",
        "text_en": "Where a standard term can be read in two or more ways, it is read against the party that supplied it.",
        "sources": CIVIL_CODE_CONTRACTS,
    },
    {
        **CIVIL_CODE,
        "code": "civil-code-543",
        "article_zh": "第543条",
        "article_en": "Art. 543",
        "text_zh": "当事人协商一致，可以变更合同。",
        "text_en": "The parties may change a contract by agreement.",
        "sources": CIVIL_CODE_CONTRACTS,
    },
    {
        **CIVIL_CODE,
        "code": "civil-code-148",
        "article_zh": "第148条",
        "article_en": "Art. 148",
        "text_zh": "一方以欺诈手段，使对方在违背真实意思的情况下实施的民事法律行为，受欺诈方有权请求人民法院或者仲裁机构予以撤销。",
        "text_en": (
            "Where one party uses fraud to make the other perform a civil juristic act against its true intention, "
            "the defrauded party may ask a people's court or an arbitration institution to revoke the act."
        ),
        "sources": CIVIL_CODE_GENERAL,
    },
    {
        **CIVIL_CODE,
        "code": "civil-code-149",
        "article_zh": "第149条",
        "article_en": "Art. 149",
        "text_zh": (
            "第三人实施欺诈行为，使一方在违背真实意思的情况下实施的民事法律行为，对方知道或者应当知道该欺诈行为的，"
            "受欺诈方有权请求人民法院或者仲裁机构予以撤销。"
        ),
        "text_en": (
            "Where a third party's fraud makes one party perform a civil juristic act against its true intention, "
            "and the other party knew or should have known of the fraud, the defrauded party may ask a people's "
            "court or an arbitration institution to revoke the act."
        ),
        "sources": CIVIL_CODE_GENERAL,
    },
    {
        **CIVIL_CODE,
        "code": "civil-code-157",
        "article_zh": "第157条",
        "article_en": "Art. 157",
        "text_zh": (
            "民事法律行为无效、被撤销或者确定不发生效力后，行为人因该行为取得的财产，应当予以返还；"
            "不能返还或者没有必要返还的，应当折价补偿。"
        ),
        "text_en": (
            "After a civil juristic act is void, revoked or certain not to take effect, property obtained through "
            "it shall be returned; where it cannot or need not be returned, its value shall be compensated."
        ),
        "sources": CIVIL_CODE_GENERAL,
    },
    {
        **CIVIL_CODE,
        "code": "civil-code-188",
        "article_zh": "第188条",
        "article_en": "Art. 188",
        "text_zh": "向人民法院请求保护民事权利的诉讼时效期间为三年。",
        "text_en": "The limitation period for asking a people's court to protect a civil right is three years.",
        "sources": CIVIL_CODE_GENERAL,
    },
    {
        **CIVIL_CODE,
        "code": "civil-code-195",
        "article_zh": "第195条",
        "article_en": "Art. 195",
        "text_zh": "权利人向义务人提出履行请求的，诉讼时效中断，从中断时起诉讼时效期间重新计算。",
        "text_en": (
            "When the right-holder demands performance from the obligor, the limitation period is interrupted and "
            "starts again from the interruption."
        ),
        "sources": CIVIL_CODE_GENERAL,
    },
    {
        **PAYMENT_REGULATION,
        "code": "payment-regulation-4",
        "article_zh": "第4条",
        "article_en": "Art. 4",
        "text_zh": "中国人民银行依法对非银行支付机构实施监督管理，中国人民银行的分支机构根据授权履行监督管理职责。",
        "text_en": (
            "The People's Bank of China supervises non-bank payment institutions; its branches carry out that "
            "supervision as authorised."
        ),
    },
    {
        **PAYMENT_REGULATION,
        "code": "payment-regulation-34",
        "article_zh": "第34条",
        "article_en": "Art. 34",
        "text_zh": "非银行支付机构应当合理确定并公开收费项目和收费标准，明码标价，不得收取任何未予标明的费用。",
        "text_en": (
            "A non-bank payment institution must set and publish its fee items and levels, mark its prices "
            "clearly, and must not charge any fee it has not marked."
        ),
    },
    {
        **PAYMENT_REGULATION,
        "code": "payment-regulation-35",
        "article_zh": "第35条",
        "article_en": "Art. 35",
        "text_zh": "非银行支付机构应当及时、妥善处理与用户的争议，履行投诉处理主体责任。",
        "text_en": (
            "A non-bank payment institution must settle disputes with its users promptly and properly, and carries "
            "primary responsibility for handling complaints."
        ),
    },
    {
        **PCAC_2022,
        "code": "pcac-2022-18",
        "article_zh": "第18条",
        "article_en": "Art. 18",
        "text_zh": "收单外包服务机构不得以提供服务的名义向收单机构发送扣划特约商户结算资金的指令。",
        "text_en": (
            "An acquiring outsourcer must not, in the name of providing services, send instructions to deduct a "
            "merchant's settlement funds."
        ),
    },
    {
        **PCAC_2022,
        "code": "pcac-2022-24",
        "article_zh": "第24条",
        "article_en": "Art. 24",
        "text_zh": "收单外包服务机构在营销过程中不得以“入网服务”等名义向特约商户收取费用。",
        "text_en": "An acquiring outsourcer must not charge merchants in the name of a “network-access service” when marketing.",
    },
    {
        **PCAC_2023,
        "code": "pcac-2023-disputes",
        "article_zh": "",
        "article_en": "",
        "text_zh": "收单机构不得将差错和争议处理等核心业务外包给收单外包服务机构。",
        "text_en": "Acquirers must not outsource error and dispute handling to their acquiring outsourcers.",
    },
    {
        **PCAC_2023,
        "code": "pcac-2023-no-business",
        "article_zh": "",
        "article_en": "",
        "text_zh": "收单外包服务机构不得向无经营行为的个人营销POS机。",
        "text_en": "Acquiring outsourcers must not market POS terminals to individuals who run no business.",
    },
    {
        **SAMR_121,
        "code": "samr-121-art3",
        "article_zh": "第3条",
        "article_en": "Art. 3",
        "text_zh": "投诉是消费者为生活消费需要购买、使用商品或者接受服务，与经营者发生消费者权益争议，请求市场监督管理部门处理的行为；"
        "法人或者其他组织可以向市场监督管理部门举报经营者涉嫌违反市场监督管理法律法规的行为。",
        "text_en": (
            "A complaint is a consumer's request to settle a dispute with a business over goods or services bought "
            "for personal consumption; a legal person or other organisation may report a business's suspected "
            "breach of market-regulation law."
        ),
    },
    {
        **SAMR_20,
        "code": "samr-20-art9",
        "article_zh": "第9条",
        "article_en": "Art. 9",
        "text_zh": "投诉应当提供投诉人的姓名、电话号码、通讯地址，被投诉人的名称、地址，具体的投诉请求以及消费者权益争议事实。",
        "text_en": (
            "A complaint gives the complainant's name, phone number and postal address, the respondent's name and "
            "address, the specific request, and the facts of the consumer dispute."
        ),
    },
    {
        **SAMR_20,
        "code": "samr-20-art11",
        "article_zh": "第11条",
        "article_en": "Art. 11",
        "text_zh": "投诉人为两人以上，基于同一消费者权益争议投诉同一经营者的，经投诉人同意，市场监督管理部门可以按共同投诉处理。共同投诉可以由投诉人书面推选两名代表人进行投诉。",
        "text_en": (
            "Where two or more complainants complain against the same business over the same consumer dispute, the "
            "market regulator may, with their consent, handle it as a joint complaint; the complainants may choose two "
            "representatives in writing to complain for them."
        ),
    },
    {
        "code": "consumer-law-2",
        "law_zh": "《中华人民共和国消费者权益保护法》",
        "law_en": "Law on the Protection of Consumer Rights and Interests",
        "short_zh": "《消费者权益保护法》",
        "short_en": "Consumer Protection Law",
        "article_zh": "第2条",
        "article_en": "Art. 2",
        "text_zh": "消费者为生活消费需要购买、使用商品或者接受服务，其权益受本法保护。",
        "text_en": "Consumers who buy or use goods or services for personal consumption are protected by this law.",
        "effective_from": D(2014, 3, 15),
        "sources": CONSUMER_LAW,
        "verification": "primary",
    },
    {
        "code": "pboc-measures-2020",
        "law_zh": "《中国人民银行金融消费者权益保护实施办法》",
        "law_en": "PBoC Implementing Measures for the Protection of Financial Consumers",
        "number": "中国人民银行令〔2020〕第5号",
        "article_zh": "",
        "article_en": "",
        "text_zh": "金融机构应当自收到中国人民银行分支机构转交的投诉之日起15日内作出处理并答复；情况复杂的经批准可以延长，最长不超过60日。",
        "text_en": (
            "A financial institution handles and answers a complaint forwarded by a PBoC branch within 15 days of "
            "receiving it; complex cases may be extended with approval, to 60 days at most."
        ),
        "effective_from": D(2020, 11, 1),
        "sources": lines(*PBOC_MEASURES),
        "verification": "secondary",
    },
    {
        "code": "civil-procedure-24",
        "law_zh": "《中华人民共和国民事诉讼法》",
        "law_en": "Civil Procedure Law",
        "short_zh": "《民事诉讼法》",
        "short_en": "Civil Procedure Law",
        "article_zh": "第24条",
        "article_en": "Art. 24",
        "text_zh": "因合同纠纷提起的诉讼，由被告住所地或者合同履行地人民法院管辖。",
        "text_en": "A contract dispute is heard by the court of the defendant's domicile or of the place of performance.",
        "effective_from": D(2024, 1, 1),
        "sources": CIVIL_PROCEDURE,
        "verification": "primary",
    },
    {
        "code": "civil-procedure-122",
        "law_zh": "《中华人民共和国民事诉讼法》",
        "law_en": "Civil Procedure Law",
        "short_zh": "《民事诉讼法》",
        "short_en": "Civil Procedure Law",
        "article_zh": "第122条",
        "article_en": "Art. 122",
        "text_zh": "起诉必须符合下列条件：原告是与本案有直接利害关系的公民、法人和其他组织；有明确的被告；有具体的诉讼请求和事实、理由；属于人民法院受理民事诉讼的范围和受诉人民法院管辖。",
        "text_en": (
            "A lawsuit needs a plaintiff with a direct interest, a clearly identified defendant, specific claims "
            "with facts and reasons, and a court with jurisdiction."
        ),
        "effective_from": D(2024, 1, 1),
        "sources": CIVIL_PROCEDURE,
        "verification": "primary",
    },
    {
        "code": "civil-procedure-interpretation-18",
        "law_zh": "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》",
        "law_en": "SPC Interpretation of the Civil Procedure Law",
        "short_zh": "《民事诉讼法解释》",
        "short_en": "Interpretation of the Civil Procedure Law",
        "article_zh": "第18条第2款",
        "article_en": "Art. 18(2)",
        "text_zh": "合同对履行地点没有约定或者约定不明确，争议标的为给付货币的，接收货币一方所在地为合同履行地。",
        "text_en": (
            "Where the contract does not clearly name a place of performance and the dispute is over paying money, "
            "the place of the party receiving the money is the place of performance."
        ),
        "effective_from": D(2022, 4, 10),
        "sources": CIVIL_PROCEDURE_INTERPRETATION,
        "verification": "primary",
    },
    {
        "code": "civil-procedure-interpretation-59",
        "law_zh": "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》",
        "law_en": "SPC Interpretation of the Civil Procedure Law",
        "short_zh": "《民事诉讼法解释》",
        "short_en": "Interpretation of the Civil Procedure Law",
        "article_zh": "第59条",
        "article_en": "Art. 59",
        "text_zh": "个体工商户以营业执照上登记的经营者为当事人；有字号的，以营业执照上登记的字号为当事人，但应同时注明该字号经营者的基本信息。",
        "text_en": (
            "An individual business sues under the operator registered on its licence; where it has a trade name, "
            "the trade name is the party, with the operator's details stated."
        ),
        "effective_from": D(2022, 4, 10),
        "sources": CIVIL_PROCEDURE_INTERPRETATION,
        "verification": "primary",
    },
]


def load_legal_bases(model=None):
    """Create the legal bases that are missing (an admin's edits are kept); return how many were created."""
    if model is None:
        from escalation.models import LegalBasis as model
    created = 0
    for fields in LEGAL_BASES:
        fields = dict(fields)
        _record, was_created = model.objects.get_or_create(code=fields.pop("code"), defaults=fields)
        created += was_created
    return created
