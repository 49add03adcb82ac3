"""Rebuilding the ingest tables from the raw snapshots: an operator's daily-partitioned asset."""
