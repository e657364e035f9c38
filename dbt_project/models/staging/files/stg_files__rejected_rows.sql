{{ config(enabled=source_enabled('files')) }}
-- Rows of dropped files that failed validation, with the reason; counted on the data-health page.
{{ stage_rejected_rows(source('raw_files', 'rejected_rows'), 'files') }}
