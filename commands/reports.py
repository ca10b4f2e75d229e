"""``flask reports ...`` (categories) and ``flask users ...`` (staff accounts)."""
import secrets

import click
from flask import current_app
from flask.cli import AppGroup

from reports.accounts.api_keys import ApiKey, create_api_key, revoke_api_key
from reports.accounts.staff import ROLES, StaffUser, create_user
from reports.categories import FIELDS, PRIORITIES, Category, upsert_category
from reports.queries.daily import fold_all, marks_waiting
from store import db

reports_cli = AppGroup("reports", help="Categories and reports.")


@reports_cli.command("categories")
def list_categories():
    """List categories by field."""
    for c in db.session.query(Category).order_by(Category.field, Category.sort_order):
        click.echo(f"{c.field:<15} {c.code:<22} {c.default_priority:<8} {'' if c.active else '(inactive) '}"
                   f"{c.name_vi} / {c.name_en}")


@reports_cli.command("fold-figures")
def fold_figures_command():
    """Keep the leaders' daily figures of every day whose reports changed (the worker does it once a
    minute; after a bulk import this does it now)."""
    click.echo(f"{marks_waiting():,} marks waiting")
    done = fold_all(lambda pairs, left: click.echo(f"  {pairs:,} days × wards kept, {left:,} marks left"))
    click.echo(f"{done:,} days × wards kept")


@reports_cli.command("sweep-photos")
@click.option("--older-than-hours", type=float, default=1.0, show_default=True)
def sweep_photos(older_than_hours):
    """Delete photo files no report refers to (left by a crash between the write and the commit)."""
    from reports.photos.records import referenced_hashes
    removed = current_app.extensions["photo_storage"].sweep(referenced_hashes, older_than_hours * 3600)
    click.echo(f"{removed} orphan photo files removed")


@reports_cli.command("set-category")
@click.argument("code")
@click.option("--field", type=click.Choice(sorted(FIELDS)), required=True)
@click.option("--name-vi", required=True)
@click.option("--name-en", required=True)
@click.option("--priority", type=click.Choice(PRIORITIES), default="normal")
@click.option("--inactive", is_flag=True)
@click.option("--order", type=int, default=100)
def set_category(code, field, name_vi, name_en, priority, inactive, order):
    """Create or change category CODE."""
    upsert_category(code, field, name_vi, name_en, priority, not inactive, order)
    db.session.commit()
    click.echo(f"category {code} saved")


users_cli = AppGroup("users", help="Staff accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--ward", "ward_code", help="Official ward code (officer, ward_lead).")
@click.option("--field", "fields", multiple=True, type=click.Choice(sorted(FIELDS)),
              help="Field an officer handles (repeat for several).")
@click.option("--name", "display_name", default="")
@click.option("--password", default=None, help="Default: a random one, printed once.")
def create_user_command(email, role, ward_code, fields, display_name, password):
    """Create (or update) the staff account EMAIL."""
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        create_user(email, role, password, ward_code, list(fields), display_name,
                    method=current_app.config["PASSWORD_HASH_METHOD"])
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"{role} {email} saved" + (f"; password: {password}" if generated else ""))


def _staff(email: str) -> StaffUser:
    user = db.session.query(StaffUser).filter_by(email=email.strip().lower()).one_or_none()
    if user is None:
        raise click.ClickException(f"no staff account {email}")
    return user


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_user_command(email):
    """Deactivate EMAIL (a leaver): every session of the account ends at its next request."""
    _staff(email).deactivate()
    db.session.commit()
    click.echo(f"{email} deactivated; its sessions are ended")


@users_cli.command("end-sessions")
@click.argument("email")
def end_sessions_command(email):
    """Sign EMAIL out everywhere (a lost phone, a shared computer)."""
    _staff(email).end_sessions()
    db.session.commit()
    click.echo(f"every session of {email} is ended")


@users_cli.command("reset-2fa")
@click.argument("email")
def reset_two_factor_command(email):
    """Remove EMAIL's authenticator and recovery codes (a lost phone); sessions end too."""
    from reports.accounts.two_factor import disable
    disable(_staff(email))
    db.session.commit()
    click.echo(f"two-factor sign-in of {email} is reset; it enrols again at next sign-in if required")


api_keys_cli = AppGroup("api-keys", help="Open311 API keys.")


@api_keys_cli.command("create")
@click.option("--name", required=True, help="Who the key is for.")
def create_api_key_command(name):
    """Create a key; it is printed once and stored only as a hash."""
    row, key = create_api_key(name)
    db.session.commit()
    click.echo(f"API key {row.id} for {row.name}: {key}")


@api_keys_cli.command("revoke")
@click.argument("key_id_or_prefix")
def revoke_api_key_command(key_id_or_prefix):
    """Revoke a key by its id or its prefix."""
    row = revoke_api_key(key_id_or_prefix)
    if row is None:
        raise click.ClickException("no such key")
    db.session.commit()
    click.echo(f"API key {row.id} ({row.name}) revoked")


@api_keys_cli.command("list")
def list_api_keys_command():
    for row in db.session.query(ApiKey).order_by(ApiKey.id):
        click.echo(f"{row.id:>4} {row.prefix}… {row.name} {'revoked' if row.revoked_at else 'active'}")
