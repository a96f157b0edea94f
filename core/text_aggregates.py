"""Aggregates over text that Django provides for PostgreSQL only, written for the two
databases the project runs on (PostgreSQL in production, SQLite in tests)."""

from django.db.models import Aggregate, TextField


class JoinedText(Aggregate):
    """A group's distinct non-empty values joined with ", " in alphabetical order
    (SQLite: in the order found, as its GROUP_CONCAT cannot sort or take DISTINCT with
    a separator)."""

    function = "STRING_AGG"
    template = "%(function)s(DISTINCT %(expressions)s, ', ' ORDER BY %(expressions)s)"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ', ')",
            **extra_context,
        )
