import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from cases.models import Case, Event
from escalation.models import Rung

pytestmark = pytest.mark.django_db


def counts():
    return {
        "users": get_user_model().objects.count(),
        "rungs": Rung.objects.count(),
        "cases": Case.objects.count(),
        "events": Event.objects.count(),
    }


def test_seed_demo_is_idempotent():
    call_command("seed_demo", allow_without_debug=True, stdout=None)
    first = counts()
    assert first["users"] == 5
    assert first["rungs"] == 5
    assert first["cases"] >= 5

    call_command("seed_demo", allow_without_debug=True)
    assert counts() == first


def test_seed_demo_creates_one_account_per_role_with_the_printed_passwords(capsys):
    call_command("seed_demo", allow_without_debug=True)
    out = capsys.readouterr().out
    for role, username, password in [
        ("merchant", "merchant", "demo-merchant-pass"),
        ("volunteer", "volunteer", "demo-volunteer-pass"),
        ("admin", "admin", "demo-admin-pass"),
    ]:
        assert f"{username} / {password}" in out
        user = authenticate(username=username, password=password)
        assert user is not None
        assert user.groups.filter(name=role).exists()
    assert get_user_model().objects.get(username="admin").is_superuser
    assert not get_user_model().objects.get(username="merchant").is_staff


def test_seed_demo_does_not_reset_a_changed_password():
    call_command("seed_demo", allow_without_debug=True)
    merchant = get_user_model().objects.get(username="merchant")
    merchant.set_password("a new password of my own")
    merchant.save()

    call_command("seed_demo", allow_without_debug=True)

    assert authenticate(username="merchant", password="a new password of my own") is not None


def test_seed_demo_refuses_without_debug():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert counts()["users"] == 0


def test_seed_demo_cases_sit_at_different_rungs_with_a_lapsed_deadline():
    from cases.models import Step, china_today

    call_command("seed_demo", allow_without_debug=True)
    cases = Case.objects.filter(owner__username="merchant")
    assert {case.resume_step() for case in cases} >= {"policy", "customer_service", "application", "outcome"}
    assert {case.rung.position for case in cases} >= {1, 2, 3}
    lapsed = Step.objects.filter(rung__position=2, outcome__in=["pending", "promised"], due_on__lt=china_today())
    assert lapsed.exists()
    assert cases.filter(status=Case.Status.RESOLVED).exists()


def test_seed_demo_makes_a_group_of_three_merchants_with_consents_and_one_representative():
    from groups.models import ComplaintGroup

    call_command("seed_demo", allow_without_debug=True)
    call_command("seed_demo", allow_without_debug=True)
    group = ComplaintGroup.objects.get()
    members = group.active_list()
    assert len(members) == 3
    assert len({member.case.owner_id for member in members}) == 3  # three demo merchant accounts
    assert {member.case.provider_id for member in members} == {group.provider_id}
    assert {member.case.agent.name for member in members} == {"刘经理"}  # the same agent
    assert all(member.in_filing for member in members)
    assert [member.shows_name for member in members] == [True, True, False]
    assert [member.case.owner.username for member in group.representatives] == ["merchant"]
    for username in ("merchant2", "merchant3"):
        assert authenticate(username=username, password=f"demo-{username}-pass") is not None
