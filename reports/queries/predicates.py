"""What the public may see of the reports, decided here once: every public output — the map's tiles
at every zoom (points, clusters, kept cells, hotspots), its points and lists, the duplicate check's
candidates, feeds, area alerts and Open311's search — selects its reports with :data:`PUBLIC`, in the
form its query is written in (SQL on an alias, or an ORM condition on ``Report``).

A report the dispatcher hid is absent from all of them; its tracking page (for whoever holds the code:
the reporter) keeps its status and timeline without its description or photos
(``reports.queries.public``). Staff pages follow ``webapp.policy`` instead. The leaders' and the
public ward figures count every report received, hidden or not: a figure counts the ward's work and
shows no report. ``tests/reports/test_predicates.py`` holds both forms to the same reports.
"""
from dataclasses import dataclass
from typing import Callable

from reports.models import Report, ReportPhoto


@dataclass(frozen=True)
class Predicate:
    """One condition on a report, in SQL (``{r}``: the report's alias) and as an ORM condition."""

    sql_template: str
    orm: Callable

    def sql(self, alias: str = "r") -> str:
        return self.sql_template.format(r=alias)


PUBLIC = Predicate("NOT {r}.hidden", lambda: Report.hidden.is_(False))
# A photo is public when the desk has not hidden it, and its report is public or it shows the result
# (a hidden report's result photo shows the work done, not what the resident sent).
PUBLIC_PHOTO = Predicate("NOT {r}.hidden", lambda: ReportPhoto.hidden.is_(False))


def public_photos(report: Report, kind: str) -> list:
    """The photos of ``kind`` (report, result) of a loaded report that the public may see."""
    if kind == "report" and report.hidden:
        return []
    return [p for p in report.photos if p.kind == kind and not p.hidden]
