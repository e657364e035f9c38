-- Which ad campaign a tagged touch belongs to: the spend row carrying the same utm_campaign
-- (and utm_source, when the spend row has one). Ties go to the lowest source_system, campaign_id.
with spend_campaigns as (
    select
        source_system,
        campaign_id,
        utm_source,
        utm_campaign,
        max(campaign_name) as campaign_name
    from {{ ref('int_ad_spend_unioned') }}
    where utm_campaign is not null
    group by 1, 2, 3, 4
),

touch_tags as (
    select distinct utm_source, utm_campaign from {{ ref('int_visits_unioned') }}
    where utm_campaign is not null
    union
    select distinct utm_source, utm_campaign from {{ ref('int_deals_unioned') }}
    where utm_campaign is not null
),

matched as (
    select
        touch_tags.utm_source,
        touch_tags.utm_campaign,
        spend_campaigns.source_system as campaign_source_system,
        spend_campaigns.campaign_id,
        spend_campaigns.campaign_name,
        row_number() over (
            partition by touch_tags.utm_source, touch_tags.utm_campaign
            order by
                case when spend_campaigns.utm_source is null then 1 else 0 end,
                spend_campaigns.source_system,
                spend_campaigns.campaign_id
        ) as match_rank
    from touch_tags
    inner join spend_campaigns
        on touch_tags.utm_campaign = spend_campaigns.utm_campaign
        and (spend_campaigns.utm_source is null or spend_campaigns.utm_source = touch_tags.utm_source)
),

final as (
    select utm_source, utm_campaign, campaign_source_system, campaign_id, campaign_name
    from matched
    where match_rank = 1
)

select * from final
