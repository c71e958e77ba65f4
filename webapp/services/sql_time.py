"""Timestamps formatted by the database, as the API writes them (`timeutil.iso_utc`).

A hot read path (the projects list) selects its timestamps as text ready to send, instead
of parsing each into a datetime and formatting it again in Python. Both yield
`YYYY-MM-DDTHH:MM:SSZ` from a naive UTC column, fractions of a second cut off.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class iso_utc_text(FunctionElement):
    """`iso_utc_text(column)`: the column's naive UTC timestamp as ISO-8601 with a `Z`."""

    type = String()
    inherit_cache = True


@compiles(iso_utc_text, "sqlite")
def _sqlite(element, compiler, **kw):
    # SQLAlchemy stores `YYYY-MM-DD HH:MM:SS.ffffff`; SQLite would round the fraction to
    # milliseconds (59.9996 s becoming the next second), so it is cut off first.
    column = compiler.process(element.clauses, **kw)
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', substr({column}, 1, 19))"


@compiles(iso_utc_text, "postgresql")
def _postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f'to_char({column}, \'YYYY-MM-DD"T"HH24:MI:SS"Z"\')'
