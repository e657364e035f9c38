-- The mart neither loses nor invents anything: per model, its totals equal the intermediate facts.
with mart as (
    select
        attribution_model,
        sum(cost) as cost,
        sum(visits) as visits,
        -- summed exactly: a float sum of 950k fractional rows drifts past 1e-6 (3× B1 did)
        {{ exact_sum('leads') }} as leads,
        sum(revenue) as revenue
    from {{ ref('fct_channel_daily') }}
    group by 1
),

expected as (
    select
        (select coalesce(sum(cost_reporting), 0) from {{ ref('int_ad_spend') }}) as cost,
        (select count(*) from {{ ref('int_visits') }}) as visits,
        (select count(*) from {{ ref('int_deals') }}) as leads,
        (select coalesce(sum(amount_reporting), 0) from {{ ref('int_deals') }} where status = 'won') as revenue
)

select mart.*, expected.cost as expected_cost, expected.revenue as expected_revenue
from mart
cross join expected
where abs(mart.cost - expected.cost) >= 0.005
    or mart.visits <> expected.visits
    or abs(mart.leads - expected.leads) > 1e-6
    or abs(mart.revenue - expected.revenue) >= 0.005
