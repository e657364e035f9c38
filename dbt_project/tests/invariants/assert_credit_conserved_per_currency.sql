-- Conservation (DESIGN.md): per model, day and original currency, Σ credited leads = deals created
-- and Σ credited revenue = revenue of won deals, to the kopeck.
with credited as (
    select
        attribution.attribution_model,
        deals.created_date,
        deals.currency,
        sum(attribution.weight) as leads,
        sum(case when deals.status = 'won' then attribution.weight * deals.amount else 0 end) as revenue
    from {{ ref('int_attribution') }} as attribution
    inner join {{ ref('int_deals') }} as deals on attribution.deal_key = deals.deal_key
    group by 1, 2, 3
),

actual as (
    select
        created_date,
        currency,
        count(*) as leads,
        sum(case when status = 'won' then amount else 0 end) as revenue
    from {{ ref('int_deals') }}
    group by 1, 2
),

models as (
    select distinct attribution_model from {{ ref('int_attribution') }}
)

select models.attribution_model, actual.created_date, actual.currency,
    actual.leads, credited.leads as credited_leads, actual.revenue, credited.revenue as credited_revenue
from actual
cross join models
left join credited
    on credited.attribution_model = models.attribution_model
    and credited.created_date = actual.created_date
    and credited.currency = actual.currency
where credited.leads is null
    or abs(credited.leads - actual.leads) > 1e-6
    or abs(credited.revenue - actual.revenue) >= 0.005
