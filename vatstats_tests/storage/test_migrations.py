import gzip
from pathlib import Path

import sqlalchemy as sa

from vatstats_assets.storage.migrations import discover, migrate
from vatstats_assets.storage.raw_body import decompress_raw


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


def test_raw_snapshots_stored_as_gzip_before_migration_006_read_back_after_it(
    unmigrated_engine: sa.Engine, tmp_path: Path
) -> None:
    before_006 = tmp_path / "migrations"
    before_006.mkdir()
    for migration in discover():
        if migration.version < 6:
            (before_006 / migration.name).write_text(migration.sql)
    body = b'{"general": {"version": 3}}'
    migrate(unmigrated_engine, before_006)
    with unmigrated_engine.begin() as conn:
        conn.execute(sa.text("SELECT vatstats.ensure_day_partition('feed_snapshots', DATE '2024-02-20')"))
        conn.execute(sa.text(
            "INSERT INTO vatstats.feed_snapshots (update_timestamp, fetched_at, source, body_gzip, raw_bytes,"
            " compressed_bytes, pilots, controllers, atis, prefiles, pilots_stored, controllers_stored,"
            " skipped_records, duplicates_dropped, region)"
            " VALUES ('2024-02-20T10:00:00Z', now(), 'test', :body, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 'global')"
        ), {"body": gzip.compress(body)})

    assert "006_raw_body_zstd.sql" in migrate(unmigrated_engine)
    with unmigrated_engine.connect() as conn:
        stored, encoding = conn.execute(sa.text("SELECT body, body_encoding FROM vatstats.feed_snapshots")).one()
    assert encoding == "gzip"
    assert decompress_raw(stored, encoding) == body
