-- fct_deal_credit is the deal list behind fct_channel_daily: per report_date × channel × model,
-- Σ credited leads equals its leads and Σ credited revenue its revenue, to the kopeck. A side
-- with no rows counts as 0, so credit missing from either mart fails too.
with credit as (
    select
        created_date as report_date,
        attribution_model,
        channel,
        sum(credited_lead) as leads,
        sum(credited_revenue) as revenue
    from {{ ref('fct_deal_credit') }}
    group by 1, 2, 3
),

daily as (
    select
        report_date,
        attribution_model,
        channel,
        sum(leads) as leads,
        sum(revenue) as revenue
    from {{ ref('fct_channel_daily') }}
    group by 1, 2, 3
),

compared as (
    select
        coalesce(daily.report_date, credit.report_date) as report_date,
        coalesce(daily.attribution_model, credit.attribution_model) as attribution_model,
        coalesce(daily.channel, credit.channel) as channel,
        coalesce(daily.leads, 0) as daily_leads,
        coalesce(credit.leads, 0) as credited_leads,
        coalesce(daily.revenue, 0) as daily_revenue,
        coalesce(credit.revenue, 0) as credited_revenue
    from daily
    full outer join credit
        on daily.report_date = credit.report_date
        and daily.attribution_model = credit.attribution_model
        and daily.channel = credit.channel
)

select *
from compared
where abs(daily_leads - credited_leads) > 1e-6
    or abs(daily_revenue - credited_revenue) >= 0.005
