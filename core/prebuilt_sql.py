"""SQL built once per process from the ORM, then run with each request's own values.

Django builds a queryset's SQL afresh every time it is evaluated. For the few statements
run on nearly every request of a busy page, building costs several times what running
them does (0.4 ms against 0.1 ms for a certificate download's lookup on PostgreSQL), so
those are built once per process and database, with marker values standing where each
request's values go, and run through a cursor.

Only plain values may be markers: the built statement must not depend on them (no
`__in` lists, no values that choose a different query).

Django has no public API for this, so it leans on the compiler's as_sql() and select
list; tests/site/test_framework_guards.py checks the statements against what the ORM
itself sends, on SQLite and PostgreSQL.
"""

import uuid
from typing import NamedTuple

# Values no row or request has, to stand where a request's id goes while building.
ID_MARKER = -917_403_615
UUID_MARKER = uuid.UUID(int=0)


class PrebuiltStatement(NamedTuple):
    sql: str
    params: tuple
    # Where each marker's value goes among params, in the order the markers were given.
    slots: tuple[int, ...]
    # The attribute names of the selected columns, in the order a row gives them.
    columns: tuple[str, ...]

    def params_with(self, *values):
        """The statement's values with `values` in the markers' places."""
        params = list(self.params)
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = value
        return params

    def instance(self, model, alias, row, **known):
        """A `model` instance with the row's columns and the `known` values loaded; any
        other field is read from the database when first used, as with only()."""
        return partly_loaded(model, alias, dict(zip(self.columns, row, strict=True), **known))


def partly_loaded(model, alias, loaded):
    """A `model` instance with the fields in `loaded` (by attribute name) set, as if read
    from the database `alias` with only(): any other field is read when first used."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in loaded]
    # from_db() takes the values in the model's field order.
    return model.from_db(alias, names, [loaded[name] for name in names])


def as_the_orm_gives(fields, row):
    """A row read through a cursor, with each value as its field gives it through the
    ORM (SQLite, say, gives a UUID as hex digits and a flag as 1). For fields whose
    values need no database-specific conversion: not dates and times, say."""
    return tuple(
        None if value is None else field.to_python(value)
        for field, value in zip(fields, row, strict=True)
    )


def prebuild(compiler, *markers):
    """Build the compiler's SQL and note where each marker falls among its values.

    A marker is given as the database is sent it (a UUID is a hex string on SQLite) and
    must be a value no real row or request can have; each must appear exactly once.
    """
    sql, params = compiler.as_sql()
    slots = []
    for marker in markers:
        found = [index for index, value in enumerate(params) if value == marker]
        if len(found) != 1:
            raise ValueError(f"Expected {marker!r} once among the values of {sql}")
        slots.append(found[0])
    columns = tuple(column.target.attname for column, _sql, _alias in compiler.select or ())
    return PrebuiltStatement(sql, tuple(params), tuple(slots), columns)
