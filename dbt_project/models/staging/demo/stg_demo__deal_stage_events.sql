{{ config(enabled=source_enabled('demo')) }}
{{ stage_deal_stage_events(source('raw_demo', 'deal_stage_events'), 'demo') }}
