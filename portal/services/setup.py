"""Schema creation and upgrade, and the reference data every installation needs."""

from flask_migrate import upgrade
from sqlalchemy import select, text

from portal.extensions import db
from portal.models import Column
from portal.models.content import DEFAULT_COLUMNS


def init_db() -> None:
    upgrade()
    existing = set(db.session.scalars(select(Column.slug)))
    for position, (slug, name) in enumerate(DEFAULT_COLUMNS):
        if slug not in existing:
            db.session.add(Column(slug=slug, name=name, position=position))
    db.session.commit()
    if db.engine.dialect.name == "sqlite" and not db.session.scalar(
        text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    ):
        # SQLite gathers no statistics on its own; without them it chose a bad index for listings.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
