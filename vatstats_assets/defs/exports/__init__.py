"""Daily exports: a Parquet copy of each finished day in VATSTATS_EXPORT_DIR (only when it is set)."""
