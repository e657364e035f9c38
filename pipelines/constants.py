"""Names shared by the Dagster definitions."""

# DuckDB allows one writer per file, and a reader blocks a writer: every step that touches the
# warehouse runs in this pool, whose limit is 1 (pipelines/dagster.yaml).
WAREHOUSE_POOL = "warehouse"
NIGHTLY_JOB = "nightly"
