"""Schema creation and upgrade, and the reference data every installation needs."""

from flask_migrate import upgrade
from sqlalchemy import or_, select, text

from portal import city
from portal.extensions import db
from portal.models import Column, Department
from portal.models.content import DEFAULT_COLUMNS


def init_db() -> None:
    upgrade()
    existing = set(db.session.scalars(select(Column.slug)))
    for position, (slug, name) in enumerate(DEFAULT_COLUMNS):
        if slug not in existing:
            db.session.add(Column(slug=slug, name=name, position=position))
    _city_departments()
    db.session.commit()
    if db.engine.dialect.name == "sqlite" and not db.session.scalar(
        text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    ):
        # SQLite gathers no statistics on its own; without them it chose a bad index for listings.
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _city_departments() -> None:
    """The city file's departments, added when neither their name nor their code is known yet (an
    administrator may have renamed or recoded one since: that edit stands)."""
    here = city.current()
    for d in here.departments:
        known = db.session.scalar(
            select(Department.id).where(or_(Department.uscc == d.uscc, Department.name == d.name)).limit(1)
        )
        if known is None:
            db.session.add(Department(name=d.name, uscc=d.uscc, region_code=here.region_code))


# What the web application and its workers need, and nothing more: they own no table, so they
# cannot alter or drop one, nor disable the audit log's triggers; the audit log takes inserts only.
APP_ROLE_GRANTS = """
GRANT USAGE ON SCHEMA {schema} TO {role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role};
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {role};
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role};
"""


def grant_app_role(role: str) -> str:
    """Give PostgreSQL role `role` the application's rights on the current schema (run as the owner,
    after every `init-db`, since new tables are not covered by earlier grants). Returns the schema."""
    if db.engine.dialect.name != "postgresql":
        raise RuntimeError("database roles are a PostgreSQL deployment setting")
    quote = db.engine.dialect.identifier_preparer.quote
    schema = db.session.scalar(text("SELECT current_schema()"))
    for statement in APP_ROLE_GRANTS.format(schema=quote(schema), role=quote(role)).strip().split(";\n"):
        db.session.execute(text(statement.rstrip(";")))
    db.session.commit()
    return schema
