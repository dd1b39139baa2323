"""信用门户: the application factory."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import city, clock, config, errors, reference, security_headers
from portal.extensions import csrf, db, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=config.instance_path(),
        template_folder=str(config.RESOURCES / "templates"),
        static_folder=str(config.RESOURCES / "static"),
    )
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False
    app.url_map.converters["int"] = errors.BoundedInt  # before any route is added
    if app.config["PORTAL_TRUSTED_PROXIES"]:
        hops = app.config["PORTAL_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)

    city.init_app(app)
    reference.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "admin.login"
    login_manager.login_message = "请先登录"
    migrate.init_app(app, db, directory=str(config.RESOURCES / "migrations"), render_as_batch=True)
    with app.app_context():
        from portal import db_events, models  # noqa: F401  (registers the tables)

        db_events.install(db.engine, app.config["PORTAL_SQLITE_CACHE_MB"])
    from portal.services.opendata import removals

    removals.watch()

    from admin import bp as admin_bp
    from portal import cli, limits, search
    from portal.search import autosync
    from portal.views import bp as public_bp

    search.init_app(app)
    from portal.search.highlight import highlight, matches

    app.add_template_filter(highlight)
    app.add_template_test(matches, "matching")
    app.add_template_filter(clock.local_time, "local_time")
    autosync.init_app(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    limits.init_app(app)
    errors.init_app(app)  # after the blueprints: its input check runs after their upload size caps
    security_headers.init_app(app)
    cli.init_app(app)
    return app
