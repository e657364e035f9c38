{{ config(enabled=source_enabled('files')) }}
{{ stage_deal_stage_events(source('raw_files', 'deal_stage_events'), 'files') }}
