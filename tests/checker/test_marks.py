"""The marks of a refund scam as rules: how a message is read, what a rule refuses, the seeded rules' answers."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from checker.marks import MARKS
from checker.models import Finding, ScamMark, verdict
from escalation.models import Verification

SCAM = "【拉卡拉】您的POS机押金可退，请点击 http://lkl-refund.cc 填写银行卡号和验证码，24小时内有效"
ORDINARY = [
    "您好，您的退款申请已受理，款项将原路退回，请留意银行到账通知。",
    "师傅您好，我的快递今天下午能送到吗？放门口就行，谢谢！",
    "您申请的退款将在7个工作日内原路退回，不收取手续费。",
    "【银盛支付】您的押金299元已退还至结算账户，无需支付任何费用，请勿向任何人透露验证码。",
    "验证码123456，请勿告诉他人。",
    "Your refund of 299 yuan was paid to your settlement account. Do not share the code with anyone.",
    "Hi, the parcel is at the front desk, thanks!",
]


def seeded():
    """The seeded marks as unsaved rows."""
    return [ScamMark(**fields) for fields in MARKS]


def marks_in(text):
    return [mark.code for mark in seeded() if mark.found_in(text)]


def mark(**fields):
    defaults = {"code": "test", "kind": ScamMark.Kind.OTHER, "name_zh": "测试", "explanation_zh": "说明"}
    return ScamMark(**{**defaults, **fields})


def test_the_example_scam_shows_a_link_a_code_a_card_number_and_urgency():
    assert marks_in(SCAM) == ["link", "verification-code", "card-details", "urgency"]
    (link,) = [mark for mark in seeded() if mark.code == "link"]
    assert link.found_in(SCAM) == ("http://lkl-refund.cc",)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("您的机器押金可以退了，需先缴纳100元手续费", ["fee-to-unlock"]),
        ("请加客服微信 kf88888 办理退押金", ["unofficial-contact"]),
        ("退押金请联系专员 138 1234 5678", ["unofficial-contact"]),
        ("请下载会议APP并开启屏幕共享，我们远程协助您退款", ["screen-share", "app-download"]),
        ("押金退还需要人脸识别", ["verification-code"]),
        ("逾期作废，否则账户将被冻结并影响征信", ["urgency"]),
        ("Click www.pos-refund.top now and send us the verification code.", ["link", "verification-code"]),
        (
            "You must pay a processing fee first. Share your screen on a video meeting.",
            ["fee-to-unlock", "screen-share"],
        ),
    ],
)
def test_each_seeded_mark_finds_its_scam(text, codes):
    assert marks_in(text) == codes


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_messages_show_no_mark(text):
    assert marks_in(text) == []


def test_full_width_letters_and_invisible_characters_do_not_hide_a_mark():
    text = "ｈｔｔｐ：／／ｌｋｌ．ｃｃ　把验\u200b证码发给我"
    assert marks_in(text) == ["link", "verification-code"]
    (link,) = [mark for mark in seeded() if mark.code == "link"]
    assert link.found_in(text) == ("http://lkl.cc",)


def test_keywords_match_in_either_case_and_literally():
    rule = mark(matching=ScamMark.Matching.KEYWORDS, patterns="Gift Card\n(礼品卡)\n\n")
    assert rule.pattern_lines == ["Gift Card", "(礼品卡)"]
    assert rule.found_in("please buy a GIFT CARD") == ("GIFT CARD",)
    assert rule.found_in("请买礼品卡") == ()
    assert rule.found_in("请买(礼品卡)") == ("(礼品卡)",)


def test_a_mark_shows_each_piece_once_and_at_most_three():
    rule = mark(matching=ScamMark.Matching.REGEX, patterns=r"\d+")
    assert rule.found_in("1 2 3 4 1") == ("1", "2", "3")


def test_an_invalid_regular_expression_is_refused_with_its_line():
    rule = mark(matching=ScamMark.Matching.REGEX, patterns="验证码\n(unclosed")
    with translation.override("en"):  # the message is translated when read: read it in English
        with pytest.raises(ValidationError) as refused:
            rule.clean()
        (message,) = refused.value.message_dict["patterns"]
    assert message.startswith("Line 2 is not a valid regular expression: (unclosed (")


def test_a_pattern_that_matches_every_message_is_refused():
    rule = mark(matching=ScamMark.Matching.REGEX, patterns=".*")
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            rule.clean()
        assert "would mark every message" in refused.value.message_dict["patterns"][0]


def test_keywords_are_never_read_as_expressions_and_a_rule_needs_a_pattern():
    mark(matching=ScamMark.Matching.KEYWORDS, patterns="(unclosed").clean()
    with pytest.raises(ValidationError) as refused:
        mark(patterns=" \n ").clean()
    assert "patterns" in refused.value.message_dict


def test_a_bad_line_saved_around_the_admin_is_skipped_not_fatal():
    rule = mark(matching=ScamMark.Matching.REGEX, patterns="(unclosed\n验证码")
    assert rule.found_in("告诉我验证码") == ("验证码",)


def test_every_seeded_mark_is_valid_sourced_and_in_both_languages():
    for rule in seeded():
        rule.clean()
        assert rule.name_zh and rule.name_en and rule.explanation_zh and rule.explanation_en, rule.code
        assert rule.legal_basis_zh and rule.legal_basis_en, rule.code
        assert rule.public_source_list, rule.code
        assert all("domain.md" not in line for line in rule.public_source_list)
    verified = {rule.code: rule.verification for rule in seeded()}
    assert verified["urgency"] == Verification.UNVERIFIED  # no official source says so
    assert verified["verification-code"] == Verification.SECONDARY  # domain.md §8.4


def test_the_verdict_names_the_marks_or_says_none_was_found():
    link, code = seeded()[:2]
    with translation.override("en"):
        assert verdict([]) == "Message checker: no known scam marks found."
        assert verdict([Finding(link, ("x.cc",))]) == "Message checker: 1 mark of a refund scam (A link or a QR code)."
        assert verdict([Finding(link, ("x.cc",)), Finding(code, ("验证码",))]).startswith(
            "Message checker: 2 marks of a refund scam (A link or a QR code; "
        )
