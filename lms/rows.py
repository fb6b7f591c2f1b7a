"""Model instances from written-out queries, as the ORM would have built them.

A few reads run on nearly every request (the session, the user, a lesson's enrolment, a certificate's first
check). Building their query with the ORM cost more CPU than the rest of the work around them (bench/README.md),
so they are written out once, here or in a selector, and their rows turned into instances by `RowReader`: the
same column list, and the same conversions from the database's values that the ORM applies (on SQLite a
datetime comes back naive and is made aware in UTC), so the instance is the one `.get()` would have returned.
"""

from collections.abc import Sequence

from django.db import connections
from django.db.models import Model


class RowReader:
    """The SELECT list of `model`'s columns (but `exclude`) and a way to turn a row of it into an instance."""

    def __init__(self, model: type[Model], *, exclude: Sequence[str] = (), alias: str = "default"):
        self.model = model
        self.alias = alias
        self._fields = [field for field in model._meta.concrete_fields if field.attname not in exclude]
        self.attnames = [field.attname for field in self._fields]
        self._converters = None  # built on first use: the connection is not opened at import time

    @property
    def connection(self):
        return connections[self.alias]

    def select(self, where: str, *, extra: str = "") -> str:
        """A SELECT of the model's columns (then `extra`, more columns) from its table, joined to its parents'
        (multi-table inheritance: a Wagtail page type and wagtailcore_page), `WHERE where` (names in `where` and
        `extra` quoted by the caller, and qualified by their table where a name is in more than one)."""
        quote = self.connection.ops.quote_name
        columns = [f"{quote(field.model._meta.db_table)}.{quote(field.column)}" for field in self._fields]
        columns = ", ".join([*columns, *([extra] if extra else [])])
        tables = " ".join([quote(self.model._meta.db_table), *_parent_joins(self.model, quote)])
        return f"SELECT {columns} FROM {tables} WHERE {where}"  # noqa: S608 (names from the model)

    def fetch_one(self, sql: str, params: Sequence, *, extra: Sequence[str] = ()) -> Model | None:
        """The instance for the first row `sql` returns, or None; the values of the `extra` columns that follow
        the model's are set on it under those names."""
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        instance = self.instance(row)
        for name, value in zip(extra, row[len(self._fields) :], strict=True):
            setattr(instance, name, value)
        return instance

    def instance(self, row: Sequence) -> Model:
        """The model instance for a row that starts with the model's columns, as `select` lists them."""
        if self._converters is None:
            connection = self.connection
            converters = []
            for index, field in enumerate(self._fields):
                column = field.get_col(self.model._meta.db_table)
                functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                converters += [(index, convert, column) for convert in functions]
            self._converters = converters
        values = list(row[: len(self._fields)])
        for index, convert, column in self._converters:
            values[index] = convert(values[index], column, self.connection)
        return self.model.from_db(self.alias, self.attnames, values)


def _parent_joins(model: type[Model], quote) -> list[str]:
    """The JOINs from a model's table to its concrete parents' tables, each parent by the child's link column."""
    joins = []
    for parent, link in model._meta.parents.items():
        if link is not None:  # None: an abstract or proxy parent, no table of its own
            table, parent_table = quote(model._meta.db_table), quote(parent._meta.db_table)
            joins.append(
                f"INNER JOIN {parent_table} ON {parent_table}.{quote(parent._meta.pk.column)} = "
                f"{table}.{quote(link.column)}"
            )
            joins += _parent_joins(parent, quote)
    return joins
