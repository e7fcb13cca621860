"""Write the upgrade test's fixture: a demo database at the layout before disputes/ was split, row by row.

Run by hand, from the project, on the code of that layout (disputes at 0016_named_queue_reasons_and_notice_kinds,
escalation at 0012_no_internal_references, nothing after them; the script refuses anything else)::

    .venv/bin/python tests/upgrade/make_fixture.py [--keep]

Once the split is merged, the old layout is a checkout of an earlier commit, e.g.
``git worktree add /tmp/old-layout <commit>`` and run the script there, then copy its output back.

What it does, in a temporary directory (``--keep`` leaves it there and prints where):

1. a fresh SQLite database (``DATABASE_URL=sqlite:///…``, ``DEBUG=1``) and ``MEDIA_ROOT``;
   ``manage.py migrate`` and ``manage.py seed_demo``;
2. what the demo lacks, so nearly every table has rows and there are real files: evidence (a photo, a
   PDF, a chat export), a volunteer's approval and the letter issued after it (a PDF), a reminder
   sweep, throttling records, a wizard draft, a holiday calendar, a provincial wage, a user's own
   permission and an admin log entry about a case;
3. every row of every table, read through the historical models of that migration state
   (tests/upgrade/rows.py), into ``tests/upgrade/layout_0016.json``, and the media files into
   ``tests/upgrade/media/`` (their SHA-256 in the JSON).

Not part of the suite. Dates in the demo are relative to the day it runs, so the fixture changes
every time it is written: write it again only to change what it holds.
"""

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from tests.upgrade import rows  # noqa: E402 - after the project is on the path

DEMO_NAMESPACE = uuid.UUID("6f1c2b1e-3d4a-4c7e-9a55-0d1f2e3c4b5a")  # seed_demo's: its cases' ids
CLIENT_ADDRESS = "203.0.113.7"  # TEST-NET-3: no one's address


def environment(base):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
        "DEBUG": "1",
        "MEDIA_ROOT": str(base / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SMS_BACKEND": "lib.sms.backends.FileBackend",
        "SMS_FILE_PATH": str(base / "sms"),
        "LOG_LEVEL": "WARNING",
    }


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def old_layout_or_exit():
    """{app_label: migration name}: the newest migration of each app, which must be the old layout's."""
    from django.db.migrations.loader import MigrationLoader

    leaves = dict(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    wrong = {app: name for app, name in rows.OLD_LAYOUT.items() if leaves.get(app) != name}
    if wrong or set(leaves) - {"admin", "auth", "contenttypes", "sessions", *rows.OLD_LAYOUT}:
        raise SystemExit(
            f"This code is not the old layout (newest migrations: {leaves}); run the script on a checkout of it."
        )
    return dict(sorted(leaves.items()))


def demo_case(key):
    from disputes.models import Case

    return Case.objects.select_related("owner").get(pk=uuid.uuid5(DEMO_NAMESPACE, key))


def small_png():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (96, 64), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 88, 24), fill="#1677ff")
    draw.text((10, 36), "APP-5521", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def small_pdf():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "merchant agreement (blank page)"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def add_what_the_demo_lacks():
    import datetime

    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.uploadedfile import SimpleUploadedFile

    from disputes import letters, reminders
    from disputes.models import (
        Case,
        Evidence,
        FailedLogin,
        FormSubmission,
        PasswordResetRequest,
        SmsCode,
        WizardState,
    )
    from disputes.personal import keyed_hash
    from escalation.models import HolidayCalendar, HolidayDate, ProvinceWage

    User = get_user_model()
    volunteer = User.objects.get(username="volunteer")
    admin = User.objects.get(username="admin")

    # Evidence: the screenshot the volunteer asked for, the agreement as a PDF, a chat export.
    lapsed = demo_case("customer-service-lapsed")
    step = lapsed.steps.order_by("pk").last()
    for name, body, kind, title in [
        ("工单截图.png", small_png(), "image/png", "App工单截图"),
        ("商户协议.pdf", small_pdf(), "application/pdf", "商户协议"),
        ("微信聊天记录.txt", "刘经理：三个月刷满5万，押金全退。\n".encode(), "text/plain", "与代理商的聊天记录"),
    ]:
        Evidence.add(lapsed, SimpleUploadedFile(name, body, kind), kind, lapsed.owner, title, step=step)

    # The volunteer approves the complaint waiting for review; the merchant issues it (a PDF).
    sent = demo_case("application-sent")
    letter = letters.find_letter(sent, "complaint_financial", "pboc-branch")
    letters.latest_review(sent, letter).decide(volunteer, approve=True)
    letters.issue(sent, letter, "zh-hans", sent.owner)

    # Reminders, their notices and the sweep's own record.
    reminders.sweep_all()

    # Throttling records, a login code, a wizard draft and a used form token.
    FailedLogin.objects.create(account=keyed_hash("merchant"), address=CLIENT_ADDRESS)
    PasswordResetRequest.accept("merchant@example.com", CLIENT_ADDRESS)
    SmsCode.issue("13800138000", CLIENT_ADDRESS)
    started = demo_case("reading-policy")
    WizardState.objects.create(case=started, data={"policy": {"checklist-target_met": "unsure"}})
    FormSubmission.claim(started, uuid.uuid5(DEMO_NAMESPACE, "form-token"))

    # An admin's entries: a holiday calendar for a year no library knows, a provincial wage (not a real figure).
    calendar = HolidayCalendar.objects.create(year=2099, complete=False, source="upgrade test fixture")
    HolidayDate.objects.create(calendar=calendar, date=datetime.date(2099, 1, 1), kind="holiday", name="元旦")
    ProvinceWage.objects.create(
        province="sichuan", year=2098, average_annual_wage=100000, source="upgrade test fixture (not a real figure)"
    )

    # A permission given to a user directly, and the admin's log of a change to a case.
    volunteer.user_permissions.add(Permission.objects.get(content_type__app_label="disputes", codename="view_case"))
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Case),
        object_id=str(sent.pk),
        object_repr=str(sent)[:200],
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Status"]}}]',
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and media")
    options = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="layout-0016-"))
    env = environment(base)
    os.environ.update(env)
    import django

    django.setup()
    nodes = old_layout_or_exit()

    manage("migrate", "-v0", env=env)
    manage("seed_demo", env=env)
    add_what_the_demo_lacks()

    tables = rows.dump(rows.state_apps(list(nodes.items())))
    files = rows.files_in(base / "media")
    empty = [entry["db_table"] for entry in tables if not entry["rows"]]
    shutil.rmtree(rows.MEDIA, ignore_errors=True)
    shutil.copytree(base / "media", rows.MEDIA)
    rows.write_json(rows.FIXTURE, {"migrations": nodes, "files": files, "tables": tables})
    size = rows.FIXTURE.stat().st_size + sum(path.stat().st_size for path in rows.MEDIA.rglob("*") if path.is_file())
    print(f"{rows.FIXTURE.relative_to(ROOT)}: {len(tables)} tables, {sum(len(t['rows']) for t in tables)} rows")
    print(f"{rows.MEDIA.relative_to(ROOT)}: {len(files)} files; {size // 1024} KB in all")
    print(f"tables without rows: {', '.join(empty) or 'none'}")
    if options.keep:
        print(f"database and media kept in {base}")
    else:
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
