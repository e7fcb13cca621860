"""SAMR Order No. 121 replaced Order No. 20 on 2026-04-15 (domain.md §8.1): the seeded texts follow.

Each row is changed only while it still holds the seeded old text, so an admin's own edit is kept. The
policy text of rung 4 gets a new revision (history is kept). The periods stay as defaults, now marked
unverified.
"""

from django.db import migrations

from escalation import content

OLD_CHANNEL_BASIS = "《市场监督管理投诉举报处理暂行办法》第3、9、12、14、15、21条；《消费者权益保护法》第46条"
OLD_ACCEPTANCE_BASIS = (
    "《市场监督管理投诉举报处理暂行办法》第14条：收到投诉之日起7个工作日内作出受理或不予受理的决定并告知投诉人。"
)
OLD_MEDIATION_BASIS = (
    "《市场监督管理投诉举报处理暂行办法》第21条第5项：自受理之日起45个工作日内未达成调解协议的，终止调解；"
    "检测、鉴定时间不计入（第20条）。"
)
POLICY_REPLACEMENTS = {
    "zh": [
        [
            "只受理为**生活消费**需要购买商品或服务的投诉（《市场监督管理投诉举报处理暂行办法》第3、15条；《消费者权益保护法》第2条）。**为经营而使用的POS机很可能被不予受理。** 12315应在7个工作日内决定是否受理，调解最长45个工作日。",
            "消费者为**生活消费**需要发生的争议可以**投诉**（《市场监督管理投诉举报处理办法》〔国家市场监督管理总局令第121号，2026年4月15日起施行〕第3条；《消费者权益保护法》第2条）。**把POS机用于经营的商户不是消费者**：投诉很可能不予受理，但可以向市场监管部门**举报**经营者收取未标明费用、虚假承诺等行为（同一办法第3条）。举报可能引发调查，但不会替您决定退款。消费者协会同样只处理消费者投诉。受理和调解的期限：旧规定分别为7个和45个工作日，新办法的期限尚未核实。",
        ],
        [
            "来源：LawRefBook《非银行支付机构监督管理条例》第4条；《市场监督管理投诉举报处理暂行办法》；《消费者权益保护法》；其余见各渠道所列来源。不构成法律意见。",
            "来源：LawRefBook《非银行支付机构监督管理条例》第4条；《市场监督管理投诉举报处理办法》（国家市场监督管理总局令第121号）；《消费者权益保护法》；其余见各渠道所列来源。不构成法律意见。",
        ],
    ],
    "en": [
        [
            "They accept only complaints about purchases for **personal consumption** (SAMR Interim Measures Arts. 3, 15; Consumer Protection Law Art. 2). **A POS terminal used for business is likely to be refused.** 12315 decides within 7 working days whether to accept; mediation lasts at most 45 working days.",
            "A consumer's dispute over **personal consumption** can be a **complaint** (Measures for Handling Complaints and Reports in Market Regulation, SAMR Order No. 121, in force from 15 April 2026, Art. 3; Consumer Protection Law Art. 2). **A merchant who uses the POS for business is not a consumer**: a complaint is likely to be refused, but you can **report** the business's undisclosed fees or false promises to the market regulator (the same Art. 3). A report can lead to an investigation; it does not decide your refund. Consumer associations, too, take consumer complaints only. Time limits: 7 and 45 working days under the old rules; the new order's are not verified.",
        ],
        [
            "Sources: LawRefBook, Regulation on Non-bank Payment Institutions Art. 4; SAMR Interim Measures; Consumer Protection Law; the sources listed with each channel. Not legal advice.",
            "Sources: LawRefBook, Regulation on Non-bank Payment Institutions Art. 4; SAMR Order No. 121; Consumer Protection Law; the sources listed with each channel. Not legal advice.",
        ],
    ],
}


def forward(apps, schema_editor):
    Channel = apps.get_model("escalation", "Channel")
    DeadlineRule = apps.get_model("escalation", "DeadlineRule")
    PolicyText = apps.get_model("escalation", "PolicyText")
    PolicyRevision = apps.get_model("escalation", "PolicyRevision")
    Channel.objects.filter(code="samr-12315", legal_basis_zh=OLD_CHANNEL_BASIS).update(
        legal_basis_zh=content.SAMR_BASIS_ZH,
        legal_basis_en=content.SAMR_BASIS_EN,
        description_zh=content.SAMR_DESCRIPTION_ZH,
        description_en=content.SAMR_DESCRIPTION_EN,
        sources="\n".join([content.SAMR_121, content.CONSUMER_LAW, "https://www.dhap.com.cn/info/23231/5026363.htm"]),
    )
    DeadlineRule.objects.filter(code="samr-acceptance", legal_basis_zh=OLD_ACCEPTANCE_BASIS).update(
        name_zh=content.SAMR_ACCEPTANCE_NAME_ZH,
        name_en=content.SAMR_ACCEPTANCE_NAME_EN,
        legal_basis_zh=content.SAMR_ACCEPTANCE_BASIS_ZH,
        legal_basis_en=content.SAMR_ACCEPTANCE_BASIS_EN,
        sources="\n".join([content.SAMR_121, content.SAMR_MEASURES]),
        verification="unverified",
    )
    DeadlineRule.objects.filter(code="samr-mediation", legal_basis_zh=OLD_MEDIATION_BASIS).update(
        name_zh=content.SAMR_MEDIATION_NAME_ZH,
        name_en=content.SAMR_MEDIATION_NAME_EN,
        legal_basis_zh=content.SAMR_MEDIATION_BASIS_ZH,
        legal_basis_en=content.SAMR_MEDIATION_BASIS_EN,
        sources="\n".join([content.SAMR_121, content.SAMR_MEASURES]),
        verification="unverified",
    )
    from escalation import markup

    for policy in PolicyText.objects.filter(rung__position=4, provider__isnull=True).select_related("current"):
        pairs = POLICY_REPLACEMENTS["en" if policy.language == "en" else "zh"]
        body = policy.current.body if policy.current else ""
        if not all(old in body for old, _new in pairs):
            continue
        for old, new in pairs:
            body = body.replace(old, new)
        number = (
            PolicyRevision.objects.filter(policy=policy).order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
        revision = PolicyRevision.objects.create(policy=policy, number=number, body=body, body_html=markup.render(body))
        PolicyText.objects.filter(pk=policy.pk).update(current=revision)


class Migration(migrations.Migration):
    dependencies = [("escalation", "0008_seed_legal_bases")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
