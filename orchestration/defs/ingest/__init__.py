"""The Dagster ingest assets: one asset per raw table, a multi-asset per landing source."""
