"""Backups hold personal data: none is kept past BACKUP_KEEP_DAYS (ops.backup.prune, after each backup)."""
from datetime import datetime, timezone

from ops.backup import prune


def test_backups_older_than_the_period_are_deleted_and_nothing_else(tmp_path):
    for name in ("backup-20261101T023000Z", "backup-20261125T023000Z", "backup-20261207T023000Z", "notes"):
        (tmp_path / name).mkdir()
    (tmp_path / "backup-20261101T023000Z" / "database.dump").write_text("x")
    now = datetime(2026, 12, 8, 2, 30, tzinfo=timezone.utc)
    assert prune(tmp_path, 14, now) == ["backup-20261101T023000Z"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup-20261125T023000Z", "backup-20261207T023000Z", "notes"]
    assert prune(tmp_path, 14, now) == []
