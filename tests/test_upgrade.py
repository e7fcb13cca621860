"""An existing database upgrades in place: every row and every file is still there after ``manage.py migrate``.

The fixture (tests/upgrade/layout_0016.json and tests/upgrade/media/, written by tests/upgrade/make_fixture.py)
is a demo database at the layout before disputes/ was split into several apps. Each backend gets a scratch
database: migrated to that layout, filled with the fixture's rows (through the historical models of that
migration state) and files, migrated to the newest layout by ``manage.py migrate`` as a separate process,
and read back through the newest historical models, table by table (a moved model keeps its db_table).
"""

import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

from tests.conftest import BIN, ROOT, database_url
from tests.upgrade import rows

# (app_label, model) of a model that moved out of its app -> its new app_label, or (app_label, model)
# if it was renamed too. Its content type row is renamed by a data migration (same id, so permissions,
# groups and admin log entries follow it); rows of django_content_type are compared with this applied.
# These are the models disputes 0017 hands over to the apps of issue 19.
MOVED = {
    ("disputes", "case"): "cases",
    ("disputes", "party"): "cases",
    ("disputes", "charge"): "cases",
    ("disputes", "step"): "cases",
    ("disputes", "evidence"): "cases",
    ("disputes", "event"): "cases",
    ("disputes", "wizardstate"): "cases",
    ("disputes", "formsubmission"): "cases",
    ("disputes", "reminder"): "reminders",
    ("disputes", "notification"): "reminders",
    ("disputes", "sweeprun"): "reminders",
    ("disputes", "document"): "documents",
    ("disputes", "letterreview"): "documents",
    ("disputes", "comment"): "review",
    ("disputes", "profile"): "accounts",
    ("disputes", "smscode"): "accounts",
    ("disputes", "failedlogin"): "accounts",
    ("disputes", "passwordresetrequest"): "accounts",
}

# Apps added since the fixture's layout (issue 20: the message checker, the facts read from evidence):
# migrate gives each of their models a content type and its permissions. Those rows are new; the data
# that was there is compared as before.
NEW_APPS = {"checker", "groups", "reading"}

CASE_TABLE = "disputes_case"
REVIEW_PERMISSION = "review_case"
VOLUNTEERS = "volunteer"


def command_env(tmp_path, url, media_root):
    """The environment of the repo's other subprocess tests (conftest's new_stack), without web and worker."""
    return {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": "upgrade-tests-only-secret-key",
        "DEBUG": "0",
        "STATIC_MANIFEST": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": str(media_root),
        "SMS_BACKEND": "lib.sms.backends.FileBackend",
        "SMS_FILE_PATH": str(tmp_path / "sms"),
        "LOG_LEVEL": "WARNING",
    }


def run(args, env):
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def postgres_scratch(name):
    """A fresh database ``name`` on the suite's PostgreSQL server; a function that drops it."""
    import psycopg
    from psycopg import sql

    database = settings.DATABASES["default"]
    server = {
        "host": database["HOST"] or "127.0.0.1",
        "port": database["PORT"] or 5432,
        "user": database["USER"] or None,
        "password": database["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }

    def drop():
        with psycopg.connect(**server) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    drop()  # left over from an interrupted run
    with psycopg.connect(**server) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return drop


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch_database(request, tmp_path):
    """The URL of an empty database of the backend: a SQLite file, or one beside the suite's PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("the suite's database is SQLite: the PostgreSQL upgrade runs when DATABASE_URL is postgres:// (CI)")
    name = f"{settings.DATABASES['default']['NAME']}_upgrade"
    drop = postgres_scratch(name)
    yield f"{database_url(settings).rsplit('/', 1)[0]}/{name}"
    drop()


@pytest.fixture(scope="module")
def layout():
    """The fixture: {"migrations": {app_label: name}, "files": {name: sha256}, "tables": [...]}."""
    return rows.read_json(rows.FIXTURE)


def test_upgrade_keeps_every_row_and_every_file(scratch_database, tmp_path, layout):
    media_root = tmp_path / "upgrade-media"
    env = command_env(tmp_path, scratch_database, media_root)

    # The old layout, holding the fixture's rows and files.
    run(["-m", "tests.upgrade.rows", "old-layout", str(rows.FIXTURE)], env)
    shutil.copytree(rows.MEDIA, media_root)

    run(["manage.py", "migrate", "--no-input", "-v0"], env)

    run(["-m", "tests.upgrade.rows", "dump", str(tmp_path / "after.json")], env)
    after = without_new_apps(rows.read_json(tmp_path / "after.json")["tables"])
    problems = rows.differences(rows.expected_tables(layout["tables"], MOVED), after)
    problems += rows.file_differences(layout["files"], after, media_root)
    assert not problems, "the upgrade lost or changed data:\n" + "\n".join(problems)

    # The volunteers may still review cases: their permission is the Case model's, wherever it lives now.
    assert volunteers_may_review(after)


def without_new_apps(tables, new_apps=NEW_APPS):
    """``tables`` without the content types of ``new_apps`` and the permissions on them."""
    new_types = {
        row["id"]
        for entry in tables
        if entry["db_table"] == "django_content_type"
        for row in entry["rows"]
        if row["app_label"] in new_apps
    }

    def kept(entry):
        if entry["db_table"] == "django_content_type":
            return [row for row in entry["rows"] if row["id"] not in new_types]
        if entry["db_table"] == "auth_permission":
            return [row for row in entry["rows"] if row["content_type_id"] not in new_types]
        return entry["rows"]

    return [{**entry, "rows": kept(entry)} for entry in tables]


def volunteers_may_review(tables):
    """True when the volunteers' group holds review_case on the content type of the model kept in disputes_case."""
    tables = {entry["db_table"]: entry for entry in tables}
    case = tables[CASE_TABLE]
    (case_type,) = [
        row["id"]
        for row in tables["django_content_type"]["rows"]
        if (row["app_label"], row["model"]) == (case["app_label"], case["model"])
    ]
    (review,) = [
        row["id"]
        for row in tables["auth_permission"]["rows"]
        if row["codename"] == REVIEW_PERMISSION and row["content_type_id"] == case_type
    ]
    (volunteers,) = [row["id"] for row in tables["auth_group"]["rows"] if row["name"] == VOLUNTEERS]
    held = {(row["group_id"], row["permission_id"]) for row in tables["auth_group_permissions"]["rows"]}
    return (volunteers, review) in held


def test_the_fixture_holds_rows_in_every_table_and_real_files(layout):
    assert layout["migrations"]["disputes"] == rows.OLD_LAYOUT["disputes"]
    assert layout["migrations"]["escalation"] == rows.OLD_LAYOUT["escalation"]
    assert [entry["db_table"] for entry in layout["tables"] if not entry["rows"]] == []
    assert rows.files_in(rows.MEDIA) == layout["files"]
    assert rows.file_differences(layout["files"], layout["tables"], rows.MEDIA) == []
    kinds = {name.rsplit(".", 1)[1] for name in layout["files"]}
    assert {"pdf", "png"} <= kinds
    assert volunteers_may_review(layout["tables"])


def test_the_comparison_sees_a_lost_row_a_changed_value_and_a_lost_file(layout, tmp_path):
    tables = layout["tables"]
    assert rows.differences(tables, tables) == []
    damaged = [dict(entry, rows=list(entry["rows"])) for entry in tables]
    by_table = {entry["db_table"]: entry for entry in damaged}
    lost = by_table[CASE_TABLE]["rows"].pop()
    by_table["auth_group"]["rows"][0] = {**by_table["auth_group"]["rows"][0], "name": "renamed"}
    problems = rows.differences(tables, damaged)
    assert any(CASE_TABLE in line and lost["id"] in line and "lost" in line for line in problems)
    assert any(line.startswith("auth_group ") and "'renamed'" in line for line in problems)
    assert len(problems) == 2

    shutil.copytree(rows.MEDIA, tmp_path / "upgrade-media")
    name = next(iter(layout["files"]))
    os.remove(tmp_path / "upgrade-media" / name)
    assert any(name in line for line in rows.file_differences(layout["files"], tables, tmp_path / "upgrade-media"))


def test_moved_content_types_are_expected_under_their_new_app_label(layout):
    moved = {("disputes", "case"): "cases", ("disputes", "event"): ("cases", "caseevent")}
    relabelled = rows.expected_tables(layout["tables"], moved)
    (types,) = [entry for entry in relabelled if entry["db_table"] == "django_content_type"]
    labels = {row["id"]: (row["app_label"], row["model"]) for row in types["rows"]}
    (before,) = [entry for entry in layout["tables"] if entry["db_table"] == "django_content_type"]
    old = {row["id"]: (row["app_label"], row["model"]) for row in before["rows"]}
    changed = {old[pk]: labels[pk] for pk in old if old[pk] != labels[pk]}
    assert changed == {("disputes", "case"): ("cases", "case"), ("disputes", "event"): ("cases", "caseevent")}


def test_only_the_new_apps_content_types_and_their_permissions_are_set_aside(layout):
    tables = layout["tables"]
    assert without_new_apps(tables) == tables  # the fixture predates them
    types = next(entry for entry in tables if entry["db_table"] == "django_content_type")
    permissions = next(entry for entry in tables if entry["db_table"] == "auth_permission")
    new_type = {**types["rows"][0], "id": 9999, "app_label": "checker", "model": "scammark"}
    new_permission = {**permissions["rows"][0], "id": 9999, "content_type_id": 9999}
    grown = [
        {**entry, "rows": [*entry["rows"], new_type]}
        if entry is types
        else {**entry, "rows": [*entry["rows"], new_permission]}
        if entry is permissions
        else entry
        for entry in tables
    ]
    assert rows.differences(tables, grown) != []
    assert without_new_apps(grown) == tables
