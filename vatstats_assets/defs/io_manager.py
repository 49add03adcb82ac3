"""The warehouse IO manager: assets return rows, their metadata says how the rows land.

Rows come as a pandas DataFrame or, from the ingest path, as TableRows (tuples in the table's
column order, which spares building a DataFrame every 15 seconds) or StagedRows (the track
positions: taken in SQL from the flights rows written just before in the same transaction) or
TickTunings (a tick's radio tunings, merged into runs).

- `vatstats/write_mode: upsert`            COPY + one INSERT .. ON CONFLICT DO UPDATE on the table key
- `vatstats/write_mode: append`            COPY, or for StagedRows one INSERT .. SELECT from the stage
- `vatstats/write_mode: replace_partition` DELETE the partition's time window + COPY (idempotent re-runs)
- `vatstats/write_mode: replace_table`     DELETE every row + COPY (small reference tables, e.g. the airspace)
- `vatstats/write_mode: runs`              a tick's tunings: extend the runs they continue, start the rest
The table is the asset's `dagster/table_name`. All outputs of one step share one transaction, which
commits after the step's last output: a tick of ingestion is all visible or not at all.

Every materialisation carries the table's column schema with the comments of the data dictionary
(sql/migrations/004_comments.sql) and its row count, so the Dagster UI doubles as the catalog.
"""


import time
from typing import Any

import dagster as dg
import pandas as pd
import sqlalchemy as sa
from pydantic import PrivateAttr

from vatstats_assets.core.tuning_runs import TickTunings
from vatstats_assets.defs.resources import WarehouseResource
from vatstats_assets.storage import bulk
from vatstats_assets.storage.catalog import TableCatalog, row_count, table_catalog
from vatstats_assets.storage.gc_pause import collector_paused
from vatstats_assets.storage.tables import TableSpec, table_spec
from vatstats_assets.storage.tunings import write_runs

WRITE_MODE = "vatstats/write_mode"
TABLE_NAME = "dagster/table_name"


def write_metadata(mode: str, table: str) -> dict[str, str]:
    """The asset metadata that routes an asset's output to `table` with `mode`."""
    return {WRITE_MODE: mode, TABLE_NAME: table}


def column_schema(catalog: TableCatalog) -> dg.TableSchema:
    """The catalog's view of a table as Dagster's column schema (shown on the asset's page)."""
    columns = [
        dg.TableColumn(
            name=column.name, type=column.type, description=column.comment,
            constraints=dg.TableColumnConstraints(nullable=column.nullable),
        )
        for column in catalog.columns
    ]
    key = [f"primary key ({', '.join(catalog.primary_key)})"] if catalog.primary_key else []
    return dg.TableSchema(columns=columns, constraints=dg.TableConstraints(other=key))


# The schema changes only with a migration, and a migration never runs under a live run: read it
# once per process and table.
_COLUMN_SCHEMAS: dict[str, dg.TableSchema] = {}


def _column_schema(conn: sa.Connection, spec: TableSpec) -> dg.TableSchema:
    if spec.qualified not in _COLUMN_SCHEMAS:
        _COLUMN_SCHEMAS[spec.qualified] = column_schema(table_catalog(conn, spec.qualified))
    return _COLUMN_SCHEMAS[spec.qualified]


def table_metadata(context: dg.OutputContext, conn: sa.Connection, spec: TableSpec, rows: int) -> dict[str, Any]:
    """Column schema and row counts, read in the writing transaction so they include this write."""
    total = row_count(conn, spec.qualified)
    metadata: dict[str, Any] = {
        "dagster/column_schema": _column_schema(conn, spec),
        "dagster/row_count": total.rows,
        "row_count_exact": total.exact,
    }
    # A replaced partition holds exactly the rows just written; a ranged backfill run spans several.
    if context.has_asset_partitions and len(context.asset_partition_keys) == 1:
        metadata["dagster/partition_row_count"] = rows
    return metadata


class _StepTransaction:
    """One open transaction collecting the outputs of one step attempt."""

    def __init__(self, engine: sa.Engine, expected_outputs: set[str]) -> None:
        # The cycle collector stays off from the first write to the commit or rollback (a
        # collection between two outputs' writes costs a few ms a tick; storage/gc_pause.py).
        self._paused = collector_paused()
        self._paused.__enter__()
        self.connection = engine.connect()
        self.transaction = self.connection.begin()
        self.pending = set(expected_outputs)

    def close(self, commit: bool) -> None:
        try:
            if commit:
                self.transaction.commit()
            else:
                self.transaction.rollback()
        finally:
            self.connection.close()
            self._paused.__exit__(None, None, None)


class WarehouseIOManager(dg.ConfigurableIOManager):
    """Writes asset outputs into the PostgreSQL warehouse in bulk; reads them back as DataFrames."""

    warehouse: dg.ResourceDependency[WarehouseResource]

    _open: dict[tuple[str, str], _StepTransaction] = PrivateAttr(default_factory=dict)

    def _transaction_for(self, context: dg.OutputContext) -> tuple[tuple[str, str], _StepTransaction]:
        key = (context.run_id, context.step_key)
        step = self._open.get(key)
        if step is None or context.name not in step.pending:
            if step is not None:  # a retried attempt: drop whatever the failed one left open
                step.close(commit=False)
            outputs = {name for name in context.op_def.outs} if context.op_def else {context.name}
            step = self._open[key] = _StepTransaction(self.warehouse.engine, outputs)
        return key, step

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if obj is None:
            return
        if not isinstance(obj, pd.DataFrame | bulk.TableRows | bulk.StagedRows | TickTunings):
            raise TypeError(
                f"{context.asset_key.to_user_string()} must return a pandas DataFrame, TableRows, StagedRows"
                " or TickTunings"
            )
        metadata = context.definition_metadata or {}
        mode = metadata.get(WRITE_MODE)
        spec = table_spec(str(metadata.get(TABLE_NAME)))
        key, step = self._transaction_for(context)
        started = time.perf_counter()
        try:
            counts = self._write(context, step.connection, mode, spec, obj)
            write_ms = round((time.perf_counter() - started) * 1000, 1)
            table = table_metadata(context, step.connection, spec, len(obj))
        except Exception:
            self._open.pop(key).close(commit=False)
            raise
        step.pending.discard(context.name)
        if not step.pending:
            self._open.pop(key).close(commit=True)
        context.add_output_metadata({**counts.as_metadata(), "write_ms": write_ms, **table})

    def _write(self, context: dg.OutputContext, conn: sa.Connection, mode: Any, spec, frame) -> bulk.WriteCounts:
        if isinstance(frame, bulk.StagedRows) and mode != "append":
            raise TypeError(f"{context.asset_key.to_user_string()} returned StagedRows, which can only be appended")
        if isinstance(frame, TickTunings) != (mode == "runs"):
            raise TypeError(f"{context.asset_key.to_user_string()}: only TickTunings are written as runs")
        if mode == "runs":
            return write_runs(conn, spec, frame)
        if mode == "upsert":
            return bulk.upsert(conn, spec, frame)
        if mode == "append":
            return bulk.append(conn, spec, frame)
        if mode == "replace_partition":
            if not isinstance(frame, pd.DataFrame):  # the window check reads the frame's column
                raise TypeError(f"{context.asset_key.to_user_string()} must return a DataFrame to replace a partition")
            window = context.asset_partitions_time_window
            return bulk.replace_window(conn, spec, frame, window.start, window.end)
        if mode == "replace_table":
            if not isinstance(frame, pd.DataFrame):
                raise TypeError(f"{context.asset_key.to_user_string()} must return a DataFrame to replace a table")
            return bulk.replace_table(conn, spec, frame)
        raise ValueError(f"{context.asset_key.to_user_string()} has no valid {WRITE_MODE} (got {mode!r})")

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        metadata = context.upstream_output.definition_metadata if context.upstream_output else {}
        spec = table_spec(str((metadata or {}).get(TABLE_NAME)))
        query = f"SELECT * FROM {spec.qualified}"
        params: dict[str, Any] = {}
        if context.has_asset_partitions and spec.window_column:
            window = context.asset_partitions_time_window
            query += f" WHERE {spec.window_column} >= :start AND {spec.window_column} < :end"
            params = {"start": window.start, "end": window.end}
        with self.warehouse.engine.connect() as conn:
            return pd.read_sql_query(sa.text(query), conn, params=params)
