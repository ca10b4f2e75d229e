"""Loading boundaries as a sequence of plain steps, shared by ``flask geo``, the demo loader and the
benchmarks: read and validate a source, write it as a new set, optionally activate it (moving
stored reports to it is the report domain's: ``reports.workflow.reassignment``). Progress and summary lines go to the callables the caller passes (the
commands give ``click.progressbar`` and ``click.echo``); nothing here prints or parses arguments.
"""
from contextlib import nullcontext
from datetime import date
from typing import Callable

from geo.boundaries import activate_set, import_boundary_set
from geo.boundary_source import read_boundary_source
from store import db

Echo = Callable[[str], None]


class _NoBar:
    """A progress bar that shows nothing (the default when no command is watching)."""

    def update(self, steps: int = 1) -> None:
        pass


def no_progress_bar(length: int, label: str):
    """A progress bar that shows nothing, shaped as ``click.progressbar(length=, label=)``."""
    return nullcontext(_NoBar())


def import_boundaries(source: str, set_name: str, level: str, effective_from: date, *, description: str = "",
                      licence: str = "", repair: bool = False, activate: bool = False,
                      check_topology: bool = True, code_field: str | None = None, echo: Echo = lambda line: None,
                      progress_bar=no_progress_bar) -> None:
    """Validate, write and (optionally) activate one set; commits, or rolls back and raises
    ``GeoError`` naming the bad features. ``progress_bar(length=, label=)`` is a context manager
    giving a ``update(steps)`` callable (``click.progressbar`` fits)."""
    try:
        echo(f"reading {source} ...")
        boundary_source = read_boundary_source(source, level, code_field)
        total = len(boundary_source.features)
        with progress_bar(length=total, label=f"staging {total} units") as bar:
            summary = import_boundary_set(
                boundary_source, set_name, level, effective_from=effective_from, description=description,
                licence=licence, repair=repair, check_topology=check_topology, progress=bar.update)
        for line in summary.lines():
            echo(line)
        if activate:  # a new set: the reports are moved by the report domain (flask geo activate, /admin)
            closed = activate_set(set_name)
            echo(f"activated {set_name!r}" + (f"; it ends {', '.join(closed)}" if closed else ""))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
