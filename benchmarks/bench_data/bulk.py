"""Inserting many rows at once with the dates they were generated with."""

import gc
from collections import Counter
from contextlib import contextmanager

from django.db import connection, models
from psycopg.types.json import Jsonb

BATCH_SIZE = 2000


class Inserted(Counter):
    """Rows inserted per model, for the command's report."""

    def insert(self, model, objects):
        """bulk_create in batches; returns the objects with their primary keys set."""
        created = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        self[model._meta.label] += len(created)
        return created

    def insert_rows(self, model, fields, rows, *, with_ids=False):
        """Insert plain tuples of `fields` values (attribute names, such as
        "enrolment_id"); other fields take their defaults. Returns the new ids in row
        order when asked.

        The million-row tables skip model instances: on PostgreSQL the rows are
        streamed with COPY, which took the generation from minutes to seconds for
        them; elsewhere (the tests' SQLite) they go through bulk_create.
        """
        if not rows:
            return []
        self[model._meta.label] += len(rows)
        if connection.vendor != "postgresql":
            made = [model(**dict(zip(fields, row, strict=True))) for row in rows]
            return [obj.pk for obj in model.objects.bulk_create(made, batch_size=BATCH_SIZE)]
        defaults = [
            (field.column, field.get_default())
            for field in model._meta.concrete_fields
            if field.attname not in fields and not field.primary_key
        ]
        columns = [model._meta.get_field(name).column for name in fields]
        columns += [column for column, _default in defaults]
        extra = tuple(as_copy_value(default) for _column, default in defaults)
        if any(isinstance(model._meta.get_field(name), models.JSONField) for name in fields):
            rows = [tuple(as_copy_value(value) for value in row) for row in rows]
        ids = reserve_ids(model, len(rows)) if with_ids else None
        if ids:
            columns.insert(0, model._meta.pk.column)
        table = connection.ops.quote_name(model._meta.db_table)
        quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
        statement = f"COPY {table} ({quoted}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            if ids:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row((pk, *row, *extra))
            else:
                for row in rows:
                    copy.write_row((*row, *extra))
        return ids or []


def as_copy_value(value):
    """JSON values as PostgreSQL's COPY takes them; others as they are."""
    return Jsonb(value) if isinstance(value, dict | list) else value


def reserve_ids(model, count):
    """Take `count` ids from the table's sequence, as inserts one by one would."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


@contextmanager
def historical_dates(*fields):
    """Let rows keep the past dates they were given.

    auto_now and auto_now_add would stamp every generated row with the moment of the
    run, and the dashboards being measured group and filter by these dates.
    """
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@contextmanager
def collector_paused():
    """Stop the cyclic garbage collector for a while.

    Building millions of row objects makes it run over and over, for a fifth of the
    run's time; the rows hold no reference cycles, so they are freed all the same.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
