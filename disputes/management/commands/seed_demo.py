"""Load the ladder content and a realistic demo: accounts for each role and cases at different rungs.

Safe to run again: everything is found by a fixed key and created only when missing.
"""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from disputes.models import Case
from escalation.content import load_ladder

DEMO_NAMESPACE = uuid.UUID("6f1c2b1e-3d4a-4c7e-9a55-0d1f2e3c4b5a")

# (username, password, role, first name). Development only: the passwords are printed.
DEMO_USERS = [
    ("merchant", "demo-merchant-pass", "merchant", "王小明"),
    ("volunteer", "demo-volunteer-pass", "volunteer", "李志愿"),
    ("admin", "demo-admin-pass", "admin", "管理员"),
]

# The merchant's demo cases, by a stable key; later issues walk them up the ladder.
DEMO_CASES = ["reading-policy", "waiting-customer-service", "application-sent"]


class Command(BaseCommand):
    help = "Load the ladder content and demo accounts and cases (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even though DEBUG is off (demo passwords are public: never on a real site).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("seed_demo creates accounts with public passwords; it runs only with DEBUG=1.")
        with transaction.atomic():
            load_ladder()
            users = {
                role: self.ensure_user(username, password, role, name) for username, password, role, name in DEMO_USERS
            }
            for key in DEMO_CASES:
                self.ensure_case(users["merchant"], key)
        self.stdout.write("Demo accounts (development only):")
        for username, password, role, _name in DEMO_USERS:
            self.stdout.write(f"  {role:<10} {username} / {password}")

    def ensure_user(self, username, password, role, first_name):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "email": f"{username}@example.com",
                "is_staff": role == "admin",
                "is_superuser": role == "admin",
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
        return user

    def ensure_case(self, owner, key):
        case_id = uuid.uuid5(DEMO_NAMESPACE, key)
        if Case.objects.filter(id=case_id).exists():
            return
        Case.open(owner, pk=case_id)
