"""The marks of a refund scam the checker starts with, from shared/docs/domain.md §8.4 and public warnings.

domain.md §8.4 [V-secondary]: police and bank warnings describe SMS and calls offering a "POS
deposit refund" or "machine upgrade" that ask for a verification code, a payment, a screen share
or a link click; official refunds are paid to the settlement account and never need a fee, a code
or a link; the national anti-fraud hotline is 96110, 110 for an emergency. A mark found only in
public warnings of the police, banks or official newspapers is also [V-secondary]; one that no
such source states is unverified. Provider hotline numbers are not verified (domain.md §7 item
14): no mark names one.

The regular expressions read the message after ``checker.models.normalized``: full-width
punctuation is ordinary there (，reads , and ！reads !), the ideographic full stop 。 stays.
Admins edit the rows; ``load_marks`` only creates the ones that are missing.
"""

from __future__ import annotations

from typing import Any

from escalation.models import Verification

POLICE_AND_BANKS = {
    "legal_basis_zh": "公安机关、银行公开的防诈骗提示",
    "legal_basis_en": "Public anti-fraud warnings by the police and banks",
}
DOMAIN = "domain.md §8.4"
CHANGZHOU_POLICE = (
    "常州市公安局《警惕冒充银行客服实施短信诈骗》，2018-12-13："
    " https://gaj.changzhou.gov.cn/html/czgaj/2018/QBJAPCKM_1213/76992.html"
)
GANZI_POLICE = "平安甘孜，石渠县公安局提醒，2025-11-20： http://www.ganzipeace.gov.cn/pagz/20251120/3017205.html"
INNER_MONGOLIA_POLICE = (
    "内蒙古自治区公安厅《“客服”帮您取消自动续费？全是诈骗！》，2025-08-20："
    " http://gat.nmg.gov.cn/jwxz/jfts/202508/t20250806_2770259.html"
)
YINCHUAN_POLICE = (
    "《宁夏法治报》，银川市公安局反诈中心预警，2025-06-11："
    " https://szb.nxrb.cn/nxfzb/pc/con/202506/11/content_161982.html"
)
CCB_SUZHOU = "名城苏州网，建设银行提示，2026-02-28： http://money.2500sz.com/doc/2026/02/28/1197929.shtml"
LANZHOU_POLICE = (
    "兰州市公安局防电信网络诈骗警示（中国甘肃网 2022-03-04，转载）："
    " http://m.visaplatform.com.cn/news/shiju/2022/0304/175767.html"
)
ABC_PUTIAN = "农行莆田涵江支行：POS机押金退款诈骗提示（转载）： https://yinlianpos.cn/cjwt/2023-12-27/4406.html"


def sources(*lines: str) -> str:
    return "\n".join(lines)


MARKS: list[dict[str, Any]] = [
    {
        "code": "link",
        "kind": "link",
        "position": 10,
        "name_zh": "有链接或二维码",
        "name_en": "A link or a QR code",
        "explanation_zh": (
            "真正的退款直接打到您的结算账户，不需要您点链接、扫二维码或在网页上填写任何信息。"
            "短信里的链接可能通向仿冒的网站，骗走您的卡号、密码和验证码。不要点开。"
        ),
        "explanation_en": (
            "A real refund is paid straight into your settlement account: you never need to open a link, scan a "
            "QR code or fill in a web page. A link in a message can lead to a fake site that takes your card "
            "number, password and codes. Do not open it."
        ),
        "matching": "regex",
        "patterns": "\n".join(
            [
                r"(?:https?://|www\.)[a-z0-9./:%?#=&_~+-]+",
                r"(?<![a-z0-9.@_-])(?:[a-z0-9-]+\.)+(?:com|cn|net|cc|top|xyz|vip|info|org|shop|site|link|ltd|icu"
                r"|club|online|wang|me|io|co|app|tk|ml|ink|fun|pro|work)(?![a-z0-9-])(?:/[a-z0-9./%?#=&_~+-]*)?",
                r"二维码|扫码|扫一扫|qr ?code|scan the code",
            ]
        ),
        **POLICE_AND_BANKS,
        "sources": sources(DOMAIN, CHANGZHOU_POLICE, GANZI_POLICE),
        "verification": Verification.SECONDARY,
    },
    {
        "code": "verification-code",
        "kind": "code",
        "position": 20,
        "name_zh": "索要验证码或要您刷脸",
        "name_en": "Asks for a verification code or a face scan",
        "explanation_zh": (
            "验证码和刷脸，都是您在确认“我同意付钱”。谁拿到它，谁就能从您的账户转走钱。"
            "真正的退款不需要您的验证码，也不需要您刷脸。不管谁要，都不要给。"
        ),
        "explanation_en": (
            'A verification code or a face scan is how you say "I agree to pay": whoever gets it can move your '
            "money. A real refund never needs your code or your face. Never give them to anyone who asks."
        ),
        "matching": "regex",
        "patterns": "\n".join(
            [
                r"(?<!勿)(?<!不要)(?<!不能)(?:提供|告知|告诉|发送|发给|回复|填写|填入|输入|报给|说出|转发|上传)"
                r"[^。!?;\n]{0,8}(?:验证码|校验码|动态码|动态密码|短信码)",
                r"(?<!勿将)(?<!勿把)(?<!不要将)(?<!不要把)(?:验证码|校验码|动态码)[^。!?;\n]{0,6}"
                r"(?:发给|发送给|告诉|告知|报给|提供给|回复给|给我|给客服|转发)",
                r"人脸识别|刷脸|(?:face|facial) (?:scan|recognition|verification)",
                r"(?<!not )(?<!never )(?<!n't )\b(?:send|give|tell|share|enter|provide|reply with|forward|type)\b"
                r"[^.!?\n]{0,30}\b(?:verification code|security code|sms code|otp|the code)\b",
            ]
        ),
        **POLICE_AND_BANKS,
        "sources": sources(DOMAIN, INNER_MONGOLIA_POLICE, CCB_SUZHOU, ABC_PUTIAN),
        "verification": Verification.SECONDARY,
    },
    {
        "code": "fee-to-unlock",
        "kind": "fee",
        "position": 30,
        "name_zh": "要您先交钱",
        "name_en": "Asks you to pay first",
        "explanation_zh": (
            "退款是对方把钱还给您，不会要您先交“手续费”“解冻费”“保证金”，也不会要您转账“验证资金”"
            "或“刷流水”。要您先付钱才能退款的，都是诈骗。"
        ),
        "explanation_en": (
            'A refund is money coming back to you: it never needs a "handling fee", an "unlock fee" or a '
            '"security deposit" first, nor a transfer to "verify your funds". A refund that needs you to pay '
            "first is a scam."
        ),
        "matching": "regex",
        "patterns": "\n".join(
            [
                r"(?<!无需)(?<!无须)(?<!不需)(?<!不用)(?<!不必)(?<!不要)(?<!免)"
                r"(?:缴纳|交纳|支付|付款|转账|汇款|打款|充值)(?:[^。!?;\n【】的]{0,3}|\s*[\d.,]+\s*元\s*)"
                r"(?:手续费|解冻费|解冻金|保证金|激活费|工本费|认证费|税费)",
                r"(?<![无不免])(?:先|需|须|需要|请|要求|必须)(?:您|你)?(?:先)?\s*"
                r"(?:缴纳|交纳|缴费|交费|支付|付款|转账|汇款|打款|充值)",
                r"解冻费|解冻金|验证资金|刷流水|安全账户|processing fee|unlock(?:ing)? fee|safe account",
                r"(?<!not )(?<!never )(?<!n't )(?<!no need to )\b(?:pay|transfer|send)\b[^.!?\n]{0,25}"
                r"\b(?:fees?|charges?)\b",
            ]
        ),
        **POLICE_AND_BANKS,
        "sources": sources(DOMAIN, YINCHUAN_POLICE, GANZI_POLICE),
        "verification": Verification.SECONDARY,
    },
    {
        "code": "card-details",
        "kind": "card",
        "position": 40,
        "name_zh": "索要银行卡号、密码或身份证号",
        "name_en": "Asks for your card number, password or ID number",
        "explanation_zh": (
            "退款退回您原来的结算账户，不需要您再提供银行卡号、密码、身份证号或卡背面的安全码，"
            "也不需要您绑定新的银行卡。要您在网页或聊天里填这些的，是想盗刷您的卡。"
        ),
        "explanation_en": (
            "A refund goes back to your settlement account: nobody needs your card number, password, ID number or "
            "the security code on the back of your card for it, nor a new card linked. Whoever asks you to type "
            "these into a page or a chat wants to empty your card."
        ),
        "matching": "regex",
        "patterns": "\n".join(
            [
                r"(?<!勿)(?<!不要)(?<!不能)(?:提供|告知|告诉|发送|发给|回复|填写|填入|输入|上传|登记|报给)"
                r"[^。!?;\n]{0,8}(?:银行卡号|卡号|银行账号|身份证号|身份证|密码|cvv|cvn|安全码)",
                r"绑定[^。!?;\n]{0,4}(?:银行卡|信用卡|储蓄卡)",
                r"(?<!not )(?<!never )(?<!n't )\b(?:send|give|tell|share|enter|provide|fill in|type|confirm)\b"
                r"[^.!?\n]{0,30}\b(?:card number|account number|password|pin|cvv|id number)\b",
            ]
        ),
        **POLICE_AND_BANKS,
        "sources": sources(CCB_SUZHOU, LANZHOU_POLICE, ABC_PUTIAN),
        "verification": Verification.SECONDARY,
    },
    {
        "code": "screen-share",
        "kind": "screen_share",
        "position": 50,
        "name_zh": "要您共享屏幕或进视频会议",
        "name_en": "Asks you to share your screen or join a video meeting",
        "explanation_zh": (
            "一旦共享屏幕，对方能看到您手机上的一切，包括收到的验证码和输入的密码，还可能远程操作您的手机转走钱。"
            "退款从来不需要共享屏幕、远程协助或进视频会议。"
        ),
        "explanation_en": (
            "Once you share your screen, they see everything on your phone, including the codes you receive and "
            "the passwords you type, and they may control it to move your money. A refund never needs a screen "
            "share, remote help or a video meeting."
        ),
        "matching": "keywords",
        "patterns": "\n".join(
            [
                "屏幕共享",
                "共享屏幕",
                "共享桌面",
                "投屏",
                "远程协助",
                "远程控制",
                "远程操作",
                "视频会议",
                "会议号",
                "腾讯会议",
                "钉钉会议",
                "云会议",
                "screen share",
                "screen sharing",
                "share your screen",
                "share the screen",
                "remote control",
                "remote access",
                "remote assistance",
                "video meeting",
                "zoom meeting",
            ]
        ),
        **POLICE_AND_BANKS,
        "sources": sources(DOMAIN, INNER_MONGOLIA_POLICE, YINCHUAN_POLICE),
        "verification": Verification.SECONDARY,
    },
    {
        "code": "app-download",
        "kind": "app",
        "position": 60,
        "name_zh": "要您下载安装软件",
        "name_en": "Asks you to install an app",
        "explanation_zh": (
            "骗子常让人下载所谓的“退款APP”或会议软件，装上以后就能看到甚至控制您的手机。"
            "办理退款，只用您一直在用的服务商官方APP，从手机自带的应用商店安装，"
            "绝不通过短信或聊天里的链接下载。"
        ),
        "explanation_en": (
            'Scammers ask you to install a "refund app" or a meeting app that lets them see or even control your '
            "phone. For a refund, use only the provider's official app you already use, installed from your "
            "phone's own app store, never from a link in a message or a chat."
        ),
        "matching": "regex",
        "patterns": "\n".join(
            [
                r"(?:下载|安装)[^。!?;\n]{0,8}(?:app|软件|客户端|应用|apk)",
                r"\.apk\b",
                r"\b(?:download|install)\b[^.!?\n]{0,25}\b(?:app|application|software|apk)\b",
            ]
        ),
        **POLICE_AND_BANKS,
        "sources": sources(GANZI_POLICE, YINCHUAN_POLICE),
        "verification": Verification.SECONDARY,
    },
    {
        "code": "urgency",
        "kind": "urgency",
        "position": 70,
        "name_zh": "催您马上办，或吓唬您",
        "name_en": "Rushes or threatens you",
        "explanation_zh": (
            "“24小时内有效”“逾期作废”“影响征信”“账户将被冻结”，这些话是为了让您来不及核实。"
            "先停下来，自己查服务商官方客服电话打过去问清楚。"
        ),
        "explanation_en": (
            '"Valid for 24 hours", "void if late", "your credit record will suffer", "your account will be '
            "frozen\": such words are there so you have no time to check. Stop, look up the provider's official "
            "customer service number yourself and ask them."
        ),
        "matching": "regex",
        "patterns": "\n".join(
            [
                r"(?<!\d)\d{1,3}\s*个?(?:小时|分钟|天|日)之?内(?:有效|办理|处理|完成|操作|点击|联系|回复|确认|登录|领取)",
                r"(?:逾期|过期)(?:作废|失效|不候|将|无法|视为)|过时不候|限时|最后一天|仅剩",
                r"(?:立即|马上|立刻|尽快|即刻)(?:点击|处理|办理|操作|联系|回复|验证|确认|登录|缴纳|转账|下载)",
                r"否则[^。!?;\n]{0,10}(?:冻结|停用|停机|扣款|罚款|征信|无法退|作废|失效|注销|起诉)",
                r"影响[^。!?;\n]{0,4}征信|上征信|征信(?:受损|污点|黑名单)",
                r"(?:账户|资金|机器|机具|pos机?)[^。!?;\n]{0,4}(?:将被|会被)(?:冻结|停用|注销)",
                r"\bwithin \d+ (?:hours?|minutes?)\b|\bimmediately\b|\burgent(?:ly)?\b|\bexpires? (?:today|soon|in)\b",
                r"\b(?:will be|be) (?:frozen|suspended|blocked|cancell?ed)\b|\bcredit (?:record|score|report)\b"
                r"|\blast chance\b|\bact now\b",
            ]
        ),
        **POLICE_AND_BANKS,
        # Only the threat to one's credit record is in a police warning (Yinchuan); that hurrying
        # marks a fake refund is the app's reading, in no official source found.
        "sources": sources(YINCHUAN_POLICE),
        "verification": Verification.UNVERIFIED,
    },
    {
        "code": "unofficial-contact",
        "kind": "unofficial_contact",
        "position": 80,
        "name_zh": "让您加微信、QQ，或打个人手机号",
        "name_en": "Sends you to WeChat, QQ or a personal mobile number",
        "explanation_zh": (
            "服务商的客服用合同、机身或官方APP上印的客服电话，不会让您加个人微信、QQ，或打一个普通手机号。"
            "短信里留的号码可能就是骗子的。要核实，请自己查服务商官方客服电话打过去。"
        ),
        "explanation_en": (
            "A provider's customer service uses the number printed on your agreement, on the machine or in its "
            "official app. It does not send you to a personal WeChat or QQ, or to an ordinary mobile number. The "
            "number in a message may be the scammer's: look up the official number yourself and call that."
        ),
        "matching": "regex",
        "patterns": "\n".join(
            [
                r"(?:加|添加)[^。!?;\n]{0,6}(?:微信|qq|好友|客服)",
                r"(?:微信|v信|薇信|威信|vx|wx|qq)号?\s*:?\s*[a-z0-9_-]{5,}",
                r"(?:客服|专员|经理|退款|退押金|退费|联系|致电|拨打|回电)[^。!?;\n]{0,10}"
                r"(?<!\d)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)",
                r"\b(?:add|contact|message)\b[^.!?\n]{0,20}\b(?:wechat|qq|whatsapp)\b",
            ]
        ),
        **POLICE_AND_BANKS,
        "sources": sources(CHANGZHOU_POLICE, LANZHOU_POLICE),
        "verification": Verification.SECONDARY,
    },
]


def load_marks(model: Any = None) -> int:
    """Create the marks that are missing (an admin's edits are kept); return how many were created."""
    if model is None:
        from checker.models import ScamMark as model
    created = 0
    for fields in MARKS:
        fields = dict(fields)
        _mark, was_created = model.objects.get_or_create(code=fields.pop("code"), defaults=fields)
        created += was_created
    return created
