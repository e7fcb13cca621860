"""The case file as a public interface: import, export, round trip, refusals, and the web pages around them."""

import copy
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from PIL import Image

from cases.models import Case, Event, Step
from documents import letters
from tests.factories import merchant, open_case, volunteer
from tests.test_case_schema import EXAMPLE

pytestmark = pytest.mark.django_db

VALID_CREDIT_CODE = "92510107MA62CD7E8P"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False)


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def document():
    data = json.loads(json.dumps(EXAMPLE, ensure_ascii=False))
    data["merchant"]["credit_code"] = VALID_CREDIT_CODE
    data["unknown_top_key"] = {"kept": [1, "二"]}
    data["merchant"]["nickname"] = "面馆老王"
    data["money"][0]["receipt_no"] = "R-1"
    return data


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "chat-1.png").write_bytes(png())
    return tmp_path


def write(folder, data, name="case.json"):
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run_import(path, *extra):
    out = io.StringIO()
    call_command("import_case", str(path), *extra, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def export(case_id):
    out = io.StringIO()
    call_command("export_case", case_id, stdout=out)
    return json.loads(out.getvalue())


AMOUNT_KEYS = {"amount", "refunded_amount", "target_amount", "reached_amount", "fee_charged"}


def same(imported, exported, path=""):
    """Every key of ``imported`` is in ``exported`` with the same value (money compared as decimals)."""
    if isinstance(imported, dict):
        assert isinstance(exported, dict), path
        for key, value in imported.items():
            assert key in exported, f"{path}.{key} is missing from the export"
            same(value, exported[key], f"{path}.{key}")
    elif isinstance(imported, list):
        assert isinstance(exported, list) and len(exported) == len(imported), path
        for index, (a, b) in enumerate(zip(imported, exported, strict=True)):
            same(a, b, f"{path}[{index}]")
    elif path.rsplit(".", 1)[-1] in AMOUNT_KEYS and imported is not None:
        assert Decimal(exported) == Decimal(imported), path
    else:
        assert exported == imported, f"{path}: {exported!r} != {imported!r}"


def test_import_then_export_gives_back_every_key(ladder, media, folder, frozen):
    data = document()
    case_id = run_import(write(folder, data))
    case = Case.objects.get(pk=case_id)
    exported = export(case_id)
    same(data, exported)
    # What the app derived comes with it.
    assert exported["evidence"][0]["sha256"] == case.evidence.get().sha256
    assert exported["derived"]["case_id"] == case_id
    # 299 + 99 - 50, and the overcharge derived from its trade: 1,431.00 - 70,000.00 × 0.60% = 1,011.00.
    assert exported["derived"]["claimed"] == "1359.00"
    assert exported["money"][2]["amount"] == "1011.00"
    assert case.events.filter(kind=Event.Kind.IMPORTED).exists()


def test_the_imported_case_is_the_case_the_file_describes(ladder, media, folder, frozen):
    case = Case.objects.get(pk=run_import(write(folder, document())))
    assert case.merchant.kind == "individual_business" and case.merchant.trade_name == "王记面馆𠀀"
    assert case.merchant.representative == "王堃" and case.merchant.id_number == "11010519491231002X"
    assert case.owner.email == "a@example.cn"
    assert case.provider.name == "拉卡拉支付股份有限公司" and case.province == "sichuan"
    assert case.agent.name == "成都某某科技有限公司"
    assert [charge.kind for charge in case.charge_list] == ["deposit", "flow_fee", "fee_overcharge", "deposit"]
    assert case.claimed_total == Decimal("1359.00")
    assert case.charge_list[2].amount == Decimal("1011.00") and not case.charge_list[2].awaits_confirmation
    contact = case.steps.get()
    assert (contact.rung.position, contact.outcome, contact.method) == (2, Step.Outcome.REDIRECTED, Step.Method.PHONE)
    assert case.target_met == "yes" and case.use == "business" and case.posed_as == "bank" and case.deceived
    assert case.story.endswith("后来不认了。")
    # Every letter of the imported case renders.
    for letter in letters.available_letters(case):
        html = letters.preview_html(case, letter, "zh-hans")
        assert "王记面馆𠀀" in html


def test_importing_twice_makes_two_cases_never_a_merge(ladder, media, folder, frozen):
    path = write(folder, document())
    first, second = run_import(path), run_import(path)
    assert first != second
    assert Case.objects.filter(owner__email="a@example.cn").count() == 2
    assert get_user_model().objects.filter(email="a@example.cn").count() == 1


def test_an_existing_account_owns_the_case(ladder, media, folder, frozen):
    owner = merchant("wang@example.com")
    case = Case.objects.get(pk=run_import(write(folder, document()), "--owner", "wang@example.com"))
    assert case.owner == owner


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda d: d.update(format="dispute-ladder/case@2"), "format"),
        (lambda d: d["merchant"].update(kind="shop"), "merchant.kind"),
        (lambda d: d["money"][0].update(amount="12,00"), "money[0].amount"),
        (lambda d: d["merchant"].update(credit_code="92510107MA62CD7E8X"), "merchant.credit_code"),
        (lambda d: d["merchant"].update(id_number="110105194912310021"), "merchant.id_number"),
        (lambda d: d["merchant"].update(province="火星省"), "merchant.province"),
        (lambda d: d["device"].update(obtained_on="2999-01-01"), "device.obtained_on"),
        (lambda d: d["money"][3].update(refunded_amount="100.00"), "money[3].refunded_amount"),
        (lambda d: d["contacts"][0].update(delivered_on="2025-06-01"), "contacts[0].delivered_on"),
        (lambda d: d["evidence"][0].update(file="../../etc/passwd"), "evidence[0].file"),
        (lambda d: d["evidence"][0].update(file="missing.png"), "evidence[0].file"),
        (lambda d: d["merchant"].update(email="not-an-email"), "merchant.email"),
        (lambda d: d["money"][2].update(charged_rate="0.38%"), "money[2].charged_rate"),  # below the agreed rate
        (lambda d: d["money"][2]["trades"][0].update(fee_charged="80000.00"), "money[2].trades[0].fee_charged"),
        (lambda d: d["money"][2]["trades"][0].update(fee_charged="100.00"), "money[2].trades[0].fee_charged"),
        (lambda d: d["money"][2].update(trades=[]), "money[2].trades"),  # neither trades nor an amount
    ],
)
def test_a_bad_file_is_refused_whole_naming_the_key(ladder, media, folder, frozen, change, key):
    data = document()
    change(data)
    users, cases = get_user_model().objects.count(), Case.objects.count()
    with pytest.raises(CommandError) as caught:
        run_import(write(folder, data))
    assert key in str(caught.value)
    assert (get_user_model().objects.count(), Case.objects.count()) == (users, cases)


def test_a_file_that_is_not_json_is_refused(folder):
    path = folder / "case.json"
    path.write_bytes(b"\xff\xfe not json")
    with pytest.raises(CommandError, match="not a JSON"):
        run_import(path)


def test_export_of_an_app_case_is_a_valid_case_file(ladder, frozen):
    from documents.casefile.schema import validate

    case = open_case(merchant("owner@example.com", full_name="王小红"))
    case.log_step(rung=case.rung.__class__.objects.get(position=2), actor=case.owner, started_on=dt.date(2026, 11, 1))
    exported = export(str(case.pk))
    validate(exported)
    assert exported["merchant"]["name"] == "王小红" and exported["contacts"][0]["to"] == "provider"


def test_export_of_an_unknown_case_is_refused():
    with pytest.raises(CommandError):
        export("not-a-case")


# ----- the web pages ----------------------------------------------------------------------------------------


def test_a_merchant_downloads_their_case_file(client, ladder, frozen):
    case = open_case(merchant("owner@example.com"))
    client.force_login(case.owner)
    response = client.get(f"/cases/{case.pk}/case.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content)["format"] == "dispute-ladder/case@1"
    client.force_login(merchant("stranger@example.com"))
    assert client.get(f"/cases/{case.pk}/case.json").status_code == 404


def zipped(data, files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("case.json", json.dumps(data, ensure_ascii=False))
        for name, content in files.items():
            archive.writestr(name, content)
    buffer.seek(0)
    buffer.name = "case.zip"
    return buffer


def test_a_volunteer_imports_a_zip_and_the_case_lands_in_their_list(client, ladder, media, frozen):
    helper = volunteer()
    client.force_login(helper)
    assert client.get("/review/import/").status_code == 200
    response = client.post("/review/import/", {"file": zipped(document(), {"chat-1.png": png()})})
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/review/cases/{case.pk}/"
    assert case.assigned_to == helper and case.queue_reason == "imported"
    assert case.evidence.count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: zipped(document(), {}), "evidence[0].file"),
        (lambda: zipped(document(), {"../escape.png": b"x"}), "目录之外"),
        (lambda: io.BytesIO(b"not json at all"), "不是案件文件"),
    ],
)
def test_a_volunteers_bad_upload_is_refused_and_creates_nothing(client, ladder, media, frozen, upload, message):
    client.force_login(volunteer())
    body = upload()
    body.name = getattr(body, "name", "case.json")
    response = client.post("/review/import/", {"file": body})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_only_volunteers_import(client, ladder):
    client.force_login(merchant("owner@example.com"))
    assert client.get("/review/import/").status_code == 404


def test_a_document_missing_its_example_keys_still_round_trips(ladder, media, folder, frozen):
    data = copy.deepcopy(document())
    for key in ("agent", "deception", "contract", "story", "evidence"):
        data.pop(key)
    data["merchant"] = {"kind": "person", "name": "Wang", "address": "Chengdu", "province": "四川省", "email": "w@x.cn"}
    same(data, export(run_import(write(folder, data))))
    assert Path(folder / "case.json").exists()


def test_the_new_money_and_deception_keys_round_trip(ladder, media, folder, frozen):
    data = document()
    data["money"][1].update(disclosed=False)
    data["money"][2].update(notice_given=False, agreed_rate_source="商户协议第4条")
    data["deception"] = {"posed_as": "unionpay", "pitch": "提额", "note": "自称银联的"}
    case = Case.objects.get(pk=run_import(write(folder, data)))
    flow, overcharge = case.charge_list[1], case.charge_list[2]
    assert (flow.disclosed, overcharge.notice_given, overcharge.agreed_rate_source) == ("no", "no", "商户协议第4条")
    assert (case.posed_as, case.pitch) == ("unionpay", "提额")
    exported = export(str(case.pk))
    same(data, exported)
    assert exported["deception"] == {"posed_as": "unionpay", "pitch": "提额", "note": "自称银联的"}


def test_the_provider_s_legal_representative_round_trips_as_name_and_title(ladder, media, folder, frozen):
    from documents.casefile.schema import validate

    data = document()
    data["provider"]["legal_representative"] = {"name": "孙某某", "title": "董事长"}
    case = Case.objects.get(pk=run_import(write(folder, data)))
    assert (case.respondent.representative, case.respondent.representative_title) == ("孙某某", "董事长")
    exported = export(str(case.pk))
    validate(exported)
    assert exported["provider"]["legal_representative"] == {"name": "孙某某", "title": "董事长"}


def test_an_app_case_whose_provider_names_its_representative_exports_a_valid_file(ladder, frozen):
    from documents.casefile.schema import validate

    case = open_case(merchant("owner@example.com", full_name="王小红"))
    case.save_party("respondent", {"representative": "某某"}, case.owner)
    exported = export(str(case.pk))
    validate(exported)  # the format's {name, title}, never a bare name
    assert exported["provider"]["legal_representative"] == {"name": "某某", "title": ""}
