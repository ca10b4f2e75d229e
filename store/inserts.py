"""Writing a new object and its children with one Core INSERT per table (:func:`insert_new`)."""
import functools

from sqlalchemy import insert, inspect
from sqlalchemy.orm import MANYTOONE, make_transient_to_detached

from store.session import db


def insert_new(parent, *collections: str) -> None:
    """Write a new ORM object and the new objects of its one-to-many ``collections`` with one Core
    INSERT per table, then put them in the session as if just loaded (persistent, ids set).

    Why: for a new report and its first events, the unit of work's bookkeeping cost about 1 ms of
    Python per submission, more than the statements themselves (measured: bench/submit.py, README).
    What the objects hold is written as they hold it: columns they set, the keys of the many-to-one
    objects they point to; a column left unset gets its default. Values the database computes
    (generated columns) are loaded when first read, as after a commit."""
    connection = db.session.connection()
    parent_table = inspect(parent).mapper.local_table
    parent_id = connection.execute(_insert_returning_id(parent_table), _row(parent)).scalar_one()
    parent.id = parent_id
    children = []
    for name in collections:
        relationship = inspect(parent).mapper.relationships[name]
        (local, remote), = relationship.local_remote_pairs
        members = list(getattr(parent, name))
        if not members:
            continue
        rows = [{**_row(child), remote.key: getattr(parent, local.key)} for child in members]
        table = relationship.mapper.local_table
        keys = set().union(*rows)  # one statement for all, in the objects' order: every row names the same columns
        rows = [{key: row[key] if key in row else _default(table.c[key]) for key in keys} for row in rows]
        ids = connection.execute(_insert_returning_id(table), rows).scalars()
        for child, child_id in zip(members, ids, strict=True):
            child.id = child_id
            setattr(child, remote.key, parent_id)
        children += members
    for obj in (parent, *children):
        make_transient_to_detached(obj)
    db.session.add(parent)


@functools.cache
def _insert_returning_id(table):
    """Built once per table (building it, and its cache key, per call cost as much as running it)."""
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


def _default(column):
    """What the INSERT would have put in ``column`` had the row not named it: its Python default."""
    default = column.default
    if default is None:
        if column.server_default is not None:  # only the database knows it: NULL would be wrong
            raise ValueError(f"{column} has a server default only: set it on every object or on none")
        return None
    return default.arg(None) if default.is_callable else default.arg  # (SQLAlchemy wraps callables to take a context)


def _row(obj) -> dict:
    """The column values a new object holds, with the keys of the many-to-one objects it points to."""
    state = inspect(obj)
    values = state.dict
    row = {prop.columns[0].key: values[prop.key] for prop in state.mapper.column_attrs if prop.key in values}
    for relationship in state.mapper.relationships:
        target = values.get(relationship.key)
        if relationship.direction is MANYTOONE and target is not None:
            for local, remote in relationship.local_remote_pairs:
                row[local.key] = getattr(target, remote.key)
    return row
