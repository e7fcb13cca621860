"""Merchants never see internal references: the seeded policy texts name the laws, not the LawRefBook mirror.

The mirror stays cited in the facts' sources for the team; a merchant reads the law's own name. Only the
seeded phrase is replaced, so an admin's own wording is kept; a changed policy text gets a new revision.
"""

from django.db import migrations

PAIRS = [("Sources: LawRefBook, ", "Sources: "), ("来源：LawRefBook《", "来源：《")]


def forward(apps, schema_editor):
    from escalation import markup

    PolicyText = apps.get_model("escalation", "PolicyText")
    PolicyRevision = apps.get_model("escalation", "PolicyRevision")
    for policy in PolicyText.objects.filter(provider__isnull=True).select_related("current"):
        body = policy.current.body if policy.current else ""
        new_body = body
        for old, new in PAIRS:
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
    dependencies = [("escalation", "0011_neutral_money_words")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
