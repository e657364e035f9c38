-- Cohorts and customers count the same people and the same money: month 0 of every cohort holds
-- each customer once, and cumulative cohort revenue equals customer revenue.
with cohorts as (
    select
        sum(revenue) as revenue,
        sum(case when months_since = 0 then customers end) as customers
    from {{ ref('fct_cohorts') }}
),

customers as (
    select
        sum(revenue) as revenue,
        count(*) as customers
    from {{ ref('dim_customers') }}
)

select *
from cohorts
cross join customers
where coalesce(cohorts.revenue, 0) <> coalesce(customers.revenue, 0)
    or coalesce(cohorts.customers, 0) <> customers.customers
