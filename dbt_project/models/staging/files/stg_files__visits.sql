{{ config(enabled=source_enabled('files')) }}
{{ stage_visits(source('raw_files', 'visits'), 'files') }}
