-- One row per report_month × attribution_model × channel: what each model credits a channel
-- with, next to what the channel cost. Models only move credit between channels: per month
-- every model's leads, won deals and revenue add up to the same totals.
with channel_daily as (
    select * from {{ ref('fct_channel_daily') }}
),

final as (
    select
        cast({{ dbt.date_trunc('month', 'report_date') }} as date) as report_month,
        attribution_model,
        channel,
        cast(sum(cost) as decimal(18, 2)) as cost,
        {{ exact_sum('leads') }} as leads,
        {{ exact_sum('deals_won') }} as deals_won,
        cast(sum(revenue) as decimal(38, 6)) as revenue
    from channel_daily
    group by 1, 2, 3
)

select * from final
