"""Amounts in Chinese capitals, for any amount a letter may claim (hypothesis): 0.01 to 9,999,999.99 yuan."""

from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from lib.written import DIGITS, amount_from_words, figures, rmb_upper

amounts = st.integers(min_value=1, max_value=999_999_999).map(lambda fen: Decimal(fen) / 100)


@given(amount=amounts)
@example(amount=Decimal("0.01"))
@example(amount=Decimal("0.10"))
@example(amount=Decimal("9999999.99"))
@example(amount=Decimal("1000000.01"))
def test_figures_to_capitals_and_back_give_the_same_figures(amount):
    written = figures(amount)  # 1,234.56
    capitals = rmb_upper(Decimal(written.replace(",", "")))
    assert figures(amount_from_words(capitals)) == written, capitals


@given(amount=amounts)
@example(amount=Decimal("0.01"))
@example(amount=Decimal("0.10"))
@example(amount=Decimal("100.05"))
def test_capitals_say_the_jiao_and_the_fen_or_end_with_zheng(amount):
    """角 and 分 are written when they are not zero; an amount in whole 角 ends with 整 (人民币伍角整)."""
    capitals = rmb_upper(amount)
    fen_total = int(amount * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    assert capitals.startswith("人民币")
    assert ("元" in capitals) is (yuan > 0)
    assert (DIGITS[jiao] + "角" in capitals) is (jiao > 0)
    assert capitals.endswith(DIGITS[fen] + "分" if fen else "整")
    if yuan and not jiao and fen:
        assert "元零" + DIGITS[fen] + "分" in capitals  # 壹元零伍分: the missing 角 is said
