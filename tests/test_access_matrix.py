"""Every URL of the app, as every role: login redirect, 404 or an answer — introspected from the URLconf.

A new view is covered automatically: the walk fails until its URL name is put
in one of the access classes below.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import UUIDConverter

from accounts.models import Profile
from cases.models import Evidence
from documents import letters
from groups import filing as group_filing
from groups.models import ComplaintGroup, JointFiling
from lib.emails import SNOOZE_SALT, UNSUBSCRIBE_SALT
from reading.models import OfferedFact
from tests.factories import admin_user, merchant, open_case, volunteer

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "other_merchant", "unassigned_volunteer", "owner", "assigned_volunteer", "admin"]

# Who may open each URL. Admins may open everything except the merchant's own workspace:
# nobody acts as a merchant in their wizard.
PUBLIC = {
    "home",
    "healthz",
    "favicon",
    "accounts:sms_login",
    "accounts:sms_verify",
    "accounts:sms_name",
    "security_txt",
    "set_language",
    "escalation:ladder",
    "checker:check",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "accounts:signup",
    "reminders:snooze",
    "reminders:unsubscribe",
    "reminders:calendar",
}
ANY_USER = {
    "password_change",
    "password_change_done",
    "accounts:profile",
    "accounts:mobile_verify",
    "cases:case_list",
    "cases:case_new",
    "reminders:notifications",
    "reminders:notifications_read",
    "reminders:calendar_reset",
    "accounts:export",
    "accounts:delete_account",
    "groups:invite",  # anyone signed in who holds the link sees the group's practice (not its members)
}
OWNER_ONLY = {
    "reading:decide",
    "cases:case",
    "cases:timeline",
    "cases:reopen",
    "cases:help",
    "wizard:ladder_step",
    "cases:answer",
    "cases:delivery",
    "wizard:facts",
    "wizard:case_file",
    "wizard:facts_person",
    "wizard:facts_respondent",
    "wizard:facts_agent",
    "wizard:facts_details",
    "wizard:charge_add",
    "wizard:charge_edit",
    "wizard:trade_add",
    "wizard:trade_remove",
    "wizard:overcharge_confirm",
    "wizard:facts_deception",
    "reminders:snooze_step",
    "cases:evidence_upload",
    "cases:evidence_delete",
    "cases:evidence_title",
    "documents:letter_preview",
    "documents:letter_issue",
    "documents:letter_review",
    "checker:save",
    "groups:case_groups",
    "groups:start",
    "groups:join_from_case",
    "groups:help",
    "groups:consent",
    "groups:stand",
    "groups:choose",
    "groups:leave",
    "groups:filing_preview",
    "groups:filing_issue",
}
# owner, the case's volunteer, admin (a group: its members, volunteers of a member case, admin)
CASE_FILES = {
    "cases:evidence",
    "cases:evidence_list",
    "documents:document",
    "documents:packet",
    "groups:group",
    "groups:filing",
}
VOLUNTEER_PAGES = {
    "review:queue",
    "review:dashboard",
    "review:dashboard_csv",
    "wizard:import_case",
    "groups:help_list",
}  # any volunteer, admin
VOLUNTEER_CASE = {  # the case's volunteer, admin
    "review:case",
    "review:take",
    "review:release",
    "review:comment",
    "review:letter",
    "review:decide",
    "groups:appoint",
}
IDENTIFIERS = {"case", "step", "evidence", "document", "review", "charge", "fact", "group", "member", "filing"}


def walk(resolver=None, namespace=""):
    """Yield (qualified name, route pattern) for every named URL outside the Django admin."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern


def allowed(name, role):
    if name in PUBLIC:
        return True
    if role == "anonymous":
        return False
    if name in OWNER_ONLY:
        return role == "owner"
    if role == "admin" or name in ANY_USER:
        return True
    if name in CASE_FILES:
        return role in {"owner", "assigned_volunteer"}
    if name in VOLUNTEER_PAGES:
        return role in {"unassigned_volunteer", "assigned_volunteer"}
    if name in VOLUNTEER_CASE:
        return role == "assigned_volunteer"
    raise AssertionError(f"classify {name!r} in tests/test_access_matrix.py")


@pytest.fixture
def world(ladder, settings):
    settings.SECURITY_CONTACT = "mailto:security@example.cn"
    owner = merchant("owner@example.com")
    case = open_case(owner)
    step = case.log_step(rung=case.rung, actor=owner, started_on=case.activation_date)
    evidence = Evidence.add(case, SimpleUploadedFile("a.txt", b"hello"), "text/plain", owner, title="t")
    document = letters.issue(case, letters.find_letter(case, "refund_application"), "zh-hans", owner)
    review = letters.submit_for_review(
        case, letters.find_letter(case, "complaint_financial", "pboc-branch"), "zh-hans", owner
    )  # also puts the case in the queue
    assigned = volunteer("assigned@example.com")
    case.take(assigned)
    # The owner's case is in a group it started, and represents it with another merchant's case.
    group = ComplaintGroup.start(case, ComplaintGroup.Practice.AGENT, "李代理", owner)
    partner = merchant("partner@example.com")
    group.join(open_case(partner), partner, confirmed=True)
    group.forget()
    member, other_member = group.active_list()
    member.set_filing_consent(True, owner)
    other_member.set_filing_consent(True, partner)
    member.stand(True, owner)
    member.choose(member, True, owner)
    other_member.choose(member, True, partner)
    member.refresh_from_db()
    filing = group_filing.issue(group, JointFiling.Recipient.PCAC, "zh-hans", member, owner)
    users = {
        "other_merchant": merchant("other@example.com"),
        "unassigned_volunteer": volunteer("free@example.com"),
        "owner": owner,
        "assigned_volunteer": assigned,
        "admin": admin_user(),
    }
    objects = {
        "case": case,
        "step": step,
        "evidence": evidence,
        "document": document,
        "review": review,
        "charge": case.first_charge(),
        "group": group,
        "member": member,
        "filing": filing,
        "fact": OfferedFact.objects.create(
            case=case,
            evidence=evidence,
            kind=OfferedFact.Kind.DATE,
            value="2025-03-01",
            line=0,
            line_text="2025年3月1日",
        ),
    }
    return users, objects


def url_for(name, pattern, objects):
    from django.contrib.auth.tokens import default_token_generator
    from django.core import signing
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    owner = objects["case"].owner
    kwargs = {}
    for key in pattern.converters:
        if key in IDENTIFIERS:
            kwargs[key] = objects[key].pk
        elif key == "step" and name == "wizard:ladder_step":
            kwargs[key] = "intake"
        elif key == "kind":
            kwargs[key] = "complaint_financial" if "channel" in pattern.converters else "refund_application"
        elif key == "channel":
            kwargs[key] = "pboc-branch"
        elif key == "token" and name == "reminders:snooze":
            kwargs[key] = signing.dumps({"step": str(objects["step"].pk)}, salt=SNOOZE_SALT, compress=True)
        elif key == "token" and name == "reminders:unsubscribe":
            kwargs[key] = signing.dumps({"user": owner.pk}, salt=UNSUBSCRIBE_SALT, compress=True)
        elif key == "token" and name == "groups:invite":
            kwargs[key] = objects["group"].invite_token
        elif key == "recipient":
            kwargs[key] = "pcac"
        elif key == "token" and name == "reminders:calendar":
            kwargs[key] = Profile.objects.get(user=owner).calendar_token
        elif key == "token":
            kwargs[key] = default_token_generator.make_token(owner)
        elif key == "uidb64":
            kwargs[key] = urlsafe_base64_encode(force_bytes(owner.pk))
        else:
            raise AssertionError(f"no value for <{key}> in {name}")
    if name == "wizard:ladder_step":
        kwargs["step"] = "intake"
    return reverse(name, kwargs=kwargs)


def test_every_url_is_classified_and_there_is_plenty_to_check(world):
    names = [name for name, _pattern in walk()]
    assert len(names) > 40
    for name in names:
        allowed(name, "owner")  # raises for an unclassified view


def test_object_identifiers_in_urls_are_uuids():
    for name, pattern in walk():
        for key, converter in pattern.converters.items():
            if key in IDENTIFIERS and not (name == "wizard:ladder_step" and key == "step"):
                assert isinstance(converter, UUIDConverter), f"{name}: <{key}> must be a UUID"
            assert type(converter).__name__ != "IntConverter", f"{name}: no sequential ids in URLs"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, world, role):
    users, objects = world
    if role != "anonymous":
        client.force_login(users[role])
    events_before = objects["case"].events.count()
    for name, pattern in walk():
        url = url_for(name, pattern, objects)
        if name in {"logout", "accounts:delete_account", "reminders:calendar_reset"}:
            # Following these would end the session or change the data the rest of the walk needs.
            continue
        response = client.get(url)
        assert response.status_code != 500, name
        if allowed(name, role):
            location = response.get("Location", "")
            assert response.status_code in {200, 302, 405}, (name, response.status_code)
            assert not location.startswith("/accounts/login/"), name
        elif role == "anonymous":
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith("/accounts/login/"), name
        else:
            assert response.status_code in {404, 405}, (name, role, response.status_code)
            assert client.post(url).status_code == 404, (name, role)
    if role in {"other_merchant", "unassigned_volunteer"}:
        objects["case"].refresh_from_db()
        assert objects["case"].assigned_to == users["assigned_volunteer"]
        assert objects["case"].events.count() == events_before  # nothing changed


@pytest.mark.parametrize("role", ["owner", "assigned_volunteer", "admin"])
def test_nothing_a_signed_in_user_is_sent_is_kept_in_a_cache(client, world, role):
    """Every page and download (cases, evidence, letters, the export, the CSV) says no-store to a signed-in user."""
    users, objects = world
    client.force_login(users[role])
    for name, pattern in walk():
        if name in {"logout", "accounts:delete_account", "reminders:calendar_reset"}:
            continue
        response = client.get(url_for(name, pattern, objects))
        assert "no-store" in response.get("Cache-Control", ""), (name, response.get("Cache-Control"))
    export = client.post(reverse("accounts:export"))
    assert export["Content-Type"] == "application/zip" and "no-store" in export["Cache-Control"]


def test_pages_opened_from_a_secret_link_are_not_kept_in_a_cache_either(client, world):
    """The calendar feed, snooze, unsubscribe and password-reset links work without signing in."""
    _users, objects = world
    for name, pattern in walk():
        if name in {"reminders:calendar", "reminders:snooze", "reminders:unsubscribe", "password_reset_confirm"}:
            response = client.get(url_for(name, pattern, objects))
            assert response.status_code in {200, 302}, name
            assert "no-store" in response["Cache-Control"], name


def test_the_django_admin_is_for_staff_only(client, world):
    users, _objects = world
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    for role in ("owner", "assigned_volunteer"):
        client.force_login(users[role])
        assert client.get("/admin/").status_code == 302
    client.force_login(users["admin"])
    assert client.get("/admin/").status_code == 200
