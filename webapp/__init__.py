"""Phản Ánh web application: :func:`create_app` builds everything (the Flask tutorial's pattern)."""
from flask import Flask

from store import db
from webapp.app_class import PhanAnhFlask
from webapp.config import PROJECT_ROOT, Config, name_the_installation
from webapp.extensions import cache, csrf, limiter, login_manager, migrate
from webapp.language import init_language


def create_app(config: dict | type | None = None) -> Flask:
    """Build the app from :class:`Config`, overridden by ``config`` (a dict or a class) in tests."""
    app = PhanAnhFlask(__name__)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    app.json.ensure_ascii = False
    name_the_installation(app.config)
    from webapp import security
    security.check_settings(app.config)  # stops here when production lacks a required setting

    import geo.models  # noqa: F401  (models must be known to SQLAlchemy and Alembic)
    import reports.accounts.admin_log  # noqa: F401
    import reports.accounts.api_keys  # noqa: F401
    import reports.accounts.sessions  # noqa: F401
    import reports.accounts.staff  # noqa: F401
    import reports.categories  # noqa: F401
    import reports.models  # noqa: F401
    import reports.notify.updates  # noqa: F401  (models)
    import reports.workflow.routing  # noqa: F401  (listens to re-assignments: geo.reassign.reports_changed_ward)
    db.init_app(app)
    from webapp import resilience
    resilience.install(app)  # registered after Flask-SQLAlchemy's teardown, so it runs before it
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "webapp" / "translations"))
    init_language(app)
    from webapp import links, names
    names.install(app)
    links.install(app)

    @app.context_processor
    def basemap():
        return {"basemap_url": app.config["BASEMAP_URL"], "basemap_attribution": app.config["BASEMAP_ATTRIBUTION"]}

    security.install(app)
    csrf.init_app(app)
    limiter.init_app(app)
    hooks = app.before_request_funcs.setdefault(None, [])
    if limiter._check_request_limit in hooks and not (app.config.get("RATELIMIT_DEFAULT")
                                                       or app.config.get("RATELIMIT_APPLICATION")):
        # Our limits are declared on their routes, whose decorators check them when the view runs;
        # the extension's before_request hook would look up limits on every other request too.
        hooks.remove(limiter._check_request_limit)
    cache.init_app(app)
    login_manager.init_app(app)
    from reports.photos.storage import LocalPhotoStorage
    app.extensions["photo_storage"] = LocalPhotoStorage(app.config["PHOTO_DIR"])
    from webapp.push import init_push
    init_push(app)

    from webapp.errors import register_error_handlers
    register_error_handlers(app)
    from webapp import observability, read_routing
    observability.install(app)
    read_routing.install(app)

    from webapp import admin, api, auth, citizen, dashboard, desk, health, open311
    app.register_blueprint(health.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(citizen.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(open311.bp)
    from webapp import feeds
    app.register_blueprint(feeds.bp)
    from webapp import maptiles
    app.register_blueprint(maptiles.bp)
    from webapp.api import openapi
    app.register_blueprint(openapi.bp)

    from geo.cli import geo_cli
    from reports.cli import api_keys_cli, reports_cli, users_cli
    app.cli.add_command(users_cli)
    app.cli.add_command(api_keys_cli)
    from webapp.demo import demo_cli
    app.cli.add_command(geo_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(demo_cli)
    from webapp.worker import jobs_cli
    app.cli.add_command(jobs_cli)
    from webapp.ops import ops_cli
    app.cli.add_command(ops_cli)
    return app
