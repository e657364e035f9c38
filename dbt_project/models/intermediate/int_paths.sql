{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key='conversion_id',
    post_hook="{{ record_full_build() }}",
    meta={'incremental_upstream': ['int_touchpoints', 'int_null_touchpoints', 'int_touch_events', 'int_deal_signatures', 'int_stitched_clients']},
) }}
-- One row per path, converting (one per deal with touches) or null: the input of the
-- data-driven models and of the exported paths. path is the channels in order ('a > b');
-- markov_path the same with consecutive repeats collapsed (the Markov chain has no self-loops);
-- channel_set the distinct channels, sorted and '|'-joined (Shapley's coalition).
-- Incremental: a night rebuilds the paths of the deals and browsers it changed
-- (macros/incremental_keys.sql), which are the only paths int_touchpoints and
-- int_null_touchpoints changed.
-- depends_on: {{ ref('int_deal_signatures') }}, {{ ref('int_stitched_clients') }}, {{ ref('int_touch_events') }}, {{ ref('int_deals_stitched') }}
{%- set plan = incremental_plan() %}

with
{%- if plan.delta %}
dirty_conversions as (
    {{ dirty_conversions(plan.since) }}
),
{%- endif %}

touches as (
    select deal_key as conversion_id, true as is_converted, touch_index, channel
    from {{ ref('int_touchpoints') }}
    {%- if plan.delta %}
    where deal_key in (select conversion_id from dirty_conversions)
    {%- endif %}
    union all
    select conversion_id, false as is_converted, touch_index, channel
    from {{ ref('int_null_touchpoints') }}
    {%- if plan.delta %}
    where conversion_id in (select conversion_id from dirty_conversions)
    {%- endif %}
),

paths as (
    {{ path_strings('touches') }}
),

final as (
    select
        conversion_id,
        is_converted,
        path,
        markov_path,
        channel_set
        {{- tombstone_flag() }}
    from paths
    {%- if plan.delta %}
    {{ tombstones('dirty_conversions', ['conversion_id'], 4) }}
    {%- endif %}
)

select * from final
