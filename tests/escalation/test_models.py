import pytest
from django.core.exceptions import ValidationError

from escalation.models import DeadlineRule, Provider, Rung, validate_credit_code


def test_a_valid_credit_code_passes():
    validate_credit_code("91350100M000100Y43")  # the example in GB 32100-2015


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "9135010OM000100Y43", ""])
def test_malformed_credit_codes_are_refused(code):
    with pytest.raises(ValidationError):
        validate_credit_code(code)


@pytest.mark.django_db
def test_provider_form_validation_names_the_problem_in_chinese():
    from django.utils import translation

    provider = Provider(name="测试支付有限公司", credit_code="91350100M000100Y44")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        provider.full_clean()
    assert "校验" in str(error.value.message_dict["credit_code"])


def test_a_rule_needs_a_rung_or_channel_and_a_sane_maximum():
    with pytest.raises(ValidationError):
        DeadlineRule(code="x", name_zh="x", name_en="x", amount=15).clean()
    with pytest.raises(ValidationError):
        DeadlineRule(code="x", name_zh="x", name_en="x", amount=15, maximum=10, rung=Rung(pk=1)).clean()


@pytest.mark.usefixtures("english")
def test_durations_read_naturally():
    assert DeadlineRule(amount=7, unit="working_days").duration_text() == "7 working days"
    assert DeadlineRule(amount=1, unit="calendar_days").duration_text() == "1 day"
    assert DeadlineRule(amount=15, maximum=60, unit="calendar_days").maximum_text == "60 days"


def test_durations_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert DeadlineRule(amount=7, unit="working_days").duration_text() == "7个工作日"
        assert DeadlineRule(amount=3, unit="years").duration_text() == "3年"


def test_localized_fields_fall_back_to_chinese():
    from django.utils import translation

    rung = Rung(title_zh="了解政策", title_en="")
    with translation.override("en"):
        assert rung.title == "了解政策"
    rung.title_en = "Read the policy"
    with translation.override("en"):
        assert rung.title == "Read the policy"
    with translation.override("zh-hans"):
        assert rung.title == "了解政策"
