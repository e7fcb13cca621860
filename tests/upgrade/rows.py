"""Every row and file of a database, read and written through the historical models of a migration state.

The upgrade test (tests/test_upgrade.py) and the script that wrote its fixture (make_fixture.py) share
this module. It never imports the app's models: a model may move to another app, but the migration
state at a given set of migrations, and each table's name, stay what they were.

Each table is written as ``{"app_label", "model", "db_table", "pk", "file_fields", "rows"}``, its rows
ordered by primary key, each row ``{field.attname: field.value_to_string(obj)}`` (``None`` for NULL).

Inside a process whose settings point at the database (``DATABASE_URL``, ``MEDIA_ROOT``)::

    python -m tests.upgrade.rows old-layout FIXTURE   # migrate an empty database to the fixture's
                                                      # migrations, then replace every row by its rows
    python -m tests.upgrade.rows dump OUT             # every row at the newest migrations, as JSON
"""

import hashlib
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "layout_0016.json"
MEDIA = HERE / "media"

# The layout before the split of disputes/ into several apps.
OLD_LAYOUT = {"disputes": "0016_named_queue_reasons_and_notice_kinds", "escalation": "0012_no_internal_references"}
# Not data: the migration history itself, and logins that may be lost at any upgrade.
SKIPPED_TABLES = {"django_migrations", "django_session"}
CONTENT_TYPES = "django_content_type"


def state_apps(nodes=None):
    """The historical models at ``nodes`` [(app_label, migration name)], or at the newest migrations."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state(nodes).apps


def unapplied(using="default"):
    """The migrations ``migrate`` would still apply, as 'app_label.name' strings."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def tables_of(apps):
    """{db_table: historical model} for every table the state's models keep rows in."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if not opts.managed or opts.proxy or opts.db_table in SKIPPED_TABLES:
            continue
        if opts.db_table in tables:
            raise ValueError(f"two models keep their rows in {opts.db_table}")
        tables[opts.db_table] = model
    return tables


def encode(field, obj):
    value = field.value_from_object(obj)
    return None if value is None else field.value_to_string(obj)


def decode(field, value):
    return None if value is None else field.to_python(value)


def is_file_field(field):
    from django.db.models import FileField

    return isinstance(field, FileField)


def dump(apps, using="default"):
    """Every table of the state: [{"app_label", "model", "db_table", "pk", "file_fields", "rows"}], by db_table."""
    result = []
    for table, model in sorted(tables_of(apps).items()):
        fields = model._meta.local_concrete_fields
        rows = [
            {field.attname: encode(field, obj) for field in fields}
            for obj in model._base_manager.using(using).order_by("pk")
        ]
        result.append(
            {
                "app_label": model._meta.app_label,
                "model": model._meta.model_name,
                "db_table": table,
                "pk": model._meta.pk.attname,
                "file_fields": [field.attname for field in fields if is_file_field(field)],
                "rows": rows,
            }
        )
    return result


def load(apps, tables, using="default"):
    """Replace every row of the state's tables by the rows of ``tables`` (a dump), in one transaction.

    Foreign keys are checked at the commit (Django creates them DEFERRABLE INITIALLY DEFERRED on
    SQLite and PostgreSQL), so tables are emptied and filled in any order. Values are stored as
    they are: fields that stamp the time on insert are told not to.
    """
    from django.core.management.color import no_style
    from django.db import connections, transaction

    connection = connections[using]
    models = tables_of(apps)
    expected, given = set(models), {entry["db_table"] for entry in tables}
    if expected != given:
        missing, unknown = sorted(expected - given), sorted(given - expected)
        raise ValueError(f"the fixture's tables are not the state's: missing {missing}, unknown {unknown}")
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            for table in sorted(models):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a table of the state
        for entry in tables:
            model = models[entry["db_table"]]
            fields = {field.attname: field for field in model._meta.local_concrete_fields}
            for field in fields.values():
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    field.auto_now = field.auto_now_add = False  # a historical model of our own: no one else sees it
            objects = [
                model(**{name: decode(fields[name], value) for name, value in row.items()}) for row in entry["rows"]
            ]
            model._base_manager.using(using).bulk_create(objects, batch_size=500)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(models.values())):
                cursor.execute(statement)


def migrate_to(nodes, verbosity=0):
    """``manage.py migrate <app_label> <name>`` for each of ``nodes`` (what an operator would type)."""
    from django.core.management import call_command

    for app_label, name in nodes:
        call_command("migrate", app_label, name, verbosity=verbosity, interactive=False)


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def files_in(root):
    """{path relative to ``root`` (POSIX): sha256} for every file under ``root``."""
    root = Path(root)
    return {path.relative_to(root).as_posix(): sha256_of(path) for path in sorted(root.rglob("*")) if path.is_file()}


def relabelled(row, moved):
    """A content type row as the newest layout has it: ``moved`` maps (app_label, model) to the new
    app_label, or to (app_label, model) for a model renamed as it moved."""
    new = moved.get((row["app_label"], row["model"]))
    if new is None:
        return row
    app_label, model = (new, row["model"]) if isinstance(new, str) else new
    return {**row, "app_label": app_label, "model": model}


def expected_tables(tables, moved):
    """The fixture's tables as the newest layout should have them: moved models' content types relabelled."""
    return [
        {**entry, "rows": [relabelled(row, moved) for row in entry["rows"]]}
        if entry["db_table"] == CONTENT_TYPES
        else entry
        for entry in tables
    ]


def differences(expected, actual, limit=10):
    """What the upgrade lost, added or changed, one line each (at most ``limit`` per table and kind).

    Every table of ``expected`` must be in ``actual`` with the same rows (by primary key), each
    holding the same value in every column ``expected`` has; columns added since may hold anything.
    """
    actual = {entry["db_table"]: entry for entry in actual}
    problems = []
    for entry in expected:
        table = entry["db_table"]
        if table not in actual:
            problems.append(f"{table}: the table is gone")
            continue
        got = actual[table]
        before = {row[entry["pk"]]: row for row in entry["rows"]}
        after = {row.get(got["pk"]): row for row in got["rows"]}
        lost = [pk for pk in before if pk not in after]
        added = [pk for pk in after if pk not in before]
        changed = [
            f"{table} {pk}: {name} was {value!r}, is {after[pk].get(name, '<no such column>')!r}"
            for pk, row in before.items()
            if pk in after
            for name, value in row.items()
            if after[pk].get(name, "<no such column>") != value
        ]
        if lost:
            problems.append(f"{table}: {len(lost)} row(s) lost: {', '.join(map(str, lost[:limit]))}")
        if added:
            problems.append(f"{table}: {len(added)} row(s) added: {', '.join(map(str, added[:limit]))}")
        problems.extend(changed[:limit])
        if len(changed) > limit:
            problems.append(f"{table}: {len(changed) - limit} more value(s) changed")
    return problems


def file_differences(files, actual, media_root):
    """Files lost or changed under ``media_root``, and rows of ``actual`` naming a file that is not there."""
    present = files_in(media_root)
    problems = [
        f"{name}: {'gone' if name not in present else 'changed'}"
        for name, sha256 in sorted(files.items())
        if present.get(name) != sha256
    ]
    for entry in actual:
        for row in entry["rows"]:
            for name in entry["file_fields"]:
                if row.get(name) and row[name] not in present:
                    problems.append(f"{entry['db_table']} {row[entry['pk']]}: {name} names {row[name]}, not there")
    return problems


def write_json(path, data):
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def main(argv):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    command, path = argv
    if command == "old-layout":
        fixture = read_json(path)
        nodes = sorted(fixture["migrations"].items())
        migrate_to(nodes)
        load(state_apps(nodes), fixture["tables"])
    elif command == "dump":
        if pending := unapplied():
            raise SystemExit(f"migrations not applied: {', '.join(pending)}")
        write_json(path, {"tables": dump(state_apps())})
    else:
        raise SystemExit(f"unknown command {command!r}: old-layout FIXTURE | dump OUT")


if __name__ == "__main__":
    main(sys.argv[1:])
