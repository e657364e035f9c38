-- One row per report_date × attribution_model × channel: visits → leads → won deals.
with channel_daily as (
    select * from {{ ref('fct_channel_daily') }}
),

final as (
    select
        report_date,
        attribution_model,
        channel,
        cast(sum(visits) as {{ dbt.type_bigint() }}) as visits,
        {{ exact_sum('leads') }} as leads,
        {{ exact_sum('deals_won') }} as deals_won,
        cast(sum(revenue) as decimal(38, 6)) as revenue
    from channel_daily
    group by 1, 2, 3
)

select * from final
