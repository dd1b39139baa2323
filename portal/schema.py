"""What Alembic compares: PostgreSQL-only search indexes (ix_pg_*) live in migrations, not models."""


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name and name.startswith("ix_pg_"))
