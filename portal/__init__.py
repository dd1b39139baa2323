"""信用门户: the application factory."""
from __future__ import annotations

from flask import Flask

from portal import config
from portal.extensions import db, migrate

PROJECT_ROOT = config.PROJECT_ROOT


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(config.from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    with app.app_context():
        from portal import db_events, models  # noqa: F401  (registers the tables)

        db_events.install(db.engine)

    from admin import bp as admin_bp
    from portal import cli
    from portal.views import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    cli.init_app(app)
    return app
