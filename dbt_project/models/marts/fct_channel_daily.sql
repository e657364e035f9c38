-- One row per report_date × attribution_model × channel × source_system × campaign_id.
-- Cost and visits are facts (the same under every model); leads, won deals and revenue are the
-- model's fractional credit, dated by the deal's created_at. Money in the reporting currency.
{%- set models = var('attribution_models') %}

with models as (
    {%- for m in models %}
    select '{{ m }}' as attribution_model{% if not loop.last %} union all{% endif %}
    {%- endfor %}
),

spend as (
    select
        spend_date as report_date,
        coalesce(channel, 'Other') as channel,
        source_system,
        campaign_id,
        campaign_name,
        cost_reporting as cost,
        impressions,
        clicks
    from {{ ref('int_ad_spend') }}
),

visits as (
    select
        visit_date as report_date,
        coalesce(channel, 'Other') as channel,
        report_source as source_system,
        report_campaign_id as campaign_id,
        campaign_name,
        count(*) as visits
    from {{ ref('int_visits') }}
    group by 1, 2, 3, 4, 5
),

credit as (
    select
        deals.created_date as report_date,
        attribution.attribution_model,
        coalesce(attribution.channel, 'Other') as channel,
        attribution.report_source as source_system,
        attribution.report_campaign_id as campaign_id,
        attribution.campaign_name,
        attribution.weight as leads,
        case when deals.status = 'won' then attribution.weight else 0 end as deals_won,
        case when deals.status = 'won' then attribution.weight * deals.amount_reporting else 0 end as revenue,
        case when deals.status = 'won' then attribution.weight * coalesce(deals.cost_of_goods_reporting, 0) else 0 end
            as cost_of_goods
    from {{ ref('int_attribution') }} as attribution
    inner join {{ ref('int_deals') }} as deals on attribution.deal_key = deals.deal_key
),

facts as (
    select
        spend.report_date, models.attribution_model, spend.channel, spend.source_system,
        spend.campaign_id, spend.campaign_name, spend.cost, spend.impressions, spend.clicks,
        0 as visits, 0 as leads, 0 as deals_won, 0 as revenue, 0 as cost_of_goods
    from spend cross join models
    union all
    select
        visits.report_date, models.attribution_model, visits.channel, visits.source_system,
        visits.campaign_id, visits.campaign_name, 0, 0, 0,
        visits.visits, 0, 0, 0, 0
    from visits cross join models
    union all
    select
        report_date, attribution_model, channel, source_system,
        campaign_id, campaign_name, 0, 0, 0,
        0, leads, deals_won, revenue, cost_of_goods
    from credit
),

final as (
    select
        report_date,
        attribution_model,
        channel,
        source_system,
        campaign_id,
        max(campaign_name) as campaign_name,
        cast(sum(cost) as decimal(18, 2)) as cost,
        cast(sum(impressions) as {{ dbt.type_bigint() }}) as impressions,
        cast(sum(clicks) as {{ dbt.type_bigint() }}) as clicks,
        cast(sum(visits) as {{ dbt.type_bigint() }}) as visits,
        {{ exact_sum('leads') }} as leads,
        {{ exact_sum('deals_won') }} as deals_won,
        cast(sum(revenue) as decimal(38, 6)) as revenue,
        cast(sum(cost_of_goods) as decimal(38, 6)) as cost_of_goods,
        cast(sum(revenue) - sum(cost_of_goods) as decimal(38, 6)) as gross_profit
    from facts
    group by 1, 2, 3, 4, 5
)

select * from final
