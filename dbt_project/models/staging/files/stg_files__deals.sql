{{ config(enabled=source_enabled('files')) }}
{{ stage_deals(source('raw_files', 'deals'), 'files') }}
