{{ config(enabled=source_enabled('demo')) }}
{{ stage_calls(source('raw_demo', 'calls'), 'demo') }}
