-- Deals with money in the reporting currency, converted at the rate of the day they were created
-- (the day every conversion is dated by), and the channel their own UTM tags point to.
with deals as (
    select * from {{ ref('int_deals_unioned') }}
),

channels as (
    select * from {{ ref('int_channel_map') }}
),

campaigns as (
    select * from {{ ref('int_campaign_map') }}
),

rates as (
    select * from {{ ref('int_currency_rates') }}
),

dated as (
    select
        *,
        {{ local_date('created_at') }} as created_date
    from deals
),

final as (
    select
        dated.deal_key,
        dated.deal_id,
        dated.source_system,
        dated.created_at,
        dated.created_date,
        dated.closed_at,
        dated.updated_at,
        dated.status,
        dated.pipeline,
        dated.stage,
        dated.manager,
        dated.contact_key,
        dated.visit_id,
        dated.client_id,
        dated.click_id,
        dated.utm_source,
        dated.utm_medium,
        dated.utm_campaign,
        dated.has_utm,
        case when dated.has_utm then channels.channel end as utm_channel,
        case when dated.has_utm then channels.sub_channel end as utm_sub_channel,
        case when dated.has_utm then
            coalesce(campaigns.campaign_source_system, dated.utm_source, '(none)')
        end as utm_report_source,
        case when dated.has_utm then coalesce(campaigns.campaign_id, dated.utm_campaign, '(none)') end
            as utm_report_campaign_id,
        campaigns.campaign_name as utm_campaign_name,
        dated.amount,
        dated.cost_of_goods,
        dated.currency,
        cast(round(dated.amount * rates.to_reporting, 2) as decimal(18, 2)) as amount_reporting,
        cast(round(dated.cost_of_goods * rates.to_reporting, 2) as decimal(18, 2)) as cost_of_goods_reporting
    from dated
    left join channels on dated.channel_key = channels.channel_key
    left join campaigns
        on dated.utm_campaign = campaigns.utm_campaign
        and dated.utm_source is not distinct from campaigns.utm_source
    left join rates
        on dated.currency = rates.currency
        and dated.created_date >= rates.valid_from
        and dated.created_date < rates.valid_to
)

select * from final
