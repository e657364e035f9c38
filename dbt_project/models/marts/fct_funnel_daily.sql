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
        -- summed as DECIMAL so the result does not depend on the order threads add floats in
        cast(sum(cast(leads as decimal(38, 18))) as double) as leads,
        cast(sum(cast(deals_won as decimal(38, 18))) as double) as deals_won,
        cast(sum(revenue) as decimal(38, 6)) as revenue
    from channel_daily
    group by 1, 2, 3
)

select * from final
