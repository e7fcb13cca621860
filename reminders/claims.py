"""The sweep's two kinds of claim, each one SQL statement for a whole batch, on PostgreSQL and SQLite alike.

* ``plan``: move each row's next reminder time from the value the sweep read to the
  one it planned, only where the row still holds the value read. It returns the
  rows it moved: a row changed in between (a snooze, an answer) is left as it is.
* ``take``: ``UPDATE … RETURNING`` the rows of a subquery, ``FOR UPDATE SKIP
  LOCKED`` on PostgreSQL so several workers take different rows at once.

SQLite (3.35 or newer: ``RETURNING``) has no row locks: the project opens its
transactions ``IMMEDIATE`` (config/settings.py), so one writer at a time runs
these statements and the conditions above do the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def plan(model: type[models.Model], field: str, rows: Sequence[tuple[Any, Any, Any]]) -> set[Any]:
    """Set ``field`` to ``new`` where it still equals ``old``, for each ``(pk, old, new)``; the pks set.

    One statement: ``WITH planned (id, old, new) AS (VALUES …) UPDATE … FROM planned
    WHERE pk = planned.id AND field = planned.old RETURNING pk``.
    """
    if not rows:
        return set()
    meta = model._meta
    pk, column = meta.pk, meta.get_field(field)
    assert pk is not None and isinstance(column, models.Field)
    quote = connection.ops.quote_name
    table, pk_column, value_column = quote(meta.db_table), quote(pk.column), quote(column.column)
    if connection.vendor == "postgresql":
        row = f"(%s::{pk.db_type(connection)}, %s::{column.db_type(connection)}, %s::{column.db_type(connection)})"
    else:
        row = "(%s, %s, %s)"
    params: list[Any] = []
    prepared = {}
    for key, old, new in rows:
        key_value = pk.get_db_prep_value(key, connection)
        prepared[key_value] = key
        params += [key_value, column.get_db_prep_value(old, connection), column.get_db_prep_value(new, connection)]
    # Names from the model's meta, values as parameters.
    sql = (
        f"WITH planned (id, old, new) AS (VALUES {', '.join([row] * len(rows))}) "  # noqa: S608
        f"UPDATE {table} SET {value_column} = planned.new FROM planned "
        f"WHERE {table}.{pk_column} = planned.id AND {table}.{value_column} = planned.old "
        f"RETURNING {table}.{pk_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {prepared[found] for (found,) in cursor.fetchall()}


def take(queryset: models.QuerySet[Any], limit: int, assignments: dict[str, Any]) -> list[Any]:
    """``WITH taken AS MATERIALIZED (queryset's SELECT of pks [FOR UPDATE SKIP LOCKED]) UPDATE table SET
    assignments WHERE pk IN (SELECT * FROM taken) RETURNING pk``: the pks taken.

    ``queryset`` filters and orders the rows, at most ``limit`` are taken; call inside a transaction.
    """
    model = queryset.model
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    table, pk_column = quote(meta.db_table), quote(pk.column)
    rows = queryset.values_list("pk").select_for_update(skip_locked=True, no_key=True, of=("self",))[:limit]
    inner, inner_params = rows.query.get_compiler(connection=connection).as_sql()
    sets, params = [], []
    for name, value in assignments.items():
        field = meta.get_field(name)
        assert isinstance(field, models.Field)
        sets.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_value(value, connection))
    # Names from the model's meta and the ORM's own SQL, values as parameters.
    sql = (
        f"WITH taken AS MATERIALIZED ({inner}) UPDATE {table} SET {', '.join(sets)} "  # noqa: S608
        f"WHERE {pk_column} IN (SELECT * FROM taken) RETURNING {pk_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, *params])
        return [pk.to_python(found) for (found,) in cursor.fetchall()]
