-- fct_funnel_stages credits the same deals as fct_channel_daily: per day × model × channel, its
-- 'lead' and 'won' rows summed over pipelines equal leads and deals_won. A side with no rows
-- counts as 0. Progress stages never grow along a pipeline's order (the reach rule is monotone).
with stages as (
    select
        created_date as report_date,
        attribution_model,
        channel,
        sum(case when stage_kind = 'lead' then deals else 0 end) as leads,
        sum(case when stage_kind = 'won' then deals else 0 end) as deals_won
    from {{ ref('fct_funnel_stages') }}
    group by 1, 2, 3
),

daily as (
    select
        report_date,
        attribution_model,
        channel,
        sum(leads) as leads,
        sum(deals_won) as deals_won
    from {{ ref('fct_channel_daily') }}
    group by 1, 2, 3
),

compared as (
    select
        coalesce(daily.report_date, stages.report_date) as report_date,
        coalesce(daily.attribution_model, stages.attribution_model) as attribution_model,
        coalesce(daily.channel, stages.channel) as channel,
        coalesce(daily.leads, 0) - coalesce(stages.leads, 0) as leads_gap,
        coalesce(daily.deals_won, 0) - coalesce(stages.deals_won, 0) as won_gap
    from daily
    full outer join stages
        on daily.report_date = stages.report_date
        and daily.attribution_model = stages.attribution_model
        and daily.channel = stages.channel
),

growing as (
    select
        created_date as report_date,
        attribution_model,
        channel,
        deals - lag(deals) over (
            partition by created_date, attribution_model, channel, pipeline order by stage_order
        ) as growth
    from {{ ref('fct_funnel_stages') }}
    where stage_kind in ('lead', 'stage')
)

select report_date, attribution_model, channel, leads_gap as gap
from compared
where abs(leads_gap) > 1e-9 or abs(won_gap) > 1e-9
union all
select report_date, attribution_model, channel, growth as gap
from growing
where growth > 1e-9
