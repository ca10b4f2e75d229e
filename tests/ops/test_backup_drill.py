"""The restore drill: seed, back up, add more, restore into a new database → exactly the reports, events
and photos of the backup (counts and row checksums), the photo files too, and the migrations still run."""
import json
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from reports.categories import seed_demo_categories
from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from store import db
from tests.reports.images import jpeg_with_gps
from webapp import create_app
from webapp.dbsetup import create_database, drop_database
from webapp.demo import load_province


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def add_reports(app, n: int, label: str) -> None:
    for k in range(n):
        submit_report(ReportInput(category="garbage", description=f"{label} {k}", lat=16.4698 + k * 0.001, lon=107.5786,
                                  photos=[jpeg_with_gps((640 + k, 480))], acknowledge_duplicate=True),
                      LocalPhotoStorage(app.config["PHOTO_DIR"]))
    db.session.commit()


@pytest.mark.own_database
def test_backup_then_restore_gives_back_exactly_what_was_backed_up(app, tmp_path):
    base = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    drill_url = base.set(database=f"{base.database}_drill").render_as_string(hide_password=False)
    restored_url = base.set(database=f"{base.database}_restored").render_as_string(hide_password=False)
    photos, restored_photos = tmp_path / "photos", tmp_path / "restored-photos"
    for url in (drill_url, restored_url):
        drop_database(url)
    create_database(drill_url)
    drill = create_app({"SQLALCHEMY_DATABASE_URI": drill_url, "PHOTO_DIR": str(photos), "TESTING": True})
    try:
        with drill.app_context():
            upgrade()
            seed_demo_categories()
            load_province("46", Path(drill.config["DATA_DIR"]))
            add_reports(drill, 3, "Trước sao lưu")
            backed_up_photos = files_under(photos)
            result = drill.test_cli_runner().invoke(args=["ops", "backup", "--into", str(tmp_path / "backups")])
            assert result.exit_code == 0, result.output
            (folder,) = (tmp_path / "backups").iterdir()
            manifest = json.loads((folder / "manifest.json").read_text())
            assert manifest["counts"]["report"] == 3 and manifest["counts"]["report_photo"] == 3
            add_reports(drill, 2, "Sau sao lưu")  # after the backup: must not come back
            assert db.session.execute(text("SELECT count(*) FROM report")).scalar() == 5
            db.session.remove()
            db.engine.dispose()
        result = drill.test_cli_runner().invoke(args=["ops", "restore", str(folder), "--database-url", restored_url,
                                                      "--photo-dir", str(restored_photos)])
        assert result.exit_code == 0, result.output
        assert "matches the backup" in result.output and "migrations run" in result.output
        assert files_under(restored_photos) == backed_up_photos  # the photos of the backup, byte for byte
        restored = create_app({"SQLALCHEMY_DATABASE_URI": restored_url, "PHOTO_DIR": str(restored_photos), "TESTING": True})
        with restored.app_context():
            descriptions = db.session.execute(text("SELECT description FROM report ORDER BY id")).scalars().all()
            assert descriptions == [f"Trước sao lưu {k}" for k in range(3)]
            assert db.session.execute(text("SELECT count(*) FROM report_event")).scalar() == manifest["counts"]["report_event"]
            db.session.remove()
            db.engine.dispose()
        # a damaged backup is refused before anything is written
        (folder / "photos.tar").write_bytes(b"damaged")
        again = drill.test_cli_runner().invoke(args=["ops", "restore", str(folder), "--database-url", restored_url + "2",
                                                     "--photo-dir", str(tmp_path / "x")])
        assert again.exit_code != 0 and "does not match its checksum" in again.output
    finally:
        for url in (drill_url, restored_url, restored_url + "2"):
            drop_database(url)
