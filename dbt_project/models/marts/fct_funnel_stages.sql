-- One row per created_date × attribution_model × channel × pipeline × stage: the model's credit of
-- the deals created that day (reporting timezone) that reached the stage. Stages of a pipeline, in
-- stage_order: 0 'lead' (every deal), 1 … n its CRM progress stages, n + 1 'won', n + 2 'lost'.
-- Weights are int_attribution's, so per day × model × channel the 'lead' and 'won' rows summed
-- over pipelines equal fct_channel_daily's leads and deals_won.
--
-- From the CRM's stage history (int_deal_stage_events_unioned), per pipeline (the deal's current):
-- * outcome stages: where most deals that entered it (share >= outcome_share) ended, closed (it is
--   the last entry of a won or lost deal). They are the CRM's won/lost statuses; the funnel shows
--   'won' and 'lost' from the deal's status instead. Everything else is a progress stage.
-- * stage_order of the progress stages: pairwise majority. Stage A goes before B when more of the
--   deals that entered both entered A first (first entries). Stages are ordered by how many of the
--   pipeline's other stages they go before, then by their average position in the deals' histories,
--   then by name.
-- * reach: a deal with history reached a progress stage when it entered that stage or any later
--   one (a skipped stage was passed through), or when it is won (a won deal passed them all). A
--   deal without history counts at 'lead' and at 'won' / 'lost' only.
{%- set outcome_share = 0.5 %}

with deals as (
    select
        deal_key,
        created_date,
        status,
        coalesce(pipeline, '(none)') as pipeline
    from {{ ref('int_deals') }}
),

credit as (
    select
        deal_key,
        attribution_model,
        coalesce(channel, 'Other') as channel,
        weight
    from {{ ref('int_attribution') }}
),

events as (
    select
        events.deal_key,
        deals.pipeline,
        deals.status,
        events.stage,
        events.entered_at,
        row_number() over (
            partition by events.deal_key order by events.entered_at desc, events.stage desc
        ) as from_last
    from {{ ref('int_deal_stage_events_unioned') }} as events
    inner join deals on events.deal_key = deals.deal_key
    where events.entered_at is not null and events.stage is not null
),

stage_usage as (
    select
        pipeline,
        stage,
        count(distinct deal_key) as deals_entered,
        count(distinct case when from_last = 1 and status in ('won', 'lost') then deal_key end)
            as deals_closed_in
    from events
    group by pipeline, stage
),

progress_stages as (
    select
        pipeline,
        stage
    from stage_usage
    where deals_closed_in < {{ outcome_share }} * deals_entered
),

first_entries as (
    select
        events.deal_key,
        events.pipeline,
        events.stage,
        min(events.entered_at) as first_entered_at
    from events
    inner join progress_stages
        on events.pipeline = progress_stages.pipeline and events.stage = progress_stages.stage
    group by events.deal_key, events.pipeline, events.stage
),

positions as (
    select
        *,
        row_number() over (
            partition by deal_key order by first_entered_at, stage
        ) as position_in_deal
    from first_entries
),

pair_votes as (
    select
        a.pipeline,
        a.stage,
        b.stage as other_stage,
        sum(case when a.first_entered_at < b.first_entered_at then 1 else 0 end) as deals_before,
        sum(case when a.first_entered_at > b.first_entered_at then 1 else 0 end) as deals_after
    from first_entries as a
    inner join first_entries as b on a.deal_key = b.deal_key and a.stage <> b.stage
    group by a.pipeline, a.stage, b.stage
),

precedence as (
    select
        pipeline,
        stage,
        sum(case when deals_before > deals_after then 1 else 0 end) as stages_preceded
    from pair_votes
    group by pipeline, stage
),

ranked as (
    select
        positions.pipeline,
        positions.stage,
        coalesce(max(precedence.stages_preceded), 0) as stages_preceded,
        avg(cast(positions.position_in_deal as {{ dbt.type_float() }})) as avg_position
    from positions
    left join precedence
        on positions.pipeline = precedence.pipeline and positions.stage = precedence.stage
    group by positions.pipeline, positions.stage
),

stage_orders as (
    select
        pipeline,
        stage,
        row_number() over (
            partition by pipeline order by stages_preceded desc, avg_position, stage
        ) as stage_order
    from ranked
),

pipeline_sizes as (
    select
        pipelines.pipeline,
        count(stage_orders.stage) as progress_stages
    from (select distinct pipeline from deals) as pipelines
    left join stage_orders on pipelines.pipeline = stage_orders.pipeline
    group by pipelines.pipeline
),

-- every pipeline's stages: 'lead', its progress stages, 'won', 'lost'
pipeline_stages as (
    select pipeline, 'lead' as stage, 'lead' as stage_kind, 0 as stage_order
    from pipeline_sizes
    union all
    select pipeline, stage, 'stage' as stage_kind, stage_order
    from stage_orders
    union all
    select pipeline, 'won' as stage, 'won' as stage_kind, progress_stages + 1 as stage_order
    from pipeline_sizes
    union all
    select pipeline, 'lost' as stage, 'lost' as stage_kind, progress_stages + 2 as stage_order
    from pipeline_sizes
),

furthest as (
    select
        first_entries.deal_key,
        max(stage_orders.stage_order) as furthest_order
    from first_entries
    inner join stage_orders
        on first_entries.pipeline = stage_orders.pipeline
        and first_entries.stage = stage_orders.stage
    group by first_entries.deal_key
),

deal_history as (
    select
        deals.deal_key,
        deals.deal_key in (select deal_key from events) as has_history,
        coalesce(furthest.furthest_order, 0) as furthest_order
    from deals
    left join furthest on deals.deal_key = furthest.deal_key
),

-- one row per deal × stage it reached
reached as (
    select
        deals.deal_key,
        pipeline_stages.stage_order,
        case when deal_history.has_history then 0 else 1 end as without_history
    from deals
    inner join deal_history on deals.deal_key = deal_history.deal_key
    inner join pipeline_stages on deals.pipeline = pipeline_stages.pipeline
    where pipeline_stages.stage_kind = 'lead'
        or (pipeline_stages.stage_kind = 'won' and deals.status = 'won')
        or (pipeline_stages.stage_kind = 'lost' and deals.status = 'lost')
        or (
            pipeline_stages.stage_kind = 'stage'
            and deal_history.has_history
            and (deals.status = 'won' or pipeline_stages.stage_order <= deal_history.furthest_order)
        )
),

credited as (
    select
        deals.created_date,
        credit.attribution_model,
        credit.channel,
        deals.pipeline,
        reached.stage_order,
        credit.weight,
        credit.weight * reached.without_history as weight_without_history
    from reached
    inner join deals on reached.deal_key = deals.deal_key
    inner join credit on reached.deal_key = credit.deal_key
),

summed as (
    select
        created_date,
        attribution_model,
        channel,
        pipeline,
        stage_order,
        {{ exact_sum('weight') }} as deals,
        {{ exact_sum('weight_without_history') }} as deals_without_history
    from credited
    group by created_date, attribution_model, channel, pipeline, stage_order
),

-- every stage of the pipeline for each day × model × channel with a lead in it (0 where none
-- reached it), so a funnel never misses a step
grid as (
    select
        leads.created_date,
        leads.attribution_model,
        leads.channel,
        leads.pipeline,
        pipeline_stages.stage,
        pipeline_stages.stage_kind,
        pipeline_stages.stage_order
    from summed as leads
    inner join pipeline_stages on leads.pipeline = pipeline_stages.pipeline
    where leads.stage_order = 0
),

final as (
    select
        grid.created_date,
        grid.attribution_model,
        grid.channel,
        grid.pipeline,
        grid.stage,
        grid.stage_kind,
        cast(grid.stage_order as {{ dbt.type_int() }}) as stage_order,
        coalesce(summed.deals, 0) as deals,
        coalesce(summed.deals_without_history, 0) as deals_without_history
    from grid
    left join summed
        on grid.created_date = summed.created_date
        and grid.attribution_model = summed.attribution_model
        and grid.channel = summed.channel
        and grid.pipeline = summed.pipeline
        and grid.stage_order = summed.stage_order
)

select * from final
