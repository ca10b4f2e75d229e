"""``flask ops``: backups and restores (``ops.backup`` does the work)."""
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ops.backup import BackupError, backup, make_key, prune, restore
from settings import PROJECT_ROOT, process_env

ops_cli = AppGroup("ops", help="Backups and restores.")


def _or_exit(step, *args):
    """Run ``step``; a BackupError ends the command with its message (exit status 1)."""
    try:
        return step(*args)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None


@ops_cli.command("backup")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of backups (default var/backups).")
def backup_command(into):
    """Back up the database and the photos (a folder with a manifest of counts and checksums), readable
    by its owner only and encrypted for BACKUP_AGE_RECIPIENTS (required in production)."""
    config = current_app.config
    recipients = config["BACKUP_AGE_RECIPIENTS"]
    if not recipients and config["ENVIRONMENT"] != "development":
        raise click.ClickException("backups hold reporters' identities and staff accounts: set BACKUP_AGE_RECIPIENTS "
                            "(an age public key; make one with 'flask ops backup-key') to encrypt them")
    into = into or Path(config["BACKUP_DIR"])
    _or_exit(backup, config["SQLALCHEMY_DATABASE_URI"], Path(config["PHOTO_DIR"]), into, click.echo, recipients,
             config["PG_BIN_DIR"])
    for name in prune(into, config["BACKUP_KEEP_DAYS"]):
        click.echo(f"deleted {name} (older than BACKUP_KEEP_DAYS={config['BACKUP_KEEP_DAYS']})")


@ops_cli.command("backup-key")
@click.argument("identity_file", type=click.Path(dir_okay=False, path_type=Path))
def backup_key_command(identity_file):
    """Make a key pair for backups: the private key is written to IDENTITY_FILE (keep it away from the
    server and its backups: a restore needs it), the public key is printed for BACKUP_AGE_RECIPIENTS."""
    public = _or_exit(make_key, identity_file)
    click.echo(f"private key written to {identity_file} (mode 0600): store it apart from the server and its backups")
    click.echo(f"BACKUP_AGE_RECIPIENTS={public}")


@ops_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--database-url", required=True, help="A new database to rebuild (created when missing).")
@click.option("--photo-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Where to put the photos (a new folder; PHOTO_DIR of the restored app).")
@click.option("--identity", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The age private key the backup was encrypted for (from 'flask ops backup-key').")
def restore_command(folder, database_url, photo_dir, identity):
    """Rebuild a new database and photo folder from FOLDER, check them, then run the migrations."""
    _or_exit(restore, folder, database_url, photo_dir, click.echo, identity, current_app.config["PG_BIN_DIR"])
    # The migrations run by the app of the restored database, in its own process (this one's app is
    # bound to the live database).
    env = process_env(DATABASE_URL=database_url, PHOTO_DIR=str(photo_dir))
    migrated = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi.py", "db", "upgrade"], cwd=PROJECT_ROOT,
                              env=env, capture_output=True, text=True)
    if migrated.returncode != 0:
        raise click.ClickException(f"the migrations failed on the restored database:\n{migrated.stderr[-2000:]}")
    click.echo("migrations run on the restored database: it is ready (point DATABASE_URL and PHOTO_DIR at it)")
