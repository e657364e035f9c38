{{ config(enabled=source_enabled('files')) }}
{{ stage_calls(source('raw_files', 'calls'), 'files') }}
