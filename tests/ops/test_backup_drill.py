"""The restore drill: seed, back up, add more, restore into a new database → exactly the reports, events
and photos of the backup (counts and row checksums), the photo files too, and the migrations still run.

The backup exposes no secret (issue 28, finding 8): its folder and files are the owner's only, the dump
and the photos are encrypted for an age key (the restore decrypts them with the private key, and cannot
without it), pg_dump never sees the password on its command line, and production refuses to back up
without a key."""
import json
import stat
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from geo.provinces import load_province
from ops.database import create_database, drop_database
from reports.categories import seed_demo_categories
from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from store import db
from tests.reports.images import jpeg_with_gps
from webapp import create_app


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def add_reports(app, n: int, label: str) -> None:
    for k in range(n):
        submit_report(ReportInput(category="garbage", description=f"{label} {k}", lat=16.4698 + k * 0.001, lon=107.5786,
                                  photos=[jpeg_with_gps((640 + k, 480))], acknowledge_duplicate=True),
                      LocalPhotoStorage(app.config["PHOTO_DIR"]))
    db.session.commit()


def recording_pg_tools(folder: Path, real: Path) -> Path:
    """PG_BIN_DIR whose pg_dump and pg_restore write their command line down, then run the real ones."""
    folder.mkdir()
    for name in ("pg_dump", "pg_restore"):
        tool = folder / name
        tool.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{folder}/command-lines"\nexec "{real / name}" "$@"\n')
        tool.chmod(0o755)
    return folder


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.own_database
def test_backup_then_restore_gives_back_exactly_what_was_backed_up(app, tmp_path):
    # With a password in the URL (trust authentication ignores it here) to see where it goes.
    base = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(password="mat-khau-csdl-rat-bi-mat")
    drill_url = base.set(database=f"{base.database}_drill").render_as_string(hide_password=False)
    restored_url = base.set(database=f"{base.database}_restored").render_as_string(hide_password=False)
    photos, restored_photos = tmp_path / "photos", tmp_path / "restored-photos"
    for url in (drill_url, restored_url):
        drop_database(url)
    create_database(drill_url)
    tools = recording_pg_tools(tmp_path / "bin", Path(app.config["PG_BIN_DIR"]))
    keys = app.test_cli_runner().invoke(args=["ops", "backup-key", str(tmp_path / "backup.key")])
    assert keys.exit_code == 0, keys.output
    recipient = keys.output.split("BACKUP_AGE_RECIPIENTS=")[1].strip()
    assert recipient.startswith("age1") and mode(tmp_path / "backup.key") == 0o600
    drill = create_app({"SQLALCHEMY_DATABASE_URI": drill_url, "PHOTO_DIR": str(photos), "TESTING": True,
                        "PG_BIN_DIR": str(tools), "BACKUP_AGE_RECIPIENTS": (recipient,)})
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
            assert mode(tmp_path / "backups") == mode(folder) == 0o700
            assert sorted(p.name for p in folder.iterdir()) == ["database.dump.age", "manifest.json", "photos.tar.age"]
            assert all(mode(p) == 0o600 for p in folder.iterdir())
            dump = (folder / "database.dump.age").read_bytes()
            assert dump.startswith(b"age-encryption.org/v1") and b"PGDMP" not in dump and b"staff_user" not in dump
            command_lines = (tools / "command-lines").read_text()
            assert "--snapshot=" in command_lines and "mat-khau-csdl" not in command_lines
            assert manifest["counts"]["report"] == 3 and manifest["counts"]["report_photo"] == 3
            add_reports(drill, 2, "Sau sao lưu")  # after the backup: must not come back
            assert db.session.execute(text("SELECT count(*) FROM report")).scalar() == 5
            db.session.remove()
            db.engine.dispose()
        without_key = drill.test_cli_runner().invoke(args=["ops", "restore", str(folder), "--database-url",
                                                           restored_url, "--photo-dir", str(restored_photos)])
        assert without_key.exit_code != 0 and "--identity" in without_key.output
        drop_database(restored_url)
        result = drill.test_cli_runner().invoke(args=["ops", "restore", str(folder), "--database-url", restored_url,
                                                      "--photo-dir", str(restored_photos),
                                                      "--identity", str(tmp_path / "backup.key")])
        assert result.exit_code == 0, result.output
        assert "mat-khau-csdl" not in (tools / "command-lines").read_text()
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
        (folder / "photos.tar.age").write_bytes(b"damaged")
        again = drill.test_cli_runner().invoke(args=["ops", "restore", str(folder), "--database-url", restored_url + "2",
                                                     "--photo-dir", str(tmp_path / "x")])
        assert again.exit_code != 0 and "does not match its checksum" in again.output
    finally:
        for url in (drill_url, restored_url, restored_url + "2"):
            drop_database(url)


def test_production_refuses_to_back_up_without_a_key(app, tmp_path):
    previous = app.config["ENVIRONMENT"], app.config["BACKUP_AGE_RECIPIENTS"]
    app.config.update(ENVIRONMENT="production", BACKUP_AGE_RECIPIENTS=())
    try:
        result = app.test_cli_runner().invoke(args=["ops", "backup", "--into", str(tmp_path / "b")])
    finally:
        app.config["ENVIRONMENT"], app.config["BACKUP_AGE_RECIPIENTS"] = previous
    assert result.exit_code != 0 and "BACKUP_AGE_RECIPIENTS" in result.output
    assert not (tmp_path / "b").exists()
