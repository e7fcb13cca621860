"""Hostile input into every form: clear errors in Chinese, no 500, nothing half-saved, text shown escaped."""

import datetime as dt
import io
import re

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Profile
from cases.models import Case, Event, Evidence, Step
from documents import letters
from review.models import Comment
from tests.factories import merchant, open_case, volunteer
from tests.wizard_steps import CHECKLIST, INTAKE, Wizard

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
TEXT_CORPUS = {
    "script": SCRIPT,
    "html": '<img src=x onerror="alert(1)"><b>粗体</b>',
    "sql": "'; DROP TABLE disputes_case; --",
    "rtl": "\u202egnp.exe\u202c 退款",
    "zero_width": "退\u200b款\u200c申\u2060请",
    "long": "押" * 10_000,
    "emoji": "😀💰🏪",
    "ext_b": "𠀀𠀁𠀂",
    "only_invisible": "\u200b\u200b",
}
INVISIBLE = re.compile("[\u200b\u200c\u2060\u202a-\u202e]")


def errors(response):
    return re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.S)


@pytest.fixture
def wizard(client, ladder, provider):
    owner = merchant("owner@example.com")
    client.force_login(owner)
    case = Case.open(owner)
    wizard = Wizard(client, case)
    wizard.post("intake", {**INTAKE, "provider": provider.pk})
    wizard.post("policy", CHECKLIST)
    return wizard


@pytest.fixture
def provider(ladder):
    from escalation.models import Provider

    return Provider.objects.get(short_name_zh="拉卡拉")


def snapshot(case):
    case.refresh_from_db()
    return (
        {name: getattr(case, name) for name in Case.INTAKE_FIELDS},
        case.steps.count(),
        case.events.count(),
        case.evidence.count(),
    )


INTAKE_TEXT_FIELDS = [
    "provider_other",
    "agent_name",
    "agent_contact",
    "merchant_name",
    "terminal_model",
    "promise_details",
]


def stored_value(case, field):
    """Where an intake answer is kept: on the case, or on one of its parties."""
    where = {
        "provider_other": (case.respondent, "name"),
        "agent_name": (case.agent, "name"),
        "agent_contact": (case.agent, "contact"),
        "merchant_name": (case.merchant, "name"),
    }
    if field in where:
        party, attribute = where[field]
        return getattr(party, attribute) if party is not None else ""
    return getattr(case, field)


@pytest.mark.parametrize("field", INTAKE_TEXT_FIELDS)
@pytest.mark.parametrize("kind", list(TEXT_CORPUS))
def test_intake_text_fields(wizard, provider, field, kind):
    value = TEXT_CORPUS[kind]
    before = snapshot(wizard.case)
    data = {**INTAKE, "provider": provider.pk, field: value}
    if field == "provider_other":
        data["provider"] = ""  # the typed name counts only without a company from the list
    if field == "merchant_name":
        data.update(merchant_kind="company", merchant_representative="张三")  # a company's registered name
    response = wizard.post("intake", data)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert errors(response), "an invalid form must say why"
        assert any(re.search("不超过|这个字段是必填项|请填写|请选择", error) for error in errors(response))
        assert snapshot(wizard.case) == before  # nothing half-saved
        return
    wizard.case.refresh_from_db()
    stored = stored_value(wizard.case, field)
    assert not INVISIBLE.search(stored)
    page = wizard.client.get(wizard.url("intake")).content.decode()
    assert SCRIPT not in page and "<img src=x onerror" not in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "-1"),
        ("amount", "0"),
        ("amount", "1e30"),
        ("amount", "NaN"),
        ("amount", "Infinity"),
        ("amount", "99999999999"),
        ("amount", SCRIPT),
        ("activation_date", "2999-01-01"),
        ("activation_date", "1900-01-01"),
        ("activation_date", "2025-02-30"),
        ("activation_date", SCRIPT),
        ("charged_on", "2020-01-01"),  # before the activation date
        ("harm_known_on", "2999-12-31"),
        ("merchant_number", "' OR 1=1 --"),
        ("merchant_number", "１２３４５６"),
        ("terminal_sn", "<b>SN</b>"),
        ("promise_period_months", "-3"),
        ("promise_period_months", "100000"),
        ("province", "atlantis"),
        ("category", "<script>"),
        ("provider", "999999"),
        ("use", "both"),
    ],
)
def test_intake_refuses_bad_values_clearly(wizard, provider, field, value):
    before = snapshot(wizard.case)
    response = wizard.post("intake", {**INTAKE, "provider": provider.pk, field: value})
    assert response.status_code == 200
    found = errors(response)
    assert found
    assert all(re.search(r"[\u4e00-\u9fff]", error) for error in found), found  # in Chinese
    assert snapshot(wizard.case) == before


@pytest.mark.parametrize("kind", list(TEXT_CORPUS))
def test_step_text_fields(wizard, kind):
    value = TEXT_CORPUS[kind]
    today = dt.date.today().isoformat()  # noqa: DTZ011
    response = wizard.post(
        "customer_service",
        {"started_on": today, "method": "phone", "reference": value[:100], "notes": value, "outcome": "refused"},
    )
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert errors(response)
        assert not wizard.case.steps.exists()
        return
    step = wizard.case.steps.get()
    assert not INVISIBLE.search(step.notes)
    timeline = wizard.client.get(f"/cases/{wizard.case.pk}/ladder/customer_service/").content.decode()
    assert SCRIPT not in timeline


@pytest.mark.parametrize(
    "changes",
    [
        {"started_on": "2999-01-01"},
        {"started_on": "2020-01-01"},
        {"started_on": "yesterday"},
        {"method": "carrier pigeon"},
        {"outcome": "<script>"},
    ],
)
def test_step_dates_and_choices(wizard, changes):
    today = dt.date.today().isoformat()  # noqa: DTZ011
    data = {"started_on": today, "method": "phone", "outcome": "refused", **changes}
    response = wizard.post("customer_service", data)
    assert response.status_code == 200
    assert errors(response)
    assert not wizard.case.steps.exists()


def test_answers_before_the_request_or_in_the_future_are_refused(wizard):
    step = wizard.case.log_step(rung=wizard.case.rung, actor=wizard.case.owner, started_on=dt.date(2026, 11, 10))
    for day in ("2026-11-01", "2999-01-01", "<b>"):
        wizard.client.post(
            f"/cases/{wizard.case.pk}/steps/{step.pk}/answer/",
            {f"answer-{step.pk}-outcome": "refused", f"answer-{step.pk}-answered_on": day},
        )
        step.refresh_from_db()
        assert step.outcome == Step.Outcome.PENDING


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"result": "recovered", "recovered_amount": "-5", "recovered_on": "2026-11-01", "recovered_rung": ""}, "确保"),
        ({"result": "recovered", "recovered_amount": "1e9", "recovered_on": "2026-11-01"}, "确保"),
        ({"result": "withdrawn", "withdrawn_reason": "\u200b"}, "请说明原因"),
        ({"result": "<script>"}, "选择一个有效的选项"),
    ],
)
def test_outcome_refuses_bad_values(wizard, data, message):
    response = wizard.post("outcome", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    wizard.case.refresh_from_db()
    assert wizard.case.status == Case.Status.OPEN


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "押" * 10_000, "不超过"),
        ("full_name", "\u202e\u200b", "必填"),
        ("mobile", "12345", "11位手机号"),
        ("mobile", "1381234567a", "11位手机号"),
        ("email", "<script>@x", "有效的"),
        ("password1", "123", "密码长度太短"),
    ],
)
def test_signup_refuses_bad_values(client, ladder, field, value, message):
    data = {
        "full_name": "张三",
        "email": "new@example.com",
        "mobile": "13812345678",
        "password1": "A-long-secret-2026",
        "password2": "A-long-secret-2026",
        field: value,
    }
    if field == "password1":
        data["password2"] = value
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Profile.objects.exists()


@pytest.mark.parametrize(
    "id_number",
    ["123", "11010519491231002Y", "110105194902301234", "<script>", "1" * 10_000, "11010519491231002X\u202e"],
)
def test_profile_refuses_malformed_id_numbers(client, ladder, id_number):
    user = merchant("owner@example.com")
    client.force_login(user)
    data = {"full_name": "张三", "email": "owner@example.com", "mobile": "13812345678", "language": "zh-hans"}
    response = client.post("/accounts/profile/", {**data, "id_number": id_number})
    profile = Profile.objects.get(user=user)
    if id_number.startswith("11010519491231002X"):
        assert profile.id_number == "11010519491231002X"  # the invisible override is scrubbed, the number is valid
    else:
        assert response.status_code == 200
        assert errors(response)
        assert profile.id_number == ""


def test_full_width_digits_from_a_chinese_keyboard_are_accepted(client, ladder):
    user = merchant("owner@example.com")
    client.force_login(user)
    data = {"full_name": "张三", "email": "owner@example.com", "language": "zh-hans"}
    client.post(
        "/accounts/profile/",
        {**data, "mobile": "１３８１２３４５６７８", "id_number": "１１０１０５１９４９１２３１００２ｘ"},
    )
    profile = Profile.objects.get(user=user)
    assert (profile.mobile, profile.id_number) == ("13812345678", "11010519491231002X")


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def js_pdf():
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
        b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.png", b"", "空文件"),
        ("setup.png", b"MZ\x90\x00" + b"\x00" * 500, "不接受这种文件"),
        ("photo.jpg", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 500, "不接受这种文件"),
        ("letter.pdf", js_pdf(), "含有脚本"),
        ("broken.pdf", b"%PDF-1.4\n" + b"garbage" * 50, "无法读取"),
        ("page.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "不接受这种文件"),
    ],
)
def test_hostile_uploads(wizard, settings, tmp_path, name, content, message):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    response = wizard.client.post(
        f"/cases/{wizard.case.pk}/evidence/",
        {"file": SimpleUploadedFile(name, content), "title": "证据"},
    )
    assert response.status_code == 302
    notes = [str(m) for m in response.wsgi_request._messages]
    assert any(message in note for note in notes), notes
    assert not Evidence.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_an_oversized_upload_is_refused(wizard, settings, tmp_path):
    settings.EVIDENCE_MAX_FILE_BYTES = 50
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    wizard.client.post(f"/cases/{wizard.case.pk}/evidence/", {"file": SimpleUploadedFile("a.png", png()), "title": "x"})
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("kind", ["script", "html", "rtl", "zero_width", "emoji", "ext_b", "sql"])
def test_evidence_titles_and_comments_are_shown_escaped(client, ladder, settings, tmp_path, kind):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    owner = merchant("owner@example.com")
    case = open_case(owner)
    client.force_login(owner)
    value = TEXT_CORPUS[kind][:100]
    client.post(f"/cases/{case.pk}/evidence/", {"file": SimpleUploadedFile("a.png", png()), "title": value})
    helper = volunteer()
    case.enqueue("help_requested", owner)
    client.force_login(helper)
    client.post(f"/review/cases/{case.pk}/comment/", {"body": TEXT_CORPUS[kind], "visibility": "merchant"})
    for url in (f"/review/cases/{case.pk}/", "/review/"):
        page = client.get(url).content.decode()
        assert SCRIPT not in page and "<img src=x onerror" not in page
    client.force_login(owner)
    page = client.get(f"/cases/{case.pk}/", follow=True).content.decode()
    assert SCRIPT not in page and "<img src=x onerror" not in page
    if Comment.objects.exists():
        assert not INVISIBLE.search(Comment.objects.get().body)


@pytest.mark.parametrize("kind", ["script", "html", "sql", "rtl", "emoji", "ext_b"])
def test_hostile_text_prints_as_text_in_every_letter(ladder, kind, settings, tmp_path):
    value = TEXT_CORPUS[kind]
    owner = merchant("owner@example.com", full_name=value[:60], postal_address=value[:200])
    case = open_case(owner, promise_details=value, agent_name=value[:100], merchant_name=value[:100])
    for letter in letters.available_letters(case):
        html, pdf = letters.render_pdf(case, letter, "zh-hans")
        assert SCRIPT not in html
        assert "<img src=x" not in html
        text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
        if kind in {"script", "sql"}:
            assert "".join(value.split()) in "".join(text.split())
    assert case.events.filter(kind=Event.Kind.INTAKE_SAVED).exists()
