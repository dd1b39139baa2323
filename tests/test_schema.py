"""The migrations build exactly the schema the models describe, and init-db is safe to repeat."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Column, Penalty
from portal.schema import include_object


def test_migrations_match_the_models(app_ctx):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_init_db_twice_keeps_data(runner, app_ctx, tmp_path):
    from tests.exchange_files import penalty_row, write_csv

    runner.invoke(args=["portal", "import", "penalty", str(write_csv(tmp_path / "p.csv", "penalty", [penalty_row()]))])
    for _ in range(2):
        result = runner.invoke(args=["portal", "init-db"])
        assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Penalty)) == 1
    assert db.session.scalar(select(func.count()).select_from(Column)) == 5


def test_home_page_answers_in_chinese(client):
    response = client.get("/")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "信用信息公示" in text and 'lang="zh-CN"' in text
