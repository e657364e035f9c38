{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='conversion_id',
    post_hook="{{ record_full_build() }}",
    meta={'incremental_upstream': ['int_touchpoints', 'int_null_touchpoints', 'int_touch_events', 'int_deal_signatures', 'int_stitched_clients']},
) }}
-- The paths in the shape outside attribution tools read: one row per touch after path building
-- (trim, transform), converting paths (one per deal; revenue = the won amount, else 0) and null
-- paths (one per client with visits and no deal). Deals without a path have no touches here;
-- they are '(none)' in every model.
-- Incremental: a night rebuilds the paths of the deals and browsers it changed (a deal's status
-- and amount are in its signature), as int_paths does (macros/incremental_keys.sql).
-- depends_on: {{ ref('int_deal_signatures') }}, {{ ref('int_stitched_clients') }}, {{ ref('int_touch_events') }}, {{ ref('int_deals_stitched') }}
{%- set plan = incremental_plan() %}

with
{%- if plan.delta %}
dirty_conversions as (
    {{ dirty_conversions(plan.since) }}
),
{%- endif %}

deal_touches as (
    select
        touchpoints.deal_key as conversion_id,
        touchpoints.touch_index,
        touchpoints.touch_at,
        touchpoints.channel,
        true as is_converted,
        deals.created_at as conversion_at,
        case when deals.status = 'won' then deals.amount_reporting else 0 end as revenue
    from {{ ref('int_touchpoints') }} as touchpoints
    inner join {{ ref('int_deals') }} as deals on touchpoints.deal_key = deals.deal_key
    {%- if plan.delta %}
    where touchpoints.deal_key in (select conversion_id from dirty_conversions)
    {%- endif %}
),

null_touches as (
    select
        conversion_id,
        touch_index,
        touch_at,
        channel,
        false as is_converted,
        cast(null as {{ dbt.type_timestamp() }}) as conversion_at,
        cast(0 as decimal(18, 2)) as revenue
    from {{ ref('int_null_touchpoints') }}
    {%- if plan.delta %}
    where conversion_id in (select conversion_id from dirty_conversions)
    {%- endif %}
),

final as (
    select *{{ tombstone_flag() }} from deal_touches
    union all
    select *{{ tombstone_flag() }} from null_touches
    {%- if plan.delta %}
    {{ tombstones('dirty_conversions', ['conversion_id'], 6) }}
    {%- endif %}
)

select * from final
