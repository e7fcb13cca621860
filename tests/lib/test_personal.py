import pytest
from django.core.exceptions import ValidationError

from lib.personal import mask_address, mask_html, mask_id_number, mask_mobile, validate_id_number, validate_mobile


def test_valid_id_numbers_pass():
    validate_id_number("11010519491231002X")
    validate_id_number("110105 19491231 002x")


@pytest.mark.parametrize("region", ["510104", "430104", "360826"])
def test_a_region_code_missing_from_python_stdnum_is_no_reason_to_refuse(region):
    """Chengdu Jinjiang, Changsha Yuelu, Taihe: real districts that stdnum's region table lacks."""
    body = f"{region}19900307123"
    total = sum(int(digit) * weight for digit, weight in zip(body, [7, 9, 10, 5, 8, 4, 2, 1, 6, 3] * 2, strict=False))
    validate_id_number(body + "10X98765432"[total % 11])  # the check digit of GB 11643, computed here


@pytest.mark.parametrize(
    "number", ["110105194912310021", "1101051949123100", "11010519491331002X", "A1010519491231002X"]
)
def test_invalid_id_numbers_fail(number):
    with pytest.raises(ValidationError):
        validate_id_number(number)


def test_mobile_numbers():
    validate_mobile("13812345678")
    validate_mobile("+86 138-1234-5678")
    for bad in ("12812345678", "1381234567", "电话"):
        with pytest.raises(ValidationError):
            validate_mobile(bad)


def test_masking():
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("+8613812345678") == "138****5678"


def test_address_masking_keeps_the_province_and_city():
    assert mask_address("四川省成都市武侯区人民南路四段1号") == "四川省成都市" + "*" * 11
    assert mask_address("成都") == "成*"
    assert mask_address("") == ""


def test_html_masking_hides_known_values_and_any_number_that_looks_personal():
    html = (
        "<p>住址：四川省成都市&lt;武侯&gt;区 1 号</p>"
        "<p>电话 13812345678，另一部 139-8765-4321；证件 11010519491231002x</p>"
    )
    address = "四川省成都市<武侯>区 1 号"  # printed HTML-escaped
    masked = mask_html(html, [(address, mask_address(address))])
    assert "武侯" not in masked and "成都市" in masked
    assert "138****5678" in masked and "139****4321" in masked and "1101**********002X" in masked
    # Longer numbers (a merchant number, a date) are not phones.
    assert mask_html("822100058120001 20260101") == "822100058120001 20260101"
