{{ config(enabled=source_enabled('demo')) }}
{{ stage_deals(source('raw_demo', 'deals'), 'demo') }}
