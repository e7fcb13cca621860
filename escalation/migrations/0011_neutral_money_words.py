"""Words that fit every case: the seeded rung and policy texts no longer assume the money was a deposit.

A case may claim card fees above the agreed rate, an activation fee or a flow fee, with no deposit at all
(domain.md §8.7), and its pages must not speak of a 押金. Each phrase is replaced only where the seeded
text still holds it, so an admin's own wording is kept; a changed policy text gets a new revision.
"""

from django.db import migrations

# (rung, language) -> [old, new] phrases of the policy text.
POLICY = {
    (1, "zh"): [
        [
            "押金能不能退、什么时候退，首先看您和支付机构之间的约定。",
            "被收的钱能不能退、什么时候退，费率能不能改，首先看您和支付机构之间的约定。",
        ],
        [
            "- **收费说明**：费率、押金、激活费、流量费的公示页面或截图。",
            "- **收费说明**：费率和各项收费（如激活费、流量费）的公示页面或截图。",
        ],
        ["写明“交易满多少返还押金”之类的条件。", "写明“交易满多少全额返还”之类的条件。"],
        [
            "- **扣款记录**：押金或激活费是什么时候、以什么方式扣的（常见的是从第一笔结算款里直接扣除）。",
            "- **扣款记录**：每一笔钱是什么时候、以什么方式扣的（常见的是从第一笔结算款里直接扣除）。",
        ],
        [
            "我们没有找到人民银行明确禁止POS机“押金、激活费、流量费”的规定",
            "我们没有找到人民银行明确禁止POS机收取激活费、流量费这类费用的规定",
        ],
    ],
    (1, "en"): [
        [
            "Whether and when the deposit comes back depends first on what you agreed with the payment institution.",
            "Whether and when the money comes back, and whether the rate may change, depends first on what "
            "you agreed with the payment institution.",
        ],
        [
            "the page or screenshots listing rates, deposits, activation fees and data fees.",
            "the page or screenshots listing the rates and every fee (activation fees, data fees and the like).",
        ],
        [
            'setting a condition such as "deposit returned once you reach a volume".',
            'setting a condition such as "returned in full once you reach a volume".',
        ],
        [
            "when and how the deposit or activation fee was taken (often straight out of the first settlement).",
            "when and how each sum was taken (often straight out of the first settlement).",
        ],
        [
            'We found no PBoC rule that expressly bans POS "deposits, activation fees or data fees"',
            "We found no PBoC rule that expressly bans POS fees such as activation or data fees",
        ],
    ],
    (2, "zh"): [
        ["以什么名义扣的（押金、激活费、流量费）；", "以什么名义扣的（对方的叫法，如激活费、流量费、服务费）；"]
    ],
    (2, "en"): [
        [
            "under what name the money was taken (deposit, activation fee, data fee);",
            "under what name the money was taken (their word for it: activation fee, data fee, service fee);",
        ]
    ],
    (3, "zh"): [
        ["本站会根据您的案件自动生成《退还押金申请书》", "本站会根据您的案件自动生成书面退款申请书"],
        ["- 押金或激活费的金额、日期和扣取方式；", "- 每一笔钱的金额、日期和扣取方式；"],
    ],
    (3, "en"): [
        [
            "- the amount and date of the deposit or fee and how it was taken;",
            "- the amount and date of each sum and how it was taken;",
        ]
    ],
}

# rung -> field -> [old, new] phrases of the rung's texts.
RUNGS = {
    1: {
        "summary_zh": [
            [
                "确认押金或激活费在什么条件下退还，以及您是否已经满足这些条件。",
                "确认这笔钱在什么条件下退还、约定的费率是多少，以及您是否已经满足这些条件。",
            ]
        ],
        "summary_en": [
            [
                "check when the deposit or activation fee is to be returned and whether you have met ",
                "check when the money taken is to be returned, or what rate was agreed, and whether you have met ",
            ]
        ],
        "prepare_zh": [["代理商承诺返还押金的聊天记录、宣传单或海报", "代理商承诺返还的聊天记录、宣传单或海报"]],
    },
    3: {
        "summary_zh": [["寄送《退还押金申请书》", "寄送书面退款申请"]],
        "prepare_zh": [["《退还押金申请书》（本站可生成）", "书面退款申请书（本站可生成）"]],
    },
}


def forward(apps, schema_editor):
    from escalation import markup

    Rung = apps.get_model("escalation", "Rung")
    PolicyText = apps.get_model("escalation", "PolicyText")
    PolicyRevision = apps.get_model("escalation", "PolicyRevision")
    for rung in Rung.objects.filter(position__in=RUNGS):
        changed = []
        for field, pairs in RUNGS[rung.position].items():
            value = getattr(rung, field)
            for old, new in pairs:
                if old in value:
                    value = value.replace(old, new)
                    changed.append(field)
            setattr(rung, field, value)
        if changed:
            rung.save(update_fields=sorted(set(changed)))
    policies = PolicyText.objects.filter(rung__position__in=[1, 2, 3], provider__isnull=True).select_related(
        "current", "rung"
    )
    for policy in policies:
        pairs = POLICY[(policy.rung.position, "en" if policy.language == "en" else "zh")]
        body = policy.current.body if policy.current else ""
        new_body = body
        for old, new in pairs:
            new_body = new_body.replace(old, new)
        if new_body == body:
            continue
        number = (
            PolicyRevision.objects.filter(policy=policy).order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
        revision = PolicyRevision.objects.create(
            policy=policy, number=number, body=new_body, body_html=markup.render(new_body)
        )
        PolicyText.objects.filter(pk=policy.pk).update(current=revision)


class Migration(migrations.Migration):
    dependencies = [("escalation", "0010_more_legal_bases")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
