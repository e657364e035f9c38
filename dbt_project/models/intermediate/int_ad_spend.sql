-- Ad spend in the canonical shape with its channel and cost in the reporting currency.
with spend as (
    select * from {{ ref('int_ad_spend_unioned') }}
),

channels as (
    select * from {{ ref('int_channel_map') }}
),

rates as (
    select * from {{ ref('int_currency_rates') }}
),

final as (
    select
        spend.spend_date,
        spend.source_system,
        spend.account_id,
        spend.campaign_id,
        spend.campaign_name,
        spend.ad_group_id,
        spend.ad_group_name,
        spend.utm_source,
        spend.utm_medium,
        spend.utm_campaign,
        channels.channel,
        channels.sub_channel,
        spend.impressions,
        spend.clicks,
        spend.cost,
        spend.currency,
        cast(round(spend.cost * rates.to_reporting, 2) as decimal(18, 2)) as cost_reporting
    from spend
    left join channels on spend.channel_key = channels.channel_key
    left join rates
        on spend.currency = rates.currency
        and spend.spend_date >= rates.valid_from
        and spend.spend_date < rates.valid_to
)

select * from final
