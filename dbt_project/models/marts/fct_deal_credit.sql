{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key=['deal_key', 'attribution_model'],
    post_hook="{{ record_full_build() }}",
    meta={'incremental_upstream': ['int_attribution', 'int_touchpoints', 'int_touch_events', 'int_deal_signatures']},
) }}
-- One row per deal × touch × attribution model: what each touch of a deal's path was credited
-- with, so any lead, sale or revenue number on a dashboard can be traced to the deals and touches
-- behind it. Dated like fct_channel_daily (the deal's created_date in the reporting timezone) and
-- grouped the same way (channel, report_source, report_campaign_id), so Σ credit per day, channel
-- and model equals fct_channel_daily (tests/assert_deal_credit_reconciles_with_channel_daily.sql).
-- No personal data: contact_key is left out.
-- Incremental like int_attribution: every model's rows of the deals a night changed (a deal's
-- status and amount are in its signature), Markov's and Shapley's rows of every deal.
-- depends_on: {{ ref('int_deal_signatures') }}, {{ ref('int_touch_events') }}, {{ ref('int_deals_stitched') }}
{%- set plan = incremental_plan() %}
{%- set data_driven = var('attribution_models') | select('in', ['markov', 'shapley']) | list %}

with
{%- if plan.delta %}
dirty_deals as (
    {{ dirty_deals(plan.since) }}
),

dirty_keys as (
    {{ dirty_deal_models('dirty_deals') }}
),
{%- endif %}

attribution as (
    select * from {{ ref('int_attribution') }}
    {%- if plan.delta %}
    where deal_key in (select deal_key from dirty_deals)
    {%- for m in data_driven %}
        or attribution_model = '{{ m }}'
    {%- endfor %}
    {%- endif %}
),

deals as (
    select * from {{ ref('int_deals') }}
),

touchpoints as (
    select * from {{ ref('int_touchpoints') }}
),

opportunity_touches as (
    select * from {{ ref('int_opportunity_touches') }}
),

final as (
    select
        -- ids
        attribution.deal_key,
        deals.source_system,
        deals.deal_id,
        attribution.attribution_model,
        attribution.touch_index,
        coalesce(touchpoints.visit_id, opportunity_touches.visit_id) as visit_id,
        -- the deal
        deals.created_date,
        deals.status,
        deals.amount_reporting,
        -- the touch (w_shaped's opportunity touch comes after the path: it is not a path touch)
        case
            when attribution.touch_index = 0 then 'none'
            when touchpoints.deal_key is not null then touchpoints.touch_kind
            when opportunity_touches.deal_key is not null then 'opportunity'
            else 'unknown'
        end as touch_kind,
        coalesce(touchpoints.touch_at, opportunity_touches.touch_at) as touch_at,
        coalesce(attribution.channel, 'Other') as channel,
        attribution.report_source,
        attribution.report_campaign_id,
        attribution.campaign_name,
        -- credit
        attribution.weight,
        attribution.weight as credited_lead,
        cast(
            case when deals.status = 'won' then attribution.weight * deals.amount_reporting else 0 end
            as decimal(38, 18)
        ) as credited_revenue
        {{- tombstone_flag() }}
    from attribution
    inner join deals on attribution.deal_key = deals.deal_key
    left join touchpoints
        on attribution.deal_key = touchpoints.deal_key
        and attribution.touch_index = touchpoints.touch_index
    left join opportunity_touches
        on attribution.deal_key = opportunity_touches.deal_key
        and attribution.touch_index > 0
        and touchpoints.deal_key is null
    {%- if plan.delta %}
    {{ tombstones('dirty_keys', ['deal_key', 'attribution_model'], [
        'deal_key', 'source_system', 'deal_id', 'attribution_model', 'touch_index', 'visit_id',
        'created_date', 'status', 'amount_reporting', 'touch_kind', 'touch_at', 'channel',
        'report_source', 'report_campaign_id', 'campaign_name', 'weight', 'credited_lead',
        'credited_revenue']) }}
    {%- endif %}
)

select * from final
