{{ config(enabled=source_enabled('demo')) }}
{{ stage_ad_spend(source('raw_demo', 'ad_spend'), 'demo') }}
