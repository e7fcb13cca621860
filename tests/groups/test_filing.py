"""The joint filing to SAMR, the PBoC and the PCAC, read back from the PDF with pdftotext.

Every consenting member's sums and exhibit hashes are in it, members who did not
consent are not; the members' copy shows a member's name only with their consent;
facts true for some members only are stated for those members only.
"""

import re
import subprocess

import pytest
from django.utils import translation

from cases.models import Case, Evidence
from groups import filing as joint
from groups.models import JointFiling
from tests.groups.conftest import NAMES, members

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def pdftotext(pdf, tmp_path):
    path = tmp_path / "filing.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", "", result.stdout.decode())


@pytest.fixture
def ready(group, merchants):
    """Members 1 and 2 agreed to the filing (member 1 also to show the name); member 1 represents them."""
    first, second, _third = members(group)
    first.set_filing_consent(True, merchants[0])
    first.set_name_consent(True, merchants[0])
    second.set_filing_consent(True, merchants[1])
    first.stand(True, merchants[0])
    first.choose(first, True, merchants[0])
    second.choose(first, True, merchants[1])
    group.forget()
    assert [member.number for member in group.representatives] == [1]
    return group


def english(group, recipient, issuer):
    """The filing's records in English (the language they are built in is the active one)."""
    with translation.override("en"):
        return joint.build(group, recipient, "en", joint.china_today(), issuer)


def hashes(case):
    return list(Evidence.objects.filter(case=case).values_list("sha256", flat=True))


@pytest.mark.parametrize("recipient", JointFiling.Recipient.values)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_filed_copy_lists_every_consenting_member_with_sums_and_exhibit_hashes(
    ready, cases, merchants, recipient, language, tmp_path
):
    issuer = members(ready)[0]
    _html, pdf, facts = joint.render(ready, recipient, language, issuer, shared=False)
    text = pdftotext(pdf, tmp_path)
    assert facts.member_numbers == [1, 2]
    for case, name in zip(cases[:2], NAMES[:2], strict=True):
        assert name in text
        for digest in hashes(case):
            assert digest in text
    assert "299.00" in text and "399.00" in text and "100.00" in text  # taken, and the refund of member 2
    assert "598.00" in text  # 299 + (399 - 100) still owed in all
    # Member 3 did not agree: not their name, sums or files.
    assert NAMES[2] not in text
    assert "499.00" not in text
    for digest in hashes(cases[2]):
        assert digest not in text
    assert "13812345671" in text  # the representative who files gives their phone
    assert "13812345672" not in text and "11010519491231002X" not in text  # no other member's phone, no ID
    assert cases[0].provider_name in text
    assert not re.search(r"%\([a-z_]+\)[sd]", text)


def test_the_members_copy_shows_names_only_with_consent_and_no_contact_details(ready, cases, tmp_path):
    issuer = members(ready)[0]
    html, pdf, _facts = joint.render(ready, JointFiling.Recipient.PBOC, "zh-hans", issuer, shared=True)
    text = pdftotext(pdf, tmp_path)
    assert NAMES[0] in text  # member 1 agreed to show the name
    assert NAMES[1] not in text and NAMES[1] not in html  # member 2 did not
    assert "2" in text and "399.00" in text  # member 2's sums are there, under their number
    for digest in hashes(cases[1]):
        assert digest in text
    assert "13812345671" not in text and "测试路1号" not in text  # no contact details in the members' copy


def test_samr_gets_a_report_unless_every_member_is_a_consumer(ready, cases, merchants):
    issuer = members(ready)[0]
    facts = english(ready, JointFiling.Recipient.SAMR, issuer)
    assert facts.family == "samr_report"
    assert [basis.code for basis in facts.bases if basis.code.startswith("samr")] == ["samr-121-art3"]
    for case in cases[:2]:
        Case.objects.filter(pk=case.pk).update(use=Case.Use.PERSONAL)
    ready.forget()
    facts = english(ready, JointFiling.Recipient.SAMR, issuer)
    assert facts.family == "samr_complaint"
    codes = [basis.code for basis in facts.bases]
    assert "consumer-law-2" in codes and "samr-121-art3" in codes
    # Order No. 20 was repealed on 2026-04-15: its joint-complaint article is not cited, and the notes say the
    # current rule is not verified.
    assert "samr-20-art11" not in codes
    assert any("Not verified" in note for note in facts.send)


def test_before_the_repeal_the_joint_complaint_cites_order_20_article_11(ready, cases, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC), tick=False)
    for case in cases[:2]:
        Case.objects.filter(pk=case.pk).update(use=Case.Use.PERSONAL)
    ready.forget()
    facts = english(ready, JointFiling.Recipient.SAMR, members(ready)[0])
    assert "samr-20-art11" in [basis.code for basis in facts.bases]
    assert not any("Not verified" in note for note in facts.send)


def test_a_fact_of_some_members_is_stated_for_them_only(ready, cases, merchants):
    """The same agent for all only when every case names it; an argument names the members it holds for."""
    issuer = members(ready)[0]
    facts = english(ready, JointFiling.Recipient.PBOC, issuer)
    assert any("same agent, 刘经理" in sentence for sentence in facts.common)
    agent = cases[1].agent
    agent.name = "张代理"
    agent.save()
    ready.forget()
    facts = english(ready, JointFiling.Recipient.PBOC, issuer)
    assert facts.common == []
    first, second = facts.members
    assert any("刘经理" in sentence for sentence in first.sentences)
    assert any("张代理" in sentence for sentence in second.sentences)
    assert not any("刘经理" in sentence for sentence in second.sentences)
    for argument in facts.arguments:
        assert argument.bases  # every argument cites a rule in force


def test_issuing_freezes_both_copies_and_only_the_issuer_gets_the_filed_one(ready, merchants, client):
    issuer = members(ready)[0]
    filing = joint.issue(ready, JointFiling.Recipient.PCAC, "zh-hans", issuer, merchants[0])
    assert filing.created and filing.version == 1 and filing.member_numbers == [1, 2]
    assert filing.sha256 != filing.shared_sha256
    again = joint.issue(ready, JointFiling.Recipient.PCAC, "zh-hans", issuer, merchants[0])
    assert not again.created and again.pk == filing.pk  # the same filing again is not a new version
    assert ready.events.filter(kind="filing_issued").count() == 1
    with pytest.raises(PermissionError):
        joint.issue(ready, JointFiling.Recipient.PCAC, "zh-hans", members(ready)[1], merchants[1])

    url = f"/groups/{ready.pk}/filings/{filing.pk}/"
    client.force_login(merchants[0])
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    import hashlib

    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == filing.sha256
    client.force_login(merchants[1])
    response = client.get(url)
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == filing.shared_sha256
