"""The group's rules, through its model methods: start, join, consent, leave, representatives (two at most)."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import Event
from groups.models import Choice, ComplaintGroup, GroupEvent, Membership
from tests.factories import merchant, open_case, volunteer
from tests.groups.conftest import amounts, members

pytestmark = pytest.mark.django_db


def reps(group):
    group.forget()
    return [member.number for member in group.representatives]


def kinds(group):
    return list(group.events.order_by("created_at", "id").values_list("kind", flat=True))


def case_events(case, kind):
    return list(case.events.filter(kind=kind).values_list("data", flat=True))


def test_starting_takes_the_case_provider_and_practice_and_makes_it_member_1(cases, merchants):
    options = ComplaintGroup.practice_options(cases[0])
    assert (ComplaintGroup.Practice.AGENT, "刘经理") in options
    assert any(practice == ComplaintGroup.Practice.FEE for practice, _text in options)

    group = ComplaintGroup.start(cases[0], ComplaintGroup.Practice.AGENT, "刘经理", merchants[0])

    assert group.provider == cases[0].provider and group.provider_name == cases[0].provider_name
    [member] = members(group)
    assert member.number == 1 and member.case == cases[0]
    assert member.filing_consent_at is None and member.name_consent_at is None  # nothing agreed by starting
    assert kinds(group) == [GroupEvent.Kind.CREATED, GroupEvent.Kind.JOINED]
    assert case_events(cases[0], Event.Kind.GROUP_JOINED)[0]["started"] is True
    assert len(group.invite_token) >= 40


def test_only_the_owner_starts_from_an_open_case_and_only_about_what_it_records(cases, merchants):
    with pytest.raises(ValidationError):
        ComplaintGroup.start(cases[0], ComplaintGroup.Practice.AGENT, "刘经理", merchants[1])
    with pytest.raises(ValidationError):
        ComplaintGroup.start(cases[0], ComplaintGroup.Practice.AGENT, "别的代理", merchants[0])
    cases[0].withdraw("不想继续", merchants[0])
    with pytest.raises(ValidationError):
        ComplaintGroup.start(cases[0], ComplaintGroup.Practice.AGENT, "刘经理", merchants[0])
    assert not ComplaintGroup.objects.exists()


def test_joining_needs_an_own_open_case_against_the_same_provider_and_a_confirmation(group, merchants, ladder):
    stranger = merchant("stranger@example.com")
    other_provider = open_case(stranger, provider=None, provider_other="别的支付公司")
    with pytest.raises(ValidationError):
        group.join(other_provider, stranger, confirmed=True)
    own = open_case(stranger)
    with pytest.raises(ValidationError):
        group.join(own, stranger, confirmed=False)
    with pytest.raises(ValidationError):
        group.join(own, merchants[0], confirmed=True)  # not their case
    with pytest.raises(ValidationError):
        group.join(open_case(merchants[0]), merchants[0], confirmed=True)  # in the group already
    member = group.join(own, stranger, confirmed=True)
    assert member.number == 4
    assert [m.number for m in members(group)] == [1, 2, 3, 4]


def test_consents_are_recorded_with_their_time_on_both_timelines_and_can_be_withdrawn(group, merchants, frozen):
    member = members(group)[1]
    member.set_filing_consent(True, merchants[1])
    member.set_name_consent(True, merchants[1])
    member.refresh_from_db()
    assert member.filing_consent_at is not None and member.name_consent_at is not None
    assert member.filing_consent_at.isoformat().startswith("2026-12-03")
    assert case_events(member.case, Event.Kind.GROUP_CONSENT) == [
        {"group": str(group.pk), "member": 2, "consent": "filing", "given": True},
        {"group": str(group.pk), "member": 2, "consent": "name", "given": True},
    ]

    member.set_name_consent(False, merchants[1])
    member.refresh_from_db()
    assert member.name_consent_at is None and member.filing_consent_at is not None
    assert GroupEvent.Kind.NAME_CONSENT_WITHDRAWN in kinds(group)
    member.set_name_consent(False, merchants[1])  # twice: nothing more is written
    assert kinds(group).count(GroupEvent.Kind.NAME_CONSENT_WITHDRAWN) == 1


def agree_all(group, merchants):
    for member, owner in zip(members(group), merchants, strict=True):
        member.set_filing_consent(True, owner)


def test_the_members_choose_representatives_by_majority_and_two_at_most(group, merchants):
    agree_all(group, merchants)
    first, second, third = members(group)
    for member, owner in zip((first, second, third), merchants, strict=True):
        member.stand(True, owner)
    first.choose(first, True, merchants[0])
    assert members(group)[0].is_representative is False  # 1 of 3 is no majority
    second.choose(first, True, merchants[1])
    assert reps(group) == [1]  # 2 of 3
    with pytest.raises(ValidationError):  # nobody can choose who is not in the group
        first.choose(Membership(group=ComplaintGroup(), number=9), True, merchants[0])
    for member, owner in ((first, merchants[0]), (second, merchants[1])):
        member.choose(second, True, owner)
    third.choose(third, True, merchants[2])
    with pytest.raises(ValidationError):  # each member chooses two at most
        first.choose(third, True, merchants[0])
    third.choose(first, True, merchants[2])
    group.forget()
    assert reps(group) == [1, 2]
    assert third.is_standing and not members(group)[2].is_representative  # no seat left
    rep = members(group)[0]
    assert rep.chosen_by == Membership.ChosenBy.MEMBERS
    assert case_events(rep.case, Event.Kind.GROUP_REPRESENTATIVE)[-1]["representative"] is True


def test_a_representative_chosen_by_the_members_stops_when_the_support_goes(group, merchants):
    agree_all(group, merchants)
    first, second, _third = members(group)
    first.stand(True, merchants[0])
    first.choose(first, True, merchants[0])
    second.choose(first, True, merchants[1])
    assert members(group)[0].is_representative
    second.choose(first, False, merchants[1])
    assert not members(group)[0].is_representative
    assert GroupEvent.Kind.REPRESENTATIVE_ENDED in kinds(group)


def test_withdrawing_from_the_filing_ends_being_a_representative(group, merchants):
    agree_all(group, merchants)
    first, second, _third = members(group)
    first.stand(True, merchants[0])
    first.choose(first, True, merchants[0])
    second.choose(first, True, merchants[1])
    first.set_filing_consent(False, merchants[0])
    first.refresh_from_db()
    assert not first.is_representative and not first.is_standing
    with pytest.raises(ValidationError):
        first.stand(True, merchants[0])  # a representative is in the filing


def test_a_volunteer_appoints_and_replaces_representatives(group, merchants):
    helper = volunteer()
    first, second, third = members(group)
    with pytest.raises(ValidationError):  # only members in the filing
        group.appoint([first], helper)
    agree_all(group, merchants)
    first, second, third = members(group)
    group.ask_for_help(merchants[2])
    assert group.asks_for_help
    with pytest.raises(ValidationError):
        group.appoint([first, second, third], helper)
    group.appoint([first, second], helper)
    assert reps(group) == [1, 2]
    assert {m.chosen_by for m in members(group) if m.is_representative} == {Membership.ChosenBy.VOLUNTEER}
    assert not ComplaintGroup.objects.get(pk=group.pk).asks_for_help
    group.appoint([third], helper)  # replaced
    assert reps(group) == [3]
    # A volunteer-appointed representative does not need the members' choices to stay.
    members(group)[2].choose(members(group)[0], True, merchants[2])
    assert reps(group) == [3]


def test_a_representative_who_leaves_stops_being_one_and_the_choices_end(group, merchants):
    agree_all(group, merchants)
    first, second, third = members(group)
    first.stand(True, merchants[0])
    for member, owner in zip((first, second, third), merchants, strict=True):
        member.choose(first, True, owner)
    assert members(group)[0].is_representative
    first.leave(merchants[0])
    first.refresh_from_db()
    assert first.left_at is not None and not first.is_representative
    assert not Choice.objects.filter(candidate=first).exists()
    assert [m.number for m in members(group)] == [2, 3]
    assert case_events(first.case, Event.Kind.GROUP_LEFT) == [{"group": str(group.pk), "member": 1}]
    with pytest.raises(ValidationError):
        first.set_filing_consent(True, merchants[0])


def test_leaving_never_touches_the_members_own_case(group, merchants, cases):
    member = members(group)[1]
    member.set_filing_consent(True, merchants[1])
    case = cases[1]
    case.log_step(rung=case.rung, actor=merchants[1], started_on=case.activation_date)
    case.refresh_from_db()
    from cases.models import Case

    def snapshot():
        fresh = Case.objects.get(pk=case.pk)
        fields = {field.attname: getattr(fresh, field.attname) for field in Case._meta.concrete_fields}
        return (
            fields,
            amounts(fresh),
            list(fresh.evidence.values_list("pk", "sha256", "title", "exhibit_number")),
            list(fresh.steps.values_list("pk", "due_on", "outcome", "next_reminder_at")),
            list(fresh.parties.values_list("pk", "name", "mobile")),
            fresh.live_deadline() and fresh.live_deadline().due_on,
        )

    before = snapshot()
    events_before = case.events.count()
    member.leave(merchants[1])
    assert snapshot() == before
    assert case.events.count() == events_before + 1  # only the timeline says so


def test_a_change_that_fails_halfway_leaves_nothing(cases, merchants):
    """The group's row, its timeline and the case's timeline are written together or not at all."""
    from django.db import DatabaseError

    from tests.test_atomic_state_changes import event_write_fails

    group = ComplaintGroup.start(cases[0], ComplaintGroup.Practice.AGENT, "刘经理", merchants[0])
    events = group.events.count()
    with event_write_fails(Event.Kind.GROUP_JOINED), pytest.raises(DatabaseError):
        group.join(cases[1], merchants[1], confirmed=True)
    assert [member.number for member in members(group)] == [1] and group.events.count() == events
    member = members(group)[0]
    with event_write_fails(Event.Kind.GROUP_CONSENT), pytest.raises(DatabaseError):
        member.set_filing_consent(True, merchants[0])
    member.refresh_from_db()
    assert member.filing_consent_at is None and group.events.count() == events
    with event_write_fails(Event.Kind.GROUP_LEFT), pytest.raises(DatabaseError):
        member.leave(merchants[0])
    member.refresh_from_db()
    assert member.is_active and group.events.count() == events
