-- One row per acquisition_month × channel × months_since (0 … the month of the last data day).
-- A cohort is the customers (dim_customers) whose first won deal was in acquisition_month and
-- whose first touch (first_touch model) was channel; months_since counts calendar months in the
-- reporting timezone from acquisition_month to the month of a later order (Dec → Jan = 1).
-- LTV = cumulative revenue per acquired customer. CAC = the channel's whole ad cost in the
-- acquisition month (fct_channel_daily) / the customers it acquired that month: the cost is not
-- split by campaign or day, and a month where the channel spent but acquired nobody is a cohort of
-- 0 customers (cost shown, CAC NULL). CAC is NULL without cost too (organic, direct, '(none)'):
-- unmeasured, not free. Payback month = the first months_since where LTV >= CAC.
{%- set max_months = 1200 %}  {#- months_since series bound: 100 years, cut to the data below #}

with customers as (
    select customer_key, acquisition_month, first_touch_channel from {{ ref('dim_customers') }}
),

won_deals as (
    select deal_key, contact_key, created_date, amount_reporting
    from {{ ref('int_deals') }}
    where status = 'won'
),

stitched_clients as (
    select deal_key, min(client_id) as client_id
    from {{ ref('int_deals_stitched') }}
    where client_id is not null
    group by deal_key
),

orders as (
    -- the customer of each order, keyed exactly as in dim_customers
    select
        {{ dbt.hash(dbt.concat(['identity_basis', "':'", 'identity_value'])) }} as customer_key,
        cast({{ dbt.date_trunc('month', 'created_date') }} as date) as order_month,
        amount_reporting
    from (
        select
            won_deals.created_date,
            won_deals.amount_reporting,
            case
                when won_deals.contact_key is not null then 'contact'
                when stitched_clients.client_id is not null then 'client'
                else 'deal'
            end as identity_basis,
            coalesce(won_deals.contact_key, stitched_clients.client_id, won_deals.deal_key) as identity_value
        from won_deals
        left join stitched_clients on won_deals.deal_key = stitched_clients.deal_key
    ) as identified
),

as_of as (
    select
        max(report_date) as as_of_date,
        cast({{ dbt.date_trunc('month', 'max(report_date)') }} as date) as as_of_month
    from {{ ref('fct_channel_daily') }}
),

spend as (
    -- cost is a fact repeated under every model: one model's rows carry it once
    select
        cast({{ dbt.date_trunc('month', 'report_date') }} as date) as acquisition_month,
        channel,
        sum(cost) as cost
    from {{ ref('fct_channel_daily') }}
    where attribution_model = '{{ var("attribution_models")[0] }}'
    group by 1, 2
    having sum(cost) > 0
),

acquired as (
    select acquisition_month, first_touch_channel as channel, count(*) as customers
    from customers
    group by 1, 2
),

cohorts as (
    select
        coalesce(acquired.acquisition_month, spend.acquisition_month) as acquisition_month,
        coalesce(acquired.channel, spend.channel) as channel,
        coalesce(acquired.customers, 0) as customers,
        cast(coalesce(spend.cost, 0) as decimal(18, 2)) as cost
    from acquired
    full outer join spend
        on acquired.acquisition_month = spend.acquisition_month
        and acquired.channel = spend.channel
),

months as (
    select generated_number - 1 as months_since
    from ({{ dbt.generate_series(max_months) }}) as series
),

grid as (
    select
        cohorts.*,
        months.months_since,
        {{ dbt.datediff('cohorts.acquisition_month', 'as_of.as_of_month', 'month') }} as months_observed,
        as_of.as_of_date,
        as_of.as_of_month
    from cohorts
    cross join as_of
    inner join months
        on months.months_since <= {{ dbt.datediff('cohorts.acquisition_month', 'as_of.as_of_month', 'month') }}
),

activity as (
    select
        customers.acquisition_month,
        customers.first_touch_channel as channel,
        {{ dbt.datediff('customers.acquisition_month', 'orders.order_month', 'month') }} as months_since,
        count(distinct orders.customer_key) as active_customers,
        count(*) as orders,
        sum(orders.amount_reporting) as revenue
    from orders
    inner join customers on orders.customer_key = customers.customer_key
    group by 1, 2, 3
),

cumulated as (
    select
        grid.acquisition_month,
        grid.channel,
        grid.months_since,
        grid.months_observed,
        grid.as_of_date,
        grid.as_of_month,
        grid.customers,
        grid.cost,
        coalesce(activity.active_customers, 0) as active_customers,
        coalesce(activity.orders, 0) as orders,
        cast(coalesce(activity.revenue, 0) as decimal(18, 2)) as revenue,
        cast(sum(coalesce(activity.revenue, 0)) over (
            partition by grid.acquisition_month, grid.channel
            order by grid.months_since
            rows between unbounded preceding and current row
        ) as decimal(18, 2)) as cumulative_revenue,
        cast(sum(coalesce(activity.revenue, 0)) over (
            partition by grid.acquisition_month, grid.channel
        ) as decimal(18, 2)) as revenue_to_date
    from grid
    left join activity
        on grid.acquisition_month = activity.acquisition_month
        and grid.channel = activity.channel
        and grid.months_since = activity.months_since
),

final as (
    select
        -- grain
        acquisition_month,
        channel,
        months_since,
        cast({{ dbt.dateadd('month', 'months_since', 'acquisition_month') }} as date) as activity_month,
        -- cohort
        customers,
        cost,
        case when cost > 0 and customers > 0 then cost / customers end as cac,
        -- the month
        active_customers,
        orders,
        revenue,
        cumulative_revenue,
        cumulative_revenue / nullif(customers, 0) as ltv,
        -- to date (the same on every row of the cohort)
        months_observed,
        revenue_to_date,
        revenue_to_date / nullif(customers, 0) as ltv_to_date,
        -- LTV / CAC = revenue to date / cost (the customers cancel out)
        case when cost > 0 and customers > 0 then revenue_to_date / cost end as ltv_to_cac,
        -- LTV >= CAC ⇔ cumulative revenue >= cost: compared exactly, in decimals
        min(case when cost > 0 and customers > 0 and cumulative_revenue >= cost then months_since end) over (
            partition by acquisition_month, channel
        ) as payback_month,
        months_since = months_observed as is_current_month,
        as_of_date
    from cumulated
)

select * from final
