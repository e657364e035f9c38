{{ config(enabled=source_enabled('bitrix24')) }}
{%- set events -%}
(
    select
        deal_id,
        'bitrix24' as source_system,
        stage,
        entered_at
    from {{ source('raw_bitrix24', 'deal_stage_events') }}
) as bitrix24_deal_stage_events
{%- endset -%}
{{ stage_deal_stage_events(events, 'bitrix24') }}
