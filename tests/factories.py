import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = "张三"
    password = factory.django.Password("correct horse battery staple")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Profile"

    user = factory.SubFactory(UserFactory)
    full_name = "张三"
    mobile = "13812345678"
    postal_address = "四川省成都市武侯区人民南路四段1号"


def merchant(username=None, **profile):
    """A merchant with a profile; password 'correct horse battery staple'."""
    user = UserFactory(**({"username": username} if username else {}))
    ProfileFactory(user=user, **profile)
    return user


def open_case(owner, **intake):
    """A case past intake and the policy, at rung 1, through the model methods."""
    import datetime
    from decimal import Decimal

    from cases.forms.intake import intake_values
    from cases.models import Case
    from escalation.models import Provider

    case = Case.open(owner)
    values = {
        "provider": Provider.objects.get(short_name_zh="拉卡拉"),
        "obtained_via": "agent",
        "agent_name": "李代理",
        "merchant_kind": "person",
        "merchant_number": "822100058120001",
        "terminal_sn": "N3000123",
        "activation_date": datetime.date(2025, 3, 1),
        "amount": Decimal("299.00"),
        "charge_kind": "deposit",
        "payment_method": "deducted_from_settlement",
        "promise_form": "oral",
        "promised_by": "agent",
        "category": "refund",
        "province": "sichuan",
        "use": "business",
    }
    values.update(intake)
    case.save_intake(intake_values(values), owner)
    case.refresh_from_db()
    return case


def volunteer(username="volunteer@example.com", full_name="李志愿"):
    """A user in the volunteer group (may work the review queue)."""
    from django.contrib.auth.models import Group

    from accounts.roles import VOLUNTEER, ensure_roles

    ensure_roles()
    user = UserFactory(username=username, first_name=full_name)
    user.groups.add(Group.objects.get(name=VOLUNTEER))
    return user


def admin_user(username="root@example.com"):
    return UserFactory(username=username, is_staff=True, is_superuser=True)
