{{ config(enabled=source_enabled('retailcrm')) }}
{#- Every status an order entered, from the order history (creation included). -#}
{%- set events -%}
(
    select
        cast(order_id as {{ dbt.type_string() }}) as deal_id,
        'retailcrm' as source_system,
        status as stage,
        entered_at
    from {{ source('raw_retailcrm', 'order_status_events') }}
) as events
{%- endset %}
{{ stage_deal_stage_events(events, 'retailcrm') }}
