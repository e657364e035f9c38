{{ config(enabled=source_enabled('retailcrm')) }}
-- Orders the connector could not load: the order's key stands where a file name would.
{{ stage_rejected_rows(source('raw_retailcrm', 'rejected_rows'), 'retailcrm', source_file='row_key', source_row='null') }}
