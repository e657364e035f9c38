{{ config(enabled=source_enabled('files')) }}
{{ stage_ad_spend(source('raw_files', 'ad_spend'), 'files') }}
