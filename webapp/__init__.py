"""Phản Ánh web application: :func:`create_app` builds everything (the Flask tutorial's pattern), one
``register_*`` step at a time."""
from flask import Flask

import store
from settings import PROJECT_ROOT, Config, name_the_installation
from store import db
from webapp.app_class import PhanAnhFlask
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

    register_models()
    register_database(app)
    register_extensions(app)
    register_request_hooks(app)
    register_blueprints(app)
    from commands import register_commands
    register_commands(app)
    return app


def register_models() -> None:
    """Every model known to SQLAlchemy and Alembic."""
    import geo.models  # noqa: F401
    import reports.accounts.admin_log  # noqa: F401
    import reports.accounts.api_keys  # noqa: F401
    import reports.accounts.sessions  # noqa: F401
    import reports.accounts.staff  # noqa: F401
    import reports.categories  # noqa: F401
    import reports.models  # noqa: F401
    import reports.notify.updates  # noqa: F401


def register_database(app: Flask) -> None:
    db.init_app(app)
    store.configure(app.config["REPLICA_MAX_LAG_S"], app.config["DATABASE_PREPARED_READS"])
    from webapp import resilience
    resilience.install(app)  # registered after Flask-SQLAlchemy's teardown, so it runs before it
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))


def register_extensions(app: Flask) -> None:
    """Language, names and links for the templates, security headers, CSRF, rate limits, cache,
    sign-in, photo storage, Web Push keys."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "webapp" / "translations"))
    init_language(app)
    from webapp import links, names, security
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
    from delivery.push import init_push
    init_push(app)


def register_request_hooks(app: Flask) -> None:
    """Error pages and JSON errors, the request log and metrics."""
    from webapp import observability
    from webapp.errors import register_error_handlers
    register_error_handlers(app)
    observability.install(app)


def register_blueprints(app: Flask) -> None:
    from webapp import admin, api, auth, citizen, dashboard, desk, feeds, health, maptiles, open311
    from webapp.api import openapi
    for blueprint in (health.bp, admin.bp, auth.bp, desk.bp, api.bp, citizen.bp, dashboard.bp, open311.bp,
                      feeds.bp, maptiles.bp, openapi.bp):
        app.register_blueprint(blueprint)
