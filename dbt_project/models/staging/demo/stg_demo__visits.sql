{{ config(enabled=source_enabled('demo')) }}
{{ stage_visits(source('raw_demo', 'visits'), 'demo') }}
