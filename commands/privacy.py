"""``flask privacy``: the personal-data inventory and the retention periods (``reports.privacy``)."""
import click
from flask import current_app
from flask.cli import AppGroup

from reports.models import ReportPhoto
from reports.photos.public_copy import public_copy_ready, queue_public_copy
from reports.privacy.inventory import INVENTORY
from reports.privacy.retention import RULES, due, enforce, periods_from
from store import db, utcnow

privacy_cli = AppGroup("privacy", help="Personal data: the inventory and the retention periods.")


@privacy_cli.command("inventory")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text")
def inventory_command(fmt):
    """Every table and column holding personal data: what, why, who reads it, how long."""
    if fmt == "markdown":
        click.echo("| table | columns | what | purpose | who reads it | kept | sensitive |")
        click.echo("|---|---|---|---|---|---|---|")
    for h in INVENTORY:
        if fmt == "markdown":
            click.echo(f"| {h.table} | {', '.join(h.columns)} | {h.what} | {h.purpose} | {h.readers} | {h.kept} | "
                       f"{'yes' if h.sensitive else 'no'} |")
        else:
            click.echo(f"{h.table}: {', '.join(h.columns)}\n  what: {h.what}\n  why: {h.purpose}\n"
                       f"  read by: {h.readers}\n  kept: {h.kept}{'  (sensitive)' if h.sensitive else ''}")


@privacy_cli.command("retention")
@click.option("--dry-run", is_flag=True, help="Only count what is due.")
def retention_command(dry_run):
    """Erase the personal data past its retention period now (the worker does it every hour)."""
    periods, now = periods_from(current_app.config), utcnow()
    if dry_run:
        for code, count in due(now, periods).items():
            click.echo(f"{code}: {count} due (kept {periods[code]} days)")
        return
    enforce(now, periods, actor="flask privacy retention",
            progress=lambda code, n: click.echo(f"{code}: {n} erased (kept {periods[code]} days)"))
    db.session.commit()
    click.echo(f"done: {len(RULES)} kinds checked")


@privacy_cli.command("blur-photos")
def blur_photos_command():
    """Ask the worker for the public copy (faces blurred) of every stored photo that has none yet: the
    photos stored before public copies existed are shown to nobody but staff until then."""
    storage = current_app.extensions["photo_storage"]
    missing = [sha for sha in db.session.scalars(db.select(ReportPhoto.sha256).distinct())
               if not public_copy_ready(storage, sha)]
    for sha in missing:
        queue_public_copy(sha)
    db.session.commit()
    click.echo(f"{len(missing)} photos queued for their public copy")
