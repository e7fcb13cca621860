import pytest
from django.core.exceptions import ValidationError

from disputes.personal import mask_id_number, mask_mobile, validate_id_number, validate_mobile


def test_valid_id_numbers_pass():
    validate_id_number("11010519491231002X")
    validate_id_number("110105 19491231 002x")


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
