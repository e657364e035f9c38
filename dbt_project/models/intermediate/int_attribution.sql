{{ config(
    materialized='incremental',
    incremental_strategy='replace_keys',
    unique_key=['deal_key', 'attribution_model'],
    post_hook="{{ record_full_build() }}",
    meta={'incremental_upstream': ['int_touchpoints', 'int_paths', 'int_touch_events', 'int_deal_signatures']},
) }}
-- The long table: one row per deal × touch × model with the touch's weight; a deal without a
-- path gets one '(none)' row per model. Any credited number can be traced to these rows.
-- Incremental: a night rebuilds every model's rows of the deals it changed
-- (macros/incremental_keys.sql), and Markov's and Shapley's rows of every deal: their weights
-- come from removal effects and coalition values over all paths, which any new path moves.
-- depends_on: {{ ref('int_deal_signatures') }}, {{ ref('int_touch_events') }}, {{ ref('int_deals_stitched') }}
{%- set plan = incremental_plan() %}
{%- set models = var('attribution_models') %}
{%- set data_driven = ['markov', 'shapley'] %}
{%- set every_deal = not plan.delta or models | select('in', data_driven) | list | length > 0 %}
{%- for m in models %}
    {%- if m not in known_models() %}
        {{ exceptions.raise_compiler_error("unknown attribution model '" ~ m ~ "' in var attribution_models; known: " ~ known_models() | join(', ')) }}
    {%- endif %}
{%- endfor %}
{%- set half_life = var('time_decay_half_life_days') | float %}
{%- if half_life <= 0 %}
    {{ exceptions.raise_compiler_error("time_decay_half_life_days must be positive") }}
{%- endif %}

with
{%- if plan.delta %}
dirty_deals as (
    {{ dirty_deals(plan.since) }}
),

dirty_keys as (
    {{ dirty_deal_models('dirty_deals') }}
),
{%- endif %}

deals as (
    select deal_key, created_at from {{ ref('int_deals') }}
    {%- if not every_deal %}
    where deal_key in (select deal_key from dirty_deals)
    {%- endif %}
),

touches as (
    select
        touchpoints.*,
        -- the last touch that is not Direct (null when the whole path is Direct)
        max(case when touchpoints.channel <> 'Direct' then touchpoints.touch_index end)
            over (partition by touchpoints.deal_key) as last_non_direct_index,
        -- 2^(−age / half-life), age in fractional days before the conversion
        power(2.0, -{{ days_between('touchpoints.touch_at', 'deals.created_at') }} / {{ half_life }}) as decay_raw
    from {{ ref('int_touchpoints') }} as touchpoints
    inner join deals on touchpoints.deal_key = deals.deal_key
),

opportunity_touches as (
    select * from {{ ref('int_opportunity_touches') }}
),

with_data_driven as (
    select
        touches.*,
        touches.deal_key in (select deal_key from opportunity_touches) as has_opportunity_touch,
        coalesce(markov.removal_effect, 0) as markov_effect,
        shapley.share as shapley_share,
        count(*) over (partition by touches.deal_key, touches.channel) as channel_touches
    from touches
    left join {{ ref('int_markov_removal_effects') }} as markov on touches.channel = markov.channel
    left join {{ ref('int_path_channel_sets') }} as sets on touches.deal_key = sets.conversion_id
    left join {{ ref('int_shapley_values') }} as shapley
        on sets.channel_set = shapley.channel_set and touches.channel = shapley.channel
),

normalised as (
    select
        *,
        sum(markov_effect) over (
            partition by deal_key order by touch_index
            rows between unbounded preceding and unbounded following
        ) as markov_total,
        -- a fixed order inside the path keeps the float sum the same on every run
        sum(decay_raw) over (
            partition by deal_key order by touch_index
            rows between unbounded preceding and unbounded following
        ) as decay_total
    from with_data_driven
),

weighted as (
    {%- for m in models %}
    select
        deal_key,
        '{{ m }}' as attribution_model,
        touch_index,
        channel,
        sub_channel,
        report_source,
        report_campaign_id,
        campaign_name,
        -- DECIMAL, not float: sums of floats depend on the order threads add them in, and the
        -- marts must come out identical run after run.
        cast(round({{ attribution_weight(m) }}, 15) as decimal(38, 18)) as weight
    from normalised
    {%- if plan.delta and m not in data_driven %}
    where deal_key in (select deal_key from dirty_deals)
    {%- endif %}
    {%- if m == 'w_shaped' %}
    union all
    -- the opportunity's touch when it came after the lead: one more row after the path
    select
        opportunity_touches.deal_key,
        'w_shaped' as attribution_model,
        paths.path_length + 1 as touch_index,
        opportunity_touches.channel,
        opportunity_touches.sub_channel,
        opportunity_touches.report_source,
        opportunity_touches.report_campaign_id,
        opportunity_touches.campaign_name,
        cast(round({{ w_shaped_weight('paths.touch_index', 'paths.path_length', 'true', true) }}, 15) as decimal(38, 18)) as weight
    from opportunity_touches
    inner join normalised as paths
        on opportunity_touches.deal_key = paths.deal_key and paths.touch_index = 1
    {%- if plan.delta %}
    where opportunity_touches.deal_key in (select deal_key from dirty_deals)
    {%- endif %}
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

unattributed as (
    {%- for m in models %}
    select
        deal_key,
        '{{ m }}' as attribution_model,
        0 as touch_index,
        '(none)' as channel,
        cast(null as {{ dbt.type_string() }}) as sub_channel,
        '(none)' as report_source,
        '(none)' as report_campaign_id,
        cast(null as {{ dbt.type_string() }}) as campaign_name,
        cast(1 as decimal(38, 18)) as weight
    from deals
    where deal_key not in (select deal_key from touches)
    {%- if plan.delta and m not in data_driven %}
        and deal_key in (select deal_key from dirty_deals)
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select *{{ tombstone_flag() }} from weighted
    union all
    select *{{ tombstone_flag() }} from unattributed
    {%- if plan.delta %}
    {{ tombstones('dirty_keys', ['deal_key', 'attribution_model'], 7) }}
    {%- endif %}
)

select * from final
