-- One row per deal still open: who holds it, where it stands, and how many days old it is as of
-- the last day the data covers (as_of_date: the last reporting-timezone day with ad spend, a
-- visit or a new deal, the days the dashboards' date range runs over), not the wall clock, so a
-- late load does not age every deal. age_days = as_of_date − the deal's created_date. amount is
-- in the reporting currency (NULL when the CRM gave none).
with deals as (
    select * from {{ ref('int_deals') }}
),

data_days as (
    select max(spend_date) as data_date from {{ ref('int_ad_spend') }}
    union all
    select max(visit_date) as data_date from {{ ref('int_visits') }}
    union all
    select max(created_date) as data_date from deals
),

as_of as (
    select max(data_date) as as_of_date from data_days
),

open_deals as (
    select * from deals
    where status = 'open'
),

final as (
    select
        open_deals.deal_key,
        open_deals.source_system,
        open_deals.deal_id,
        coalesce(nullif(trim(open_deals.manager), ''), '(none)') as manager,
        open_deals.pipeline,
        open_deals.stage,
        open_deals.created_at,
        open_deals.created_date,
        cast({{ dbt.datediff('open_deals.created_date', 'as_of.as_of_date', 'day') }} as {{ dbt.type_int() }})
            as age_days,
        open_deals.amount_reporting as amount,
        as_of.as_of_date
    from open_deals
    cross join as_of
)

select * from final
