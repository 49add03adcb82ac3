import sqlalchemy as sa

from vatstats_assets.storage.migrations import discover, migrate


def test_migrations_are_recorded_and_a_second_run_applies_nothing(engine: sa.Engine) -> None:
    assert migrate(engine) == []
    with engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version FROM vatstats.schema_migrations ORDER BY 1")).scalars().all()
    assert versions == [m.version for m in discover()]


def test_every_warehouse_table_lives_in_schema_vatstats(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        public = conn.execute(sa.text(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )).scalar()
        ours = conn.execute(sa.text(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'vatstats'"
        )).scalar()
    assert public == 0
    assert ours >= 4
