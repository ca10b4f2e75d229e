"""``/admin/boundaries``: a new boundary set from the browser — upload a GeoJSON file, read the validation
report (the checks of ``flask geo import-boundaries``: codes, coordinates, valid polygons, overlaps,
gaps), look at the new set over the boundaries in force, see how many stored reports would move, then
activate: the set takes over and the re-assignment runs as a job in chunks, its progress on this page.
Sets are never overwritten: a set is imported under a new name and the older one ends."""
import tempfile
from datetime import datetime, time, timezone
from pathlib import Path

from flask import abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from geo.boundaries import activate_set, get_set, import_boundary_set
from geo.boundary_source import read_boundary_source
from geo.coverage import refresh_coverage
from geo.errors import BoundaryFileError, GeoError
from geo.generations import set_in_force
from geo.models import BoundarySet
from geo.wards import set_feature_collection
from reports.accounts.admin_log import AdminEvent, log_admin
from reports.notify.models import Job
from reports.notify.queue import enqueue
from reports.workflow.reassignment import CHUNK_REPORTS, first_chunk, reports_that_would_move
from store import db, utcnow
from webapp.admin import bp
from webapp.messages import message_of


class UploadForm(FlaskForm):
    file = FileField(_l("GeoJSON file (a FeatureCollection, WGS84; each unit with its code and name)"),
                     validators=[FileRequired(), FileAllowed(["geojson", "json"], _l("A .geojson or .json file."))])
    name = StringField(_l("Name of the new set"), validators=[DataRequired(), Length(max=100),
                                                              Regexp(r"^[a-z0-9][a-z0-9_-]*$", message=_l("Lower-case letters, digits, - and _."))])
    level = SelectField(_l("Level"), choices=[("ward", _l("wards and communes")), ("district", _l("districts")),
                                              ("province", _l("province outline"))])
    effective_from = DateField(_l("In force from"), validators=[DataRequired()])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=500)])
    licence = StringField(_l("Source and licence"), validators=[Optional(), Length(max=200)])
    repair = BooleanField(_l("Repair invalid polygons (ST_MakeValid) instead of refusing the file"))


class ActivateForm(FlaskForm):
    confirm = BooleanField(_l("I have looked at the map and the count: put this set in force"), validators=[DataRequired()])


@bp.route("/boundaries", methods=["GET", "POST"])
def boundaries():
    form, problems, status = UploadForm(), [], 200
    if form.validate_on_submit():
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload.geojson"
            form.file.data.save(path)
            try:
                source = read_boundary_source(str(path), form.level.data)
                summary = import_boundary_set(source, form.name.data, form.level.data,
                                              effective_from=form.effective_from.data,
                                              description=form.description.data or "", licence=form.licence.data or "",
                                              repair=form.repair.data)
            except BoundaryFileError as exc:
                db.session.rollback()
                problems, status = [str(exc).splitlines()[0], *exc.problems[:200]], 422
            except GeoError as exc:
                db.session.rollback()
                problems, status = [message_of(exc)], 422
            else:
                log_admin(current_user.email, "boundary_imported", form.name.data, lines=summary.lines(),
                          file=form.file.data.filename)
                db.session.commit()
                flash(_("Imported, not yet in force: check the report and the map below."), "success")
                return redirect(url_for("admin.boundary", name=form.name.data))
    elif form.is_submitted():
        status = 422
    sets = db.session.scalars(select(BoundarySet).order_by(BoundarySet.imported_at.desc())).all()
    return render_template("admin/boundaries.html", form=form, sets=sets, problems=problems), status


def _set_or_404(name: str) -> BoundarySet:
    try:
        return get_set(name)
    except GeoError:
        abort(404)


def _progress(name: str) -> dict | None:
    job = db.session.scalars(select(Job).where(Job.kind == "boundary_reassign", Job.payload["set"].astext == name)
                             .order_by(Job.id.desc()).limit(1)).first()
    if job is None:
        return None
    payload = job.payload
    if payload["last"] is None:  # not started: waiting for the set to take effect, or for the worker
        return {"waiting": not set_in_force(name), "done": False, "failed": job.failed_at is not None,
                "moved": 0, "checked": 0, "last": 0}
    done = bool(job.done_at and payload.get("finished"))
    checked = min(payload["lo"] + (CHUNK_REPORTS if job.done_at else 0), payload["last"])
    return {"waiting": False, "done": done, "failed": job.failed_at is not None,
            "moved": payload.get("moved_after", payload["moved"]),
            "checked": payload["last"] if done else checked, "last": payload["last"]}


@bp.get("/boundaries/<name>")
def boundary(name):
    boundary_set = _set_or_404(name)
    report = db.session.scalars(select(AdminEvent).where(AdminEvent.action == "boundary_imported",
                                                         AdminEvent.target == name).order_by(AdminEvent.id.desc())).first()
    would_move = None if boundary_set.active or boundary_set.level == "province" else reports_that_would_move(name)
    return render_template("admin/boundary.html", set=boundary_set, report=report, would_move=would_move,
                           form=ActivateForm(), progress=_progress(name))


@bp.get("/boundaries/<name>/units.geojson")
def boundary_units(name):
    boundary_set = _set_or_404(name)
    return jsonify(set_feature_collection(boundary_set.id, 20))


@bp.post("/boundaries/<name>/activate")
def boundary_activate(name):
    boundary_set = _set_or_404(name)
    form = ActivateForm()
    if not form.validate_on_submit():
        flash(_("Tick the confirmation first."), "error")
        return redirect(url_for("admin.boundary", name=name))
    ended = activate_set(name)
    if boundary_set.level != "province":  # run when the set takes effect (the job waits until then)
        starts = datetime.combine(boundary_set.effective_from, time.min, tzinfo=timezone.utc)
        enqueue("boundary_reassign", first_chunk(name), dedupe_key=f"reassign:{name}:0", run_at=starts)
    log_admin(current_user.email, "boundary_activated", name, ended=ended)
    db.session.commit()
    refresh_coverage(boundary_set.effective_from)
    current_app.logger.info("boundary set %s activated from /admin", name)
    if boundary_set.effective_from > utcnow().date():
        flash(_("Activated: the set takes effect on %(day)s; stored reports move to the new units then.",
                day=boundary_set.effective_from.strftime("%d/%m/%Y")), "success")
    else:
        flash(_("In force. Stored reports are being moved to the new units by the background worker."), "success")
    return redirect(url_for("admin.boundary", name=name))
